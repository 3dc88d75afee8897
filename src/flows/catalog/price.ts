/**
 * `catalog.prices`: price-only changes. For each changed item already listed in a shop, the
 * shop's price (price level and currency, src/mappings/product.ts) is compared with the price
 * last set and, when it differs, set with the price update endpoint (reference §5.4) instead of a
 * full product edit. Items not yet listed are the product flow's.
 */
import { AppError } from '../../shared/errors.ts';
import type { StepContext } from '../engine/define.ts';
import { defineFlow } from '../engine/define.ts';
import type { CatalogContext } from './deps.ts';
import { CATALOG_CURSOR, CatalogPayload, CatalogSyncParams, discoverItems } from './discover.ts';
import { cronEvery, loadItem } from './product.ts';
import { asRejection } from './reject.ts';
import { readListing, savePrice } from './state.ts';

export const CATALOG_PRICES_FLOW = 'catalog.prices';

export interface PriceOutput {
  action: 'price_updated' | 'unchanged' | 'skipped';
  reason?: string;
  price?: string;
  productId: string | null;
}

export function catalogPricesFlow(c: CatalogContext) {
  return defineFlow<CatalogPayload, Record<string, unknown>>({
    id: CATALOG_PRICES_FLOW,
    version: 1,
    description: 'NetSuite item prices -> TikTok Shop SKU prices (price update endpoint, no full edit)',
    triggers: [{ type: 'schedule', cron: cronEvery(c.settings.pollIntervalMinutes) }, { type: 'manual' }],
    payload: CatalogPayload,
    params: CatalogSyncParams,
    discover: (ctx, params) => discoverItems(ctx, params, c),
    polledSources: () => [CATALOG_CURSOR],
    steps: [{ id: 'price', run: ({ payload }, ctx) => syncPrice(c, payload, ctx) }],
    targetId: (outputs) => (outputs['price'] as PriceOutput | null)?.productId ?? null,
  });
}

async function syncPrice(c: CatalogContext, p: CatalogPayload, ctx: StepContext): Promise<PriceOutput> {
  const row = await readListing(ctx.db, p.shopId, p.itemId);
  if (!row)
    return { action: 'skipped', reason: 'not listed yet (the product flow creates it)', productId: null };
  if (row.status !== 'active')
    return { action: 'skipped', reason: 'product is deactivated', productId: row.product_id };
  const { item, scope } = await loadItem(c, p);
  if (scope.item.isInactive)
    return { action: 'skipped', reason: 'item is inactive', productId: row.product_id };
  const { price } = c.mapping.price(scope);
  if (row.price === price.amount && row.currency === price.currency)
    return { action: 'unchanged', price: price.amount, productId: row.product_id };
  const api = await c.shops.api(p.shopId);
  const res = await api.products
    .updatePrice(row.product_id, { skus: [{ id: row.sku_id, price }] })
    .catch((err: unknown) => {
      throw asRejection(err, c, { shopId: p.shopId, itemId: p.itemId, sku: item.itemId, action: 'price' });
    });
  const failed = res.errors[0];
  if (failed) {
    throw new AppError(
      'catalog_product_rejected',
      `TikTok refused skus.0.price on price update for shop ${p.shopId}: ${failed.message} (code ${failed.code}); fix the price of item ${p.itemId} (${item.itemId}) in NetSuite (pricing sublist) or catalog.shops.${p.shopId}.priceLevel, then retry this error`,
      {
        details: { tiktokField: 'skus.0.price', tiktokCode: failed.code, itemId: p.itemId, shopId: p.shopId },
      },
    );
  }
  await savePrice(ctx.db, p, price);
  return { action: 'price_updated', price: price.amount, productId: row.product_id };
}
