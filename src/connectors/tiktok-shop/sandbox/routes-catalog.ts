/** Orders, products, logistics and authorization endpoints (reference §3.4, §4, §5, §6.4). */
import type { Hono } from 'hono';
import { z } from 'zod';
import { PAGE_LIMITS, PATHS } from '../manifest.ts';
import { OrderSearchBody } from '../wire/orders.ts';
import {
  InventorySearchBody,
  InventoryUpdateBody,
  PriceUpdateBody,
  ProductIdsBody,
  ProductInput,
  ProductSearchBody,
} from '../wire/products.ts';
import {
  activateProducts,
  createProduct,
  deactivateProducts,
  editProduct,
  getProduct,
  searchInventory,
  updateInventory,
  updatePrice,
} from './catalog.ts';
import { type Ctx, invalidParam, notFound } from './context.ts';
import type { SandboxEnv } from './gate.ts';
import type { Order } from './model.ts';
import { inWindow, page, parseInput, route, type Wrap } from './route.ts';
import { renderOrder, renderProduct } from './views.ts';

const SortQuery = z.object({
  sort_field: z.enum(['create_time', 'update_time']).default('create_time'),
  sort_order: z.enum(['ASC', 'DESC']).default('DESC'),
});

function matchOrder(o: Order, f: OrderSearchBody): boolean {
  return (
    (f.order_status === undefined || o.status === f.order_status) &&
    inWindow(o.createTime, f.create_time_ge, f.create_time_lt) &&
    inWindow(o.updateTime, f.update_time_ge, f.update_time_lt) &&
    (f.shipping_type === undefined || o.shippingType === f.shipping_type) &&
    (f.buyer_user_id === undefined || o.buyer.userId === f.buyer_user_id) &&
    (f.is_buyer_request_cancel === undefined || o.buyerRequestCancel === f.is_buyer_request_cancel)
  );
}

export function catalogRoutes(app: Hono<SandboxEnv>, getCtx: () => Ctx): void {
  const r = (fn: Parameters<typeof route>[1]) => route(getCtx, fn);

  orderRoutes(app, r);
  productRoutes(app, r);
  productEditRoutes(app, r);
  logisticsRoutes(app, r);
}

function orderRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  app.get(
    PATHS.authorizedShops,
    r(({ ctx, auth }) => ({
      shops: auth.shopIds.map((id) => {
        const s = ctx.state.shops.get(id)!;
        return {
          id: s.id,
          name: s.name,
          region: s.region,
          seller_type: 'LOCAL',
          cipher: s.cipher,
          code: s.code,
        };
      }),
    })),
  );

  // §4.1: orders of one shop, filtered, sorted (create_time DESC by default), cursor paged.
  app.post(
    PATHS.ordersSearch,
    r(({ ctx, shop, query, body }) => {
      const filters = parseInput(OrderSearchBody, body);
      const sort = parseInput(SortQuery, query, 'query');
      const key = sort.sort_field === 'create_time' ? 'createTime' : 'updateTime';
      const list = ctx.state.orders.ofShop(shop.id).filter((o) => matchOrder(o, filters));
      if (key === 'updateTime') list.sort((a, b) => a.updateTime - b.updateTime || (a.id < b.id ? -1 : 1));
      if (sort.sort_order === 'DESC') list.reverse();
      const p = page(list, query, { max: PAGE_LIMITS.orders, filters: [filters, sort] });
      return {
        orders: p.slice.map((o) => renderOrder(ctx, o)),
        total_count: p.total_count,
        next_page_token: p.next_page_token,
      };
    }),
  );

  // §4.2: ids ≤ 50; unknown ids are left out.
  app.get(
    PATHS.ordersDetail,
    r(({ ctx, shop, query }) => {
      const ids = (query.ids ?? '').split(',').filter(Boolean);
      if (ids.length === 0 || ids.length > PAGE_LIMITS.orderDetailIds)
        throw invalidParam('param ids must hold 1-50 ids');
      const orders = ids
        .map((id) => ctx.state.orders.get(id))
        .filter((o): o is Order => o !== undefined && o.shopId === shop.id);
      return { orders: orders.map((o) => renderOrder(ctx, o)) };
    }),
  );
}

function productRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  app.post(
    PATHS.productsSearch,
    r(({ ctx, shop, query, body }) => {
      const f = parseInput(ProductSearchBody, body);
      const wanted = f.seller_skus ? new Set(f.seller_skus) : undefined;
      const list = ctx.state.products
        .ofShop(shop.id)
        .filter(
          (p) =>
            (f.status === undefined || f.status === 'ALL' ? p.status !== 'DELETED' : p.status === f.status) &&
            (f.create_time_ge === undefined || p.createTime >= f.create_time_ge) &&
            (f.create_time_le === undefined || p.createTime <= f.create_time_le) &&
            (f.update_time_ge === undefined || p.updateTime >= f.update_time_ge) &&
            (f.update_time_le === undefined || p.updateTime <= f.update_time_le) &&
            (!wanted || p.skuIds.some((id) => wanted.has(ctx.state.skus.get(id)?.sellerSku ?? ''))),
        );
      const p = page(list, query, { max: PAGE_LIMITS.products, filters: f });
      return {
        products: p.slice.map((x) => renderProduct(ctx, shop, x)),
        total_count: p.total_count,
        next_page_token: p.next_page_token,
      };
    }),
  );

  app.post(
    PATHS.products,
    r(({ ctx, shop, body }) => {
      const { product, skus } = createProduct(ctx, shop, parseInput(ProductInput, body));
      return {
        product_id: product.id,
        skus: skus.map((s) => ({ id: s.id, seller_sku: s.sellerSku })),
        warnings: [],
      };
    }),
  );

  app.post(
    PATHS.productsActivate,
    r(({ ctx, shop, body }) => ({
      errors: activateProducts(ctx, shop, parseInput(ProductIdsBody, body).product_ids),
    })),
  );

  app.post(
    PATHS.productsDeactivate,
    r(({ ctx, shop, body }) => ({
      errors: deactivateProducts(ctx, shop, parseInput(ProductIdsBody, body).product_ids),
    })),
  );
}

function productEditRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  app.get(
    PATHS.product(':id'),
    r(({ ctx, shop, param }) => renderProduct(ctx, shop, getProduct(ctx, shop, param('id')))),
  );

  app.put(
    PATHS.product(':id'),
    r(({ ctx, shop, param, body }) => {
      const skus = editProduct(ctx, shop, param('id'), parseInput(ProductInput, body));
      return {
        product_id: param('id'),
        skus: skus.map((s) => ({ id: s.id, seller_sku: s.sellerSku })),
        warnings: [],
      };
    }),
  );

  app.post(
    PATHS.inventoryUpdate(':id'),
    r(({ ctx, shop, param, body }) => ({
      errors: updateInventory(ctx, shop, param('id'), parseInput(InventoryUpdateBody, body)),
    })),
  );

  app.post(
    PATHS.inventorySearch,
    r(({ ctx, shop, body }) => ({
      inventory: searchInventory(ctx, shop, parseInput(InventorySearchBody, body)),
    })),
  );

  app.post(
    PATHS.priceUpdate(':id'),
    r(({ ctx, shop, param, body }) => ({
      errors: updatePrice(ctx, shop, param('id'), parseInput(PriceUpdateBody, body)),
    })),
  );
}

function logisticsRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  app.get(
    PATHS.warehouses,
    r(({ shop }) => ({
      warehouses: [
        {
          id: shop.warehouseId,
          name: `${shop.name} warehouse`,
          effect_status: 'ENABLED',
          type: 'SALES_WAREHOUSE',
          sub_type: 'DOMESTIC_WAREHOUSE',
          is_default: true,
          address: {
            region_code: shop.region,
            full_address:
              shop.region === 'US' ? '1199 Coleman Ave, San Jose, CA 95110' : '1 Old St, London EC1A 1BB',
          },
        },
      ],
    })),
  );

  app.get(
    PATHS.deliveryOptions(':id'),
    r(({ ctx, shop, param }) => {
      if (param('id') !== shop.warehouseId) throw notFound(ctx, 'warehouse', param('id'));
      return {
        delivery_options: [...ctx.state.deliveryOptions].map(([id, o]) => ({
          id,
          name: o.name,
          type: o.type,
        })),
      };
    }),
  );

  app.get(
    PATHS.shippingProviders(':id'),
    r(({ ctx, param }) => {
      const option = ctx.state.deliveryOptions.get(param('id'));
      if (!option) throw notFound(ctx, 'delivery option', param('id'));
      return {
        shipping_providers: option.providerIds.map((id) => ({ id, name: ctx.state.providers.get(id) ?? '' })),
      };
    }),
  );
}
