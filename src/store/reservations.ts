/**
 * Stock reservations (docs/inventory.md, ADR 6): the units of a marketplace order held against its
 * SKUs from the moment the order is seen until a NetSuite stock snapshot taken after the sales
 * order's import reflects them. Plus a ledger of monotone counters per SKU (units ever reserved,
 * units ever cancelled) that lets the push tell the marketplace's own sales from NetSuite's changes.
 */
import { type Kysely, sql } from 'kysely';
import { storable, storableText } from '../shared/text.ts';
import type { Database } from './schema.ts';

export interface ReservationKey {
  channel: string;
  shopId: string;
  orderId: string;
}

export interface SkuReservations {
  /** Units reserved now and not yet reflected by the snapshot. */
  reserved: number;
  reservedTotal: number;
  cancelledTotal: number;
  /** When a TikTok sale last reserved units of the SKU (null: never). */
  lastReservedAt: Date | null;
}

export class ReservationStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Sets the order's reserved units per SKU to `units` (active, not cancelled lines). Growth counts
   * as reserved, shrinkage as cancelled; a SKU left out drops to 0. Serialised per order by an
   * advisory lock so two workers seeing the same order count its units once. Returns changed SKUs.
   */
  async applyOrder(rawKey: ReservationKey, rawUnits: ReadonlyMap<string, number>): Promise<string[]> {
    // Outside text (an order id, a seller's SKU) is stored escaped, never refused (shared/text.ts).
    const key = storable(rawKey);
    const units = new Map([...rawUnits].map(([sku, n]) => [storableText(sku), n]));
    return this.#db.transaction().execute(async (tx) => {
      const lockKey = `${key.channel}:${key.shopId}:${key.orderId}`;
      await sql`SELECT pg_advisory_xact_lock(hashtext(${lockKey}))`.execute(tx);
      const rows = await tx
        .selectFrom('stock_reservations')
        .select(['sku', 'quantity'])
        .where('channel', '=', key.channel)
        .where('shop_id', '=', key.shopId)
        .where('order_id', '=', key.orderId)
        .execute();
      const old = new Map(rows.map((r) => [r.sku, r.quantity]));
      const skus = [...new Set([...old.keys(), ...units.keys()])].sort();
      const changed: string[] = [];
      const now = new Date();
      for (const sku of skus) {
        const before = old.get(sku) ?? 0;
        const after = units.get(sku) ?? 0;
        if (before === after && old.has(sku)) continue;
        if (after === 0 && !old.has(sku)) continue;
        changed.push(sku);
        await tx
          .insertInto('stock_reservations')
          .values({
            channel: key.channel,
            shop_id: key.shopId,
            order_id: key.orderId,
            sku,
            quantity: after,
            updated_at: now,
            imported_at: null,
            cancelled_at: after === 0 ? now : null,
            released_at: null,
          })
          .onConflict((oc) =>
            oc.columns(['channel', 'shop_id', 'order_id', 'sku']).doUpdateSet({
              quantity: after,
              updated_at: now,
              cancelled_at: after === 0 ? now : null,
            }),
          )
          .execute();
        const grow = Math.max(0, after - before);
        const shrink = Math.max(0, before - after);
        await tx
          .insertInto('stock_ledger')
          .values({
            sku,
            reserved_total: grow,
            cancelled_total: shrink,
            updated_at: now,
            last_reserved_at: grow > 0 ? now : null,
          })
          .onConflict((oc) =>
            oc.column('sku').doUpdateSet({
              reserved_total: sql`stock_ledger.reserved_total + ${grow}`,
              cancelled_total: sql`stock_ledger.cancelled_total + ${shrink}`,
              updated_at: now,
              last_reserved_at: grow > 0 ? now : sql`stock_ledger.last_reserved_at`,
            }),
          )
          .execute();
      }
      return changed;
    });
  }

  /** The import flow's upsert of the order's sales order succeeded (first time only). */
  async markImported(key: ReservationKey, db: Kysely<Database> = this.#db): Promise<void> {
    await db
      .updateTable('stock_reservations')
      .set({ imported_at: new Date() })
      .where('channel', '=', key.channel)
      .where('shop_id', '=', key.shopId)
      .where('order_id', '=', key.orderId)
      .where('imported_at', 'is', null)
      .execute();
  }

  /**
   * Per SKU, in ONE statement (one snapshot, so the count and the counters agree): the units to
   * subtract from a NetSuite snapshot started at `snapshotAt` — every reservation not cancelled,
   * not released, and imported at or after the snapshot's start (or not at all) — and the ledger.
   */
  async forSnapshot(skus: readonly string[], snapshotAt: Date): Promise<Map<string, SkuReservations>> {
    const out = new Map<string, SkuReservations>();
    if (skus.length === 0) return out;
    const res = await sql<{
      sku: string;
      reserved: string | number;
      rt: string | number;
      ct: string | number;
      lr: Date | string | null;
    }>`
      SELECT s.sku,
        COALESCE((SELECT SUM(r.quantity) FROM stock_reservations r
          WHERE r.sku = s.sku AND r.cancelled_at IS NULL AND r.released_at IS NULL
            AND (r.imported_at IS NULL OR r.imported_at >= ${snapshotAt})), 0) AS reserved,
        COALESCE(l.reserved_total, 0) AS rt, COALESCE(l.cancelled_total, 0) AS ct,
        l.last_reserved_at AS lr
      FROM unnest(${[...skus]}::text[]) AS s(sku)
      LEFT JOIN stock_ledger l ON l.sku = s.sku`.execute(this.#db);
    for (const r of res.rows)
      out.set(r.sku, {
        reserved: Number(r.reserved),
        reservedTotal: Number(r.rt),
        cancelledTotal: Number(r.ct),
        lastReservedAt: r.lr === null ? null : new Date(r.lr),
      });
    return out;
  }

  /** After a snapshot started at `snapshotAt` was applied: reservations imported before it are done. */
  async release(skus: readonly string[], snapshotAt: Date, db: Kysely<Database> = this.#db): Promise<number> {
    if (skus.length === 0) return 0;
    const res = await db
      .updateTable('stock_reservations')
      .set({ released_at: new Date() })
      .where('sku', 'in', [...skus])
      .where('released_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .where('imported_at', '<', snapshotAt)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  /** SKUs whose reservations changed after `since` (the poller re-evaluates them). */
  async changedSince(since: Date): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('stock_reservations')
      .select('sku')
      .distinct()
      .where('updated_at', '>', since)
      .execute();
    return rows.map((r) => r.sku);
  }

  /** Open reservations (not released or cancelled), for the CLI and the demo. */
  async open(limit = 100) {
    return this.#db
      .selectFrom('stock_reservations')
      .selectAll()
      .where('released_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .orderBy('created_at')
      .limit(limit)
      .execute();
  }
}
