/**
 * inventory_state and inventory_leases: per shop and SKU the baseline of the last applied
 * evaluation (ADR 6), and a short lease per TikTok product so two workers never write one product's
 * stock at once (pushes are serialised per SKU).
 */
import { type Kysely, sql } from 'kysely';
import type { StockBaseline } from '../../domain/stock.ts';
import { AppError } from '../../shared/errors.ts';
import type { Database } from '../../store/schema.ts';

export interface SkuState {
  baseline: StockBaseline | undefined;
  snapshotAt: Date | null;
}

export async function acquireProductLease(
  db: Kysely<Database>,
  shopId: string,
  productId: string,
  owner: string,
  seconds: number,
): Promise<void> {
  const until = sql<Date>`now() + make_interval(secs => ${seconds})`;
  const row = await db
    .insertInto('inventory_leases')
    .values({ shop_id: shopId, product_id: productId, lease_owner: owner, lease_until: until })
    .onConflict((oc) =>
      oc
        .columns(['shop_id', 'product_id'])
        .doUpdateSet({ lease_owner: owner, lease_until: until })
        .where((eb) =>
          eb.or([
            eb('inventory_leases.lease_until', 'is', null),
            eb('inventory_leases.lease_until', '<', sql<Date>`now()`),
            eb('inventory_leases.lease_owner', '=', owner),
          ]),
        ),
    )
    .returning('product_id')
    .executeTakeFirst();
  if (!row) {
    throw new AppError(
      'transient_failure',
      `TikTok product ${productId} stock is being pushed by another job; retrying`,
      { details: { shopId, productId, reason: 'product_busy' } },
    );
  }
}

export async function releaseProductLease(
  db: Kysely<Database>,
  shopId: string,
  productId: string,
  owner: string,
): Promise<void> {
  await db
    .updateTable('inventory_leases')
    .set({ lease_owner: null, lease_until: null })
    .where('shop_id', '=', shopId)
    .where('product_id', '=', productId)
    .where('lease_owner', '=', owner)
    .execute();
}

export async function loadStates(
  db: Kysely<Database>,
  shopId: string,
  skus: readonly string[],
): Promise<Map<string, SkuState>> {
  const rows = await db
    .selectFrom('inventory_state')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('sku', 'in', [...skus])
    .execute();
  return new Map(
    rows.map((r) => [
      r.sku,
      {
        snapshotAt: r.snapshot_at ? new Date(r.snapshot_at) : null,
        baseline:
          r.raw === null
            ? undefined
            : {
                raw: r.raw,
                reservedTotal: Number(r.reserved_total ?? 0),
                cancelledTotal: Number(r.cancelled_total ?? 0),
              },
      },
    ]),
  );
}

export interface SavedState {
  shopId: string;
  sku: string;
  productId: string;
  skuId: string;
  snapshotAt: Date;
  baseline: StockBaseline;
  listed: number;
}

/** Saves the applied evaluations of one push in one statement. */
export async function saveStates(db: Kysely<Database>, states: readonly SavedState[]): Promise<void> {
  if (states.length === 0) return;
  const now = new Date();
  await db
    .insertInto('inventory_state')
    .values(
      states.map((s) => ({
        shop_id: s.shopId,
        sku: s.sku,
        product_id: s.productId,
        sku_id: s.skuId,
        snapshot_at: s.snapshotAt,
        raw: s.baseline.raw,
        reserved_total: s.baseline.reservedTotal,
        cancelled_total: s.baseline.cancelledTotal,
        listed: s.listed,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['shop_id', 'sku']).doUpdateSet((eb) => ({
        product_id: eb.ref('excluded.product_id'),
        sku_id: eb.ref('excluded.sku_id'),
        snapshot_at: eb.ref('excluded.snapshot_at'),
        raw: eb.ref('excluded.raw'),
        reserved_total: eb.ref('excluded.reserved_total'),
        cancelled_total: eb.ref('excluded.cancelled_total'),
        listed: eb.ref('excluded.listed'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Per warehouse id: what TikTok listed (available) and had committed, as read before a fence. */
export interface FencedSku {
  available: Record<string, number>;
  committed: Record<string, number>;
}

/** Stored before the zero write, under the product's lease (ADR 7). */
export async function saveFence(
  db: Kysely<Database>,
  shopId: string,
  productId: string,
  skus: Record<string, FencedSku>,
): Promise<void> {
  const pending = await loadFence(db, shopId, productId);
  await db
    .updateTable('inventory_leases')
    .set({ fence: JSON.stringify({ ...pending, ...skus }) })
    .where('shop_id', '=', shopId)
    .where('product_id', '=', productId)
    .execute();
}

/** SKU id -> pre-fence numbers of a fenced write that did not finish. */
export async function loadFence(
  db: Kysely<Database>,
  shopId: string,
  productId: string,
): Promise<Record<string, FencedSku>> {
  const row = await db
    .selectFrom('inventory_leases')
    .select('fence')
    .where('shop_id', '=', shopId)
    .where('product_id', '=', productId)
    .executeTakeFirst();
  const f = row?.fence;
  return f && typeof f === 'object' ? (f as Record<string, FencedSku>) : {};
}

/** The final write was applied (or refused and recorded): these SKUs are no longer fenced. */
export async function clearFence(
  db: Kysely<Database>,
  shopId: string,
  productId: string,
  skuIds: readonly string[],
): Promise<void> {
  if (skuIds.length === 0) return;
  const pending = await loadFence(db, shopId, productId);
  const left = Object.fromEntries(Object.entries(pending).filter(([id]) => !skuIds.includes(id)));
  await db
    .updateTable('inventory_leases')
    .set({ fence: Object.keys(left).length > 0 ? JSON.stringify(left) : null })
    .where('shop_id', '=', shopId)
    .where('product_id', '=', productId)
    .execute();
}
