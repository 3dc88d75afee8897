/**
 * Overselling, computed from the two sandboxes' own state (never from what TikSuite believes), so
 * the scarce-stock demo and the tests share one verdict. Per seller SKU (= NetSuite item id):
 *
 *   demand   = open quantity of every NetSuite sales-order line (TikTok imports and other channels)
 *            + active units of TikTok orders that have no sales order yet
 *   oversold = max(0, demand - NetSuite on hand)   (units promised to buyers that do not exist;
 *              fulfilled units left both on hand and the open demand, so they cancel out)
 */
import { salesOrderExternalId } from '../../flows/orders/index.ts';
import type { DemoEnv } from './demo-env.ts';

export interface SkuStockVerdict {
  sku: string;
  /** Units sold on TikTok (active lines, all shops). */
  soldOnTikTok: number;
  /** Units of other channels' sales orders. */
  soldElsewhere: number;
  /** NetSuite on hand across locations. */
  onHand: number;
  /** What TikTok lists now (all shops, all warehouses). */
  listedOnTikTok: number;
  /** Units promised to buyers and not shipped: open sales-order lines + TikTok units not imported. */
  demand: number;
  oversold: number;
}

type Rec = { body: Record<string, unknown>; lines: Record<string, Array<Record<string, unknown>>> };

const refId = (v: unknown): string | undefined =>
  v && typeof v === 'object' && 'id' in v ? String((v as { id: unknown }).id) : undefined;
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export function stockVerdicts(
  env: Pick<DemoEnv, 'tiktok' | 'netsuite'>,
  skus: readonly string[],
): SkuStockVerdict[] {
  const store = env.netsuite.state.engine.store;
  const ctx = env.tiktok.ctx;
  const itemBySku = new Map<string, string>();
  for (const rec of store.ofType('inventoryItem')) itemBySku.set(String(rec.body.itemId), rec.id);
  const tiktokOrders = [...ctx.state.shops.keys()].flatMap((shopId) => ctx.state.orders.ofShop(shopId));
  return skus.map((sku) => {
    const itemId = itemBySku.get(sku);
    let onHand = 0;
    for (const level of store.stock.values()) if (level.item === itemId) onHand += level.onHand;
    let openDemand = 0;
    let soldElsewhere = 0;
    for (const so of store.ofType('salesOrder') as Iterable<Rec & { externalId?: string | undefined }>) {
      const fromTikTok = so.externalId?.startsWith('tiktok-') ?? false;
      for (const line of so.lines.item ?? []) {
        if (refId(line.item) !== itemId) continue;
        const done = num(line.quantityFulfilled);
        if (!fromTikTok && line.isClosed !== true) soldElsewhere += num(line.quantity);
        if (line.isClosed !== true) openDemand += Math.max(0, num(line.quantity) - done);
      }
    }
    let soldOnTikTok = 0;
    let unimported = 0;
    for (const order of tiktokOrders) {
      const units = order.lines.filter((l) => !l.cancelled && l.sellerSku === sku).length;
      soldOnTikTok += units;
      if (units && !store.byExternalId('salesOrder', salesOrderExternalId(order.shopId, order.id)))
        unimported += units;
    }
    let listedOnTikTok = 0;
    for (const s of ctx.state.skus.values())
      if (s.sellerSku === sku) for (const q of s.stock.values()) listedOnTikTok += q;
    const oversold = Math.max(0, openDemand + unimported - onHand);
    return {
      sku,
      soldOnTikTok,
      soldElsewhere,
      onHand,
      listedOnTikTok,
      demand: openDemand + unimported,
      oversold,
    };
  });
}

/** Total oversold units over these SKUs: must be 0. */
export function oversoldUnits(env: Pick<DemoEnv, 'tiktok' | 'netsuite'>, skus: readonly string[]): number {
  return stockVerdicts(env, skus).reduce((a, v) => a + v.oversold, 0);
}
