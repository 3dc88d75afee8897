/**
 * From a NetSuite stock snapshot to push records: one record per TikTok product (split by
 * `batchSize` SKUs), carrying the snapshot's start time and each SKU's availability per warehouse.
 * The start time is taken on our clock BEFORE the SuiteQL request is sent: the snapshot then
 * reflects every sales order committed before it (ADR 6, release without a race).
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../store/schema.ts';
import type { FlowRecord } from '../engine/define.ts';
import type { InventoryServices } from './deps.ts';
import { allStock, type LocationStock, mergeForShop, stockOf } from './snapshot.ts';
import type { TargetCache } from './targets.ts';

export const PushPayload = z.object({
  shopId: z.string().min(1),
  productId: z.string().min(1),
  /** ISO time the NetSuite snapshot was started (our clock). */
  snapshotAt: z.iso.datetime({ offset: true }),
  skus: z
    .array(
      z.object({
        sku: z.string().min(1),
        skuId: z.string().min(1),
        /** NetSuite item internal id (re-reads by id are cheaper than by name). */
        itemId: z.string().min(1).optional(),
        available: z.number().int(),
        warehouses: z.array(z.object({ warehouseId: z.string().optional(), available: z.number().int() })),
      }),
    )
    .min(1),
  /** Re-read NetSuite before pushing (a retried error record: its snapshot is old). */
  refresh: z.boolean().optional(),
  /** Full resync: list the sellable number even above TikTok's (repairs drift; ADR 6 residual risk). */
  reset: z.boolean().optional(),
  /** From one bulk read (full resync, mass change): pushed without a re-read per product. */
  bulk: z.boolean().optional(),
});
export type PushPayload = z.infer<typeof PushPayload>;

const BULK_ABOVE = 2000;

export function pushKey(shopId: string, productId: string, part: number): string {
  return `inventory:${shopId}:product:${productId}${part > 0 ? `:${part}` : ''}`;
}

/** The same SKUs with a snapshot taken now (for a retried per-SKU error). */
export async function refreshPayload(services: InventoryServices, p: PushPayload): Promise<PushPayload> {
  const snapshotAt = new Date().toISOString();
  const byId = p.skus.every((s) => s.itemId);
  const rows = await stockOf(
    services.netsuite,
    byId ? { itemIds: p.skus.map((s) => s.itemId!) } : { skus: p.skus.map((s) => s.sku) },
  );
  const stock = new Map(mergeForShop(rows, p.shopId, services.settings).map((s) => [s.sku, s]));
  const skus = p.skus.map((line) => {
    const s = stock.get(line.sku);
    if (!s)
      return { ...line, available: 0, warehouses: line.warehouses.map((w) => ({ ...w, available: 0 })) };
    return {
      ...line,
      available: s.available,
      warehouses: s.warehouses.map((w) => ({
        ...(w.warehouseId ? { warehouseId: w.warehouseId } : {}),
        available: w.available,
      })),
    };
  });
  return { ...p, refresh: false, bulk: false, snapshotAt, skus };
}

export type SnapshotScope = { full: true } | { itemIds?: readonly string[]; skus?: readonly string[] };

/**
 * Visits the shops; the default goes in turn and fails on the first failure. Discovery passes
 * ctx.eachSource and the poller its own, so one shop whose TikTok calls fail never stops the others.
 */
export type EachShop = (shops: readonly string[], fn: (shopId: string) => Promise<void>) => Promise<void>;

const inTurn: EachShop = async (shops, fn) => {
  for (const shopId of shops) await fn(shopId);
};

/** Reads the snapshot for the scope and turns it into push records for every configured shop. */
export async function collectRecords(
  services: InventoryServices,
  db: Kysely<Database>,
  targets: TargetCache,
  scope: SnapshotScope,
  eachShop: EachShop = inTurn,
): Promise<FlowRecord<PushPayload>[]> {
  const snapshotAt = new Date().toISOString();
  let rows: LocationStock[];
  const bulk = 'full' in scope || (scope.itemIds?.length ?? 0) + (scope.skus?.length ?? 0) > BULK_ABOVE;
  if ('full' in scope) rows = await allStock(services.netsuite);
  else if (!scope.itemIds?.length && !scope.skus?.length) return [];
  else if ((scope.itemIds?.length ?? 0) + (scope.skus?.length ?? 0) > BULK_ABOVE) {
    // Many changes (a mass adjustment, the first poll): one paged read beats hundreds of IN lists.
    const ids = new Set(scope.itemIds ?? []);
    const skus = new Set(scope.skus ?? []);
    rows = (await allStock(services.netsuite)).filter((r) => ids.has(r.itemId) || skus.has(r.sku));
  } else rows = await stockOf(services.netsuite, scope);
  const exclude = new Set(services.settings.exclude);
  rows = rows.filter((r) => r.sku && !exclude.has(r.sku));
  const records: FlowRecord<PushPayload>[] = [];
  await eachShop(services.shops.ids(), async (shopId) => {
    const stock = mergeForShop(rows, shopId, services.settings);
    const refs = await targets.resolve(db, () => services.shops.api(shopId), shopId, stock);
    const byProduct = new Map<string, PushPayload['skus']>();
    for (const s of stock) {
      const ref = refs.get(s.sku);
      if (!ref) continue;
      const list = byProduct.get(ref.productId) ?? [];
      list.push({
        sku: s.sku,
        skuId: ref.skuId,
        itemId: s.itemId,
        available: s.available,
        warehouses: s.warehouses.map((w) => ({
          ...(w.warehouseId ? { warehouseId: w.warehouseId } : {}),
          available: w.available,
        })),
      });
      byProduct.set(ref.productId, list);
    }
    const size = services.settings.batchSize;
    for (const [productId, skus] of byProduct) {
      for (let i = 0; i < skus.length; i += size) {
        const payload = {
          shopId,
          productId,
          snapshotAt,
          skus: skus.slice(i, i + size),
          ...('full' in scope ? { reset: true } : {}),
          ...(bulk ? { bulk: true } : {}),
        };
        records.push({ key: pushKey(shopId, productId, i / size), payload });
      }
    }
  });
  return records;
}
