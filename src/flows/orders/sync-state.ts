/**
 * order_sync: per TikTok order, what was last applied to NetSuite, and a short lease. Jobs for two
 * versions of one order may run at once on two workers (ADR 2); the lease makes the second wait
 * (a retry) and the applied update_time makes an older version a no-op, so NetSuite always ends on
 * the newest version. The lease is a row, not a held connection: nothing blocks during remote calls.
 */
import { type Kysely, sql } from 'kysely';
import { AppError } from '../../shared/errors.ts';
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
    .returning(['applied_update_time', 'sales_order_id', 'applied_hash', 'action'])
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
  };
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
  s: { updateTime: number; status: string; action: string; salesOrderId: string | null; hash: string | null },
): Promise<void> {
  await db
    .updateTable('order_sync')
    .set({
      applied_update_time: s.updateTime,
      tiktok_status: s.status,
      action: s.action,
      sales_order_id: s.salesOrderId,
      applied_hash: s.hash,
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
