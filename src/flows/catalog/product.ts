/**
 * `catalog.products`: each changed NetSuite item becomes (or updates, or deactivates) one TikTok
 * product per shop. One step per record: read the item afresh, map it (src/mappings/product.ts),
 * then create, full-edit (only when the body other than price and stock changed), activate or
 * deactivate. The product is found by the cross-reference, else by seller SKU, so a create whose
 * answer was lost is adopted on retry instead of listed twice. Reference §5.1-5.2.
 */
import { createHash } from 'node:crypto';
import type { CreateProductData, ProductInput, TikTokShopApi } from '../../connectors/tiktok-shop/index.ts';
import {
  type ItemScope,
  itemScope,
  type NsItem,
  type ProductDraft,
  productInput,
} from '../../mappings/product.ts';
import { AppError } from '../../shared/errors.ts';
import type { StepContext } from '../engine/define.ts';
import { defineFlow } from '../engine/define.ts';
import { type CatalogContext, catalogXref, RECORD_TYPE_OF, shopSettings } from './deps.ts';
import { CATALOG_CURSOR, CatalogPayload, CatalogSyncParams, discoverItems } from './discover.ts';
import { asRejection } from './reject.ts';
import { type CatalogRow, readListing, saveListing } from './state.ts';

export const CATALOG_PRODUCTS_FLOW = 'catalog.products';

export interface ProductOutput {
  action: 'created' | 'updated' | 'unchanged' | 'deactivated' | 'activated' | 'skipped';
  reason?: string;
  productId: string | null;
}

export function cronEvery(minutes: number): string {
  return minutes >= 60 ? `0 */${Math.floor(minutes / 60)} * * *` : `*/${minutes} * * * *`;
}

export function catalogProductsFlow(c: CatalogContext) {
  return defineFlow<CatalogPayload, Record<string, unknown>>({
    id: CATALOG_PRODUCTS_FLOW,
    version: 1,
    description: 'NetSuite items -> TikTok Shop products (create, update, deactivate), polling item changes',
    triggers: [
      { type: 'schedule', cron: cronEvery(c.settings.pollIntervalMinutes) },
      { type: 'manual' },
      { type: 'backfill' },
    ],
    payload: CatalogPayload,
    params: CatalogSyncParams,
    discover: (ctx, params) => discoverItems(ctx, params, c),
    polledSources: () => [CATALOG_CURSOR],
    steps: [{ id: 'sync', run: ({ payload }, ctx) => syncProduct(c, payload, ctx) }],
    targetId: (outputs) => (outputs['sync'] as ProductOutput | null)?.productId ?? null,
  });
}

/** Reads the item as it is now (a retry after a fix sees the fix) and the shop's scope. */
export async function loadItem(c: CatalogContext, p: CatalogPayload) {
  const shop = shopSettings(c.settings, p.shopId);
  const item: NsItem = await c.netsuite.records.get(RECORD_TYPE_OF[p.itemType], p.itemId);
  const scope: ItemScope['shop'] = {
    id: p.shopId,
    region: await c.shops.region(p.shopId),
    currency: shop.currency,
    priceLevel: shop.priceLevel,
    priceCurrency: shop.priceCurrency ?? c.currencyIds?.[shop.currency] ?? shop.currency,
  };
  return { shop, item, scope: itemScope(item, scope) };
}

function forShop(item: NsItem, subsidiary: string | undefined): boolean {
  if (!subsidiary) return true;
  const s: unknown = item.subsidiary;
  const one = (v: unknown) => (v && typeof v === 'object' && 'id' in v ? [String(v.id)] : []);
  const ids =
    s && typeof s === 'object' && 'items' in s && Array.isArray(s.items) ? s.items.flatMap(one) : one(s);
  return ids.includes(subsidiary);
}

/** Hash of the body without price and stock: those change through their own endpoints. */
function contentHash(body: ProductInput): string {
  const skus = body.skus.map(({ price: _p, inventory: _i, ...rest }) => rest);
  return createHash('sha256')
    .update(JSON.stringify({ ...body, skus }))
    .digest('hex')
    .slice(0, 32);
}

interface Job {
  c: CatalogContext;
  p: CatalogPayload;
  ctx: StepContext;
  api: TikTokShopApi;
  item: NsItem;
  row: CatalogRow | undefined;
}

interface Written {
  out: ProductOutput;
  ids: { productId: string; skuId: string };
  hash: string;
}

async function syncProduct(c: CatalogContext, p: CatalogPayload, ctx: StepContext): Promise<ProductOutput> {
  const { shop, item, scope } = await loadItem(c, p);
  const job: Job = {
    c,
    p,
    ctx,
    item,
    row: await readListing(ctx.db, p.shopId, p.itemId),
    api: await c.shops.api(p.shopId),
  };
  if (scope.item.isInactive || !forShop(item, shop.subsidiary))
    return retire(job, scope.item.isInactive ? 'item is inactive' : 'item is not in the shop subsidiary');
  const draft = c.mapping.map(scope);
  const found = job.row
    ? { productId: job.row.product_id, skuId: job.row.sku_id }
    : await findProduct(job.api, draft.sku.sellerSku, ctx, p);
  const w = found ? await update(job, draft, found) : await create(job, draft, shop.warehouseId);
  await ctx.xref.put(catalogXref(p.itemId, p.shopId, 'product'), w.ids.productId);
  await ctx.xref.put(catalogXref(p.itemId, p.shopId, 'sku'), w.ids.skuId);
  // A create or an edit sent the price; otherwise the price is the price flow's to record.
  const wrote = w.out.action === 'created' || w.out.action === 'updated';
  await saveListing(ctx.db, {
    shop_id: p.shopId,
    item_id: p.itemId,
    product_id: w.ids.productId,
    sku_id: w.ids.skuId,
    content_hash: w.hash,
    price: wrote ? draft.sku.price.amount : (job.row?.price ?? null),
    currency: wrote ? draft.sku.price.currency : (job.row?.currency ?? null),
    status: 'active',
    item_modified: p.modified,
  });
  return w.out;
}

/** Inactive item (or one outside the shop): deactivate its product if it is listed. */
async function retire({ api, row, ctx, p }: Job, reason: string): Promise<ProductOutput> {
  if (!row || row.status === 'deactivated')
    return { action: 'skipped', reason, productId: row?.product_id ?? null };
  const res = await api.products.deactivate([row.product_id]);
  if (res.errors.length) throw batchFailure('deactivate', row.product_id, res.errors[0]);
  await saveListing(ctx.db, { ...row, status: 'deactivated', item_modified: p.modified });
  return { action: 'deactivated', reason, productId: row.product_id };
}

function rejecting(job: Job, action: 'create' | 'edit') {
  return (err: unknown): never => {
    throw asRejection(err, job.c, {
      shopId: job.p.shopId,
      itemId: job.p.itemId,
      sku: job.item.itemId,
      action,
    });
  };
}

async function create(job: Job, draft: ProductDraft, warehouseId: string | undefined): Promise<Written> {
  const inventory = [{ ...(warehouseId ? { warehouse_id: warehouseId } : {}), quantity: 0 }];
  const body = productInput(draft, job.item, inventory);
  let created: CreateProductData;
  try {
    created = await job.api.products.create(body);
  } catch (err) {
    // Another record of this item (an overlapping run) may have listed it a moment ago: TikTok
    // then refuses the duplicate seller SKU. Adopt that product instead of reporting an error.
    const now = await findProduct(job.api, draft.sku.sellerSku, job.ctx, job.p);
    if (now) return update(job, draft, now);
    return rejecting(job, 'create')(err);
  }
  return {
    out: { action: 'created', productId: created.product_id },
    ids: { productId: created.product_id, skuId: created.skus[0]?.id ?? '' },
    hash: contentHash(body),
  };
}

async function update(
  job: Job,
  draft: ProductDraft,
  found: { productId: string; skuId: string },
): Promise<Written> {
  const { api, row } = job;
  const ids = { ...found };
  const hash = contentHash(productInput(draft, job.item, []));
  let out: ProductOutput = { action: 'unchanged', productId: found.productId };
  // A listed, active product whose body is unchanged needs no TikTok call (price: the price flow).
  if (row && row.content_hash === hash && row.status === 'active') return { out, ids, hash };
  const current = await api.products.get(found.productId);
  if (!row || row.content_hash !== hash) {
    // An edit replaces the SKUs' stock too (§5.1): send back what TikTok holds now.
    const inventory = current.skus.find((s) => s.id === found.skuId)?.inventory ?? [{ quantity: 0 }];
    const edited = await api.products
      .edit(found.productId, productInput(draft, job.item, inventory))
      .catch(rejecting(job, 'edit'));
    ids.skuId = edited.skus.find((s) => s.seller_sku === draft.sku.sellerSku)?.id ?? ids.skuId;
    out = { action: 'updated', productId: found.productId };
  }
  if (current.status === 'SELLER_DEACTIVATED') {
    const res = await api.products.activate([found.productId]);
    if (res.errors.length) throw batchFailure('activate', found.productId, res.errors[0]);
    if (out.action === 'unchanged') out = { action: 'activated', productId: found.productId };
  }
  return { out, ids, hash };
}

function batchFailure(what: string, productId: string, e: { code?: number; message?: string } | undefined) {
  return new AppError(
    'tiktok_api_error',
    `TikTok could not ${what} product ${productId}: ${e?.message ?? 'no message'}`,
    {
      details: { productId, tiktokCode: e?.code },
    },
  );
}

/** A product with this seller SKU already on TikTok (listed by hand, or a create whose answer was lost). */
async function findProduct(api: TikTokShopApi, sellerSku: string, ctx: StepContext, p: CatalogPayload) {
  const page = await api.products.searchPage({ seller_skus: [sellerSku] }, 10);
  for (const product of page.items) {
    const s = product.skus.find((x) => x.seller_sku === sellerSku);
    if (s) {
      ctx.log.info({ item: p.itemId, product: product.id }, 'existing TikTok product adopted');
      return { productId: product.id, skuId: s.id };
    }
  }
  return undefined;
}
