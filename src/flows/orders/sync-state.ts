/**
 * order_sync: per TikTok order, what was last applied to NetSuite, and a short lease. Jobs for two
 * versions of one order may run at once on two workers (ADR 2); the lease makes the second wait
 * (a retry) and the applied update_time makes an older version a no-op, so NetSuite always ends on
 * the newest version. The lease is a row, not a held connection: nothing blocks during remote calls.
 */
import { type Kysely, sql } from 'kysely';
import type { Order } from '../../connectors/tiktok-shop/index.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import type { Database } from '../../store/schema.ts';
import type { SyncState } from './policy.ts';

export interface OrderRef {
  shopId: string;
  orderId: string;
}

/** Takes the order's lease (or renews our own); throws a retryable error while another job holds it. */
export async function acquireLease(
  db: Kysely<Database>,
  ref: OrderRef,
  owner: string,
  seconds: number,
): Promise<SyncState | undefined> {
  const until = sql<Date>`now() + make_interval(secs => ${seconds})`;
  const row = await db
    .insertInto('order_sync')
    .values({ shop_id: ref.shopId, order_id: ref.orderId, lease_owner: owner, lease_until: until })
    .onConflict((oc) =>
      oc
        .columns(['shop_id', 'order_id'])
        .doUpdateSet({ lease_owner: owner, lease_until: until })
        .where((eb) =>
          eb.or([
            eb('order_sync.lease_until', 'is', null),
            eb('order_sync.lease_until', '<', sql<Date>`now()`),
            eb('order_sync.lease_owner', '=', owner),
          ]),
        ),
    )
    .returning(['applied_update_time', 'sales_order_id', 'applied_hash', 'applied_base_hash', 'action'])
    .executeTakeFirst();
  if (!row) {
    throw new AppError('transient_failure', `order ${ref.orderId} is being synced by another job; retrying`, {
      details: { ...ref, reason: 'order_busy' },
    });
  }
  if (row.action === null) return undefined;
  return {
    appliedUpdateTime: Number(row.applied_update_time),
    salesOrderId: row.sales_order_id,
    appliedHash: row.applied_hash,
    appliedBaseHash: row.applied_base_hash,
  };
}

/**
 * Takes the order's lease for a step that holds it for a call or two (a fulfillment, a refund):
 * waits for it up to about 5 s before handing the record back to the queue's retries.
 */
export async function takeLease(
  ctx: { db: Kysely<Database>; signal: AbortSignal },
  ref: OrderRef,
  owner: string,
  seconds: number,
): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await acquireLease(ctx.db, ref, owner, seconds);
      return;
    } catch (err) {
      const busy = isAppError(err) && err.details?.['reason'] === 'order_busy';
      if (!busy || i >= 20 || ctx.signal.aborted) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export async function releaseLease(db: Kysely<Database>, ref: OrderRef, owner: string): Promise<void> {
  await db
    .updateTable('order_sync')
    .set({ lease_owner: null, lease_until: null })
    .where('shop_id', '=', ref.shopId)
    .where('order_id', '=', ref.orderId)
    .where('lease_owner', '=', owner)
    .execute();
}

/** Records what was applied and releases the lease in the same statement. */
export async function saveState(
  db: Kysely<Database>,
  ref: OrderRef,
  owner: string,
  s: {
    updateTime: number;
    status: string;
    shipBy: Date | null;
    action: string;
    salesOrderId: string | null;
    hash: string | null;
    /** The hash with cancelled units folded back (sales-order.ts baseHash). */
    baseHash: string | null;
  },
): Promise<void> {
  await db
    .updateTable('order_sync')
    .set({
      applied_update_time: s.updateTime,
      tiktok_status: s.status,
      ship_by: s.shipBy,
      action: s.action,
      sales_order_id: s.salesOrderId,
      applied_hash: s.hash,
      applied_base_hash: s.baseHash,
      lease_owner: null,
      lease_until: null,
      updated_at: new Date(),
    })
    .where('shop_id', '=', ref.shopId)
    .where('order_id', '=', ref.orderId)
    // A job whose lease ran out (and was taken over) must not overwrite the newer job's state.
    .where('lease_owner', '=', owner)
    .execute();
}

/**
 * The order's ship-by time (TikTok's `rts_sla_time`, reference section 4.4), kept with its status
 * for the ship-by check (docs/orders.md "Ship-by deadlines"). None for an order TikTok's own
 * warehouse fulfils (FBT): the seller has nothing to ship.
 */
export function shipByOf(order: Pick<Order, 'rts_sla_time' | 'fulfillment_type'>): Date | null {
  const at = order.rts_sla_time;
  if (order.fulfillment_type === 'FULFILLMENT_BY_TIKTOK' || at === undefined) return null;
  // A time outside 1970-9999 is no deadline a seller can meet (and no timestamptz): none.
  return at > 0 && at <= MAX_UNIX_SECONDS ? new Date(at * 1000) : null;
}

/** 9999-12-31T23:59:59Z. */
const MAX_UNIX_SECONDS = 253_402_300_799;

/** TikSuite's shipments left no unit of the order to ship (the fulfillment flow says so once). */
export async function markOrderShipped(db: Kysely<Database>, ref: OrderRef): Promise<void> {
  await db
    .updateTable('order_sync')
    .set({ shipped_at: new Date() })
    .where('shop_id', '=', ref.shopId)
    .where('order_id', '=', ref.orderId)
    .where('shipped_at', 'is', null)
    .execute();
}
