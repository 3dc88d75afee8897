/** Products, SKUs, stock and prices (reference §5). */
import { parseMoney } from '../../../shared/money.ts';
import type {
  InventorySearchBody,
  InventoryUpdateBody,
  PriceUpdateBody,
  ProductInput,
} from '../wire/products.ts';
import { checkProduct, productFields } from './catalog-rules.ts';
import { type Ctx, invalidParam, invalidState, notFound } from './context.ts';
import type { Product, Shop, Sku } from './model.ts';
import { ID_PREFIX } from './rng.ts';

const MAX_QUANTITY = 99_999;

export function createProduct(ctx: Ctx, shop: Shop, input: ProductInput): { product: Product; skus: Sku[] } {
  checkProduct(ctx, shop, input);
  const now = ctx.sim.nowSeconds();
  const product: Product = {
    id: ctx.ids.next(ID_PREFIX.product),
    shopId: shop.id,
    ...productFields(input),
    status: input.save_mode === 'AS_DRAFT' ? 'DRAFT' : 'ACTIVATE',
    edits: 0,
    createTime: now,
    updateTime: now,
    skuIds: [],
  };
  for (const s of input.skus) {
    if (ctx.state.skuBySellerSku.has(ctx.state.skuKey(shop.id, s.seller_sku))) {
      throw invalidParam(`seller_sku ${s.seller_sku} already exists in this shop`);
    }
  }
  const skus = input.skus.map((s) => {
    const sku: Sku = {
      id: ctx.ids.next(ID_PREFIX.sku),
      productId: product.id,
      shopId: shop.id,
      sellerSku: s.seller_sku,
      price: parseMoney(s.price.amount, shop.currency, 'price.amount').minor,
      currency: shop.currency,
      stock: new Map(s.inventory.map((i) => [i.warehouse_id ?? shop.warehouseId, clampQty(i.quantity)])),
      committed: new Map(),
    };
    ctx.state.skus.set(sku.id, sku);
    ctx.state.skuBySellerSku.set(ctx.state.skuKey(shop.id, sku.sellerSku), sku);
    product.skuIds.push(sku.id);
    return sku;
  });
  ctx.state.products.add(product);
  ctx.emit(shop.id, 16, { product_id: product.id, product_type: ['GPR_PRODUCT'], update_time: now });
  return { product, skus };
}

function clampQty(q: number): number {
  if (!Number.isInteger(q) || q < 0 || q > MAX_QUANTITY)
    throw invalidParam(`quantity ${q} is outside 0-99999`);
  return q;
}

export function getProduct(ctx: Ctx, shop: Shop, productId: string): Product {
  const p = ctx.state.products.get(productId);
  if (!p || p.shopId !== shop.id || p.status === 'DELETED') throw notFound(ctx, 'product', productId);
  return p;
}

/** Full replace of title/description and SKU prices/stock, keeping SKU ids by seller_sku. */
export function editProduct(ctx: Ctx, shop: Shop, productId: string, input: ProductInput): Sku[] {
  const product = getProduct(ctx, shop, productId);
  checkProduct(ctx, shop, input);
  const now = ctx.sim.nowSeconds();
  Object.assign(product, productFields(input));
  product.edits++;
  product.updateTime = now;
  const kept = input.skus.map((s) => {
    const existing = ctx.state.skuBySellerSku.get(ctx.state.skuKey(shop.id, s.seller_sku));
    if (existing && existing.productId !== product.id) {
      throw invalidParam(`seller_sku ${s.seller_sku} belongs to another product`);
    }
    const sku: Sku = existing ?? {
      id: ctx.ids.next(ID_PREFIX.sku),
      productId: product.id,
      shopId: shop.id,
      sellerSku: s.seller_sku,
      price: 0n,
      currency: shop.currency,
      stock: new Map(),
      committed: new Map(),
    };
    sku.price = parseMoney(s.price.amount, shop.currency, 'price.amount').minor;
    sku.stock = new Map(s.inventory.map((i) => [i.warehouse_id ?? shop.warehouseId, clampQty(i.quantity)]));
    ctx.state.skus.set(sku.id, sku);
    ctx.state.skuBySellerSku.set(ctx.state.skuKey(shop.id, sku.sellerSku), sku);
    return sku;
  });
  product.skuIds = kept.map((s) => s.id);
  ctx.emit(shop.id, 15, {
    product_id: product.id,
    changed_fields: ['title', 'description', 'category_id', 'main_images', 'package_weight', 'skus'],
    update_time: now,
  });
  return kept;
}

type ItemError = { code: number; message: string; detail: Record<string, unknown> };

export function deactivateProducts(ctx: Ctx, shop: Shop, productIds: string[]): ItemError[] {
  const errors: ItemError[] = [];
  const now = ctx.sim.nowSeconds();
  for (const id of productIds) {
    const p = ctx.state.products.get(id);
    if (!p || p.shopId !== shop.id || p.status === 'DELETED') {
      errors.push({ code: 12052003, message: `product ${id} does not exist`, detail: { product_id: id } });
      continue;
    }
    p.status = 'SELLER_DEACTIVATED';
    p.updateTime = now;
    ctx.emit(shop.id, 5, {
      product_id: p.id,
      status: 'SELLER_DEACTIVATED',
      suspended_reason: '',
      update_time: now,
    });
  }
  return errors;
}

/** §5.1 activate: a seller-deactivated product is listed again; failed ids in `errors`. */
export function activateProducts(ctx: Ctx, shop: Shop, productIds: string[]): ItemError[] {
  const errors: ItemError[] = [];
  const now = ctx.sim.nowSeconds();
  for (const id of productIds) {
    const p = ctx.state.products.get(id);
    if (!p || p.shopId !== shop.id || p.status === 'DELETED') {
      errors.push({ code: 12052003, message: `product ${id} does not exist`, detail: { product_id: id } });
      continue;
    }
    if (p.status !== 'SELLER_DEACTIVATED' && p.status !== 'ACTIVATE') {
      errors.push({
        code: ctx.settings.business.invalidStateCode,
        message: `product ${id} is ${p.status}; only a seller-deactivated product can be activated`,
        detail: { product_id: id },
      });
      continue;
    }
    p.status = 'ACTIVATE';
    p.updateTime = now;
    ctx.emit(shop.id, 5, { product_id: p.id, status: 'ACTIVATE', suspended_reason: '', update_time: now });
  }
  return errors;
}

/** Absolute quantities (§5.3); failures per SKU in `errors` with code 12052990 (observed code). */
export function updateInventory(
  ctx: Ctx,
  shop: Shop,
  productId: string,
  body: InventoryUpdateBody,
): ItemError[] {
  const product = getProduct(ctx, shop, productId);
  if (product.status === 'FREEZE') throw invalidState(ctx, `product ${productId} is frozen`);
  const errors: ItemError[] = [];
  for (const s of body.skus) {
    const sku = ctx.state.skus.get(s.id);
    if (!sku || sku.productId !== product.id) {
      errors.push({
        code: 12052990,
        message: `sku ${s.id} is not a SKU of product ${productId}`,
        detail: { sku_id: s.id, extra_errors: [] },
      });
      continue;
    }
    const bad = s.inventory.find(
      (i) => !Number.isInteger(i.quantity) || i.quantity < 0 || i.quantity > MAX_QUANTITY,
    );
    const unknownWh = s.inventory.find(
      (i) => i.warehouse_id !== undefined && i.warehouse_id !== shop.warehouseId,
    );
    if (bad || unknownWh) {
      const extra = bad
        ? {
            code: 12052990,
            message: `quantity ${bad.quantity} is outside 0-99999`,
            warehouse_id: bad.warehouse_id ?? '',
          }
        : {
            code: 12052990,
            message: 'warehouse is not assigned to this SKU',
            warehouse_id: unknownWh?.warehouse_id ?? '',
          };
      errors.push({
        code: 12052990,
        message: 'inventory update failed',
        detail: { sku_id: s.id, extra_errors: [extra] },
      });
      continue;
    }
    for (const i of s.inventory) sku.stock.set(i.warehouse_id ?? shop.warehouseId, i.quantity);
  }
  product.updateTime = ctx.sim.nowSeconds();
  return errors;
}

/** §5.1 inventory search: the listed quantity per SKU and warehouse; unknown ids are left out. */
export function searchInventory(ctx: Ctx, shop: Shop, body: InventorySearchBody) {
  const wanted = body.sku_ids ? new Set(body.sku_ids) : undefined;
  const productIds = body.product_ids ?? [
    ...new Set((body.sku_ids ?? []).map((id) => ctx.state.skus.get(id)?.productId ?? '')),
  ];
  return productIds.flatMap((pid) => {
    const p = ctx.state.products.get(pid);
    if (!p || p.shopId !== shop.id || p.status === 'DELETED') return [];
    const skus = p.skuIds
      .filter((id) => !wanted || wanted.has(id))
      .map((id) => ctx.state.skus.get(id))
      .filter((s): s is Sku => s !== undefined)
      .map((s) => ({
        id: s.id,
        seller_sku: s.sellerSku,
        total_available_quantity: totalStock(s),
        total_committed_quantity: [...s.committed.values()].reduce((a, q) => a + q, 0),
        warehouse_inventory: [...s.stock].map(([warehouse_id, q]) => ({
          warehouse_id,
          available_quantity: q,
          committed_quantity: s.committed.get(warehouse_id) ?? 0,
        })),
      }));
    return [{ product_id: p.id, skus }];
  });
}

/** §5.4: SKUs must belong to the product and the product must be ACTIVATE. */
export function updatePrice(ctx: Ctx, shop: Shop, productId: string, body: PriceUpdateBody): ItemError[] {
  const product = getProduct(ctx, shop, productId);
  if (product.status !== 'ACTIVATE') throw invalidState(ctx, `product ${productId} is not ACTIVATE`);
  const errors: ItemError[] = [];
  for (const s of body.skus) {
    const sku = ctx.state.skus.get(s.id);
    if (!sku || sku.productId !== product.id) {
      errors.push({
        code: 12052003,
        message: `sku ${s.id} is not a SKU of product ${productId}`,
        detail: { sku_id: s.id },
      });
      continue;
    }
    if (s.price.currency !== shop.currency) {
      errors.push({ code: 36009004, message: `currency must be ${shop.currency}`, detail: { sku_id: s.id } });
      continue;
    }
    sku.price = parseMoney(s.price.amount, shop.currency, 'price.amount').minor;
  }
  product.updateTime = ctx.sim.nowSeconds();
  return errors;
}

export function totalStock(sku: Sku): number {
  let n = 0;
  for (const q of sku.stock.values()) n += q;
  return n;
}
