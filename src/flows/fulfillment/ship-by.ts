/**
 * Ship-by deadlines (docs/orders.md "Ship-by deadlines"): which TikTok orders are close to, or
 * past, TikTok's latest ship time and not shipped. Read from `order_sync` alone, no remote call:
 *
 * - the deadline is the order's `rts_sla_time` (reference section 4.4), stored by the order import
 *   with every status change (none for FBT orders: TikTok's warehouse ships those);
 * - an order is not shipped while its last known TikTok status is AWAITING_SHIPMENT or
 *   PARTIALLY_SHIPPING, unless TikSuite's own shipments already left no unit of it to ship
 *   (`shipped_at`, written by the fulfillment step before TikTok's status change comes back).
 */
import type { Kysely } from 'kysely';
import type { Order } from '../../connectors/tiktok-shop/index.ts';
import type { Database } from '../../store/schema.ts';
import { markOrderShipped, type OrderRef } from '../orders/sync-state.ts';
import { isCancelled, isShipped } from './lines.ts';

/** TikTok statuses of an order the seller still has to ship (some of). */
export const WAITING_STATUSES = ['AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING'] as const;

export type LateState = 'due_soon' | 'overdue';

export interface LateOrder {
  shopId: string;
  orderId: string;
  salesOrderId: string | null;
  tiktokStatus: string;
  shipBy: Date;
  /** Seconds until the ship-by time (negative once past it). */
  secondsLeft: number;
  state: LateState;
}

/** Orders not shipped whose ship-by time is within `hours` from `now`, or past; soonest first. */
export async function lateOrders(
  db: Kysely<Database>,
  opts: { hours: number; now: Date },
): Promise<LateOrder[]> {
  const until = new Date(opts.now.getTime() + opts.hours * 3_600_000);
  const rows = await db
    .selectFrom('order_sync')
    .select(['shop_id', 'order_id', 'sales_order_id', 'tiktok_status', 'ship_by'])
    .where('ship_by', 'is not', null)
    .where('shipped_at', 'is', null)
    .where('tiktok_status', 'in', [...WAITING_STATUSES])
    .where('ship_by', '<=', until)
    .orderBy('ship_by')
    .orderBy('shop_id')
    .orderBy('order_id')
    .execute();
  return rows.map((r) => {
    const shipBy = new Date(r.ship_by!);
    const secondsLeft = Math.round((shipBy.getTime() - opts.now.getTime()) / 1000);
    return {
      shopId: r.shop_id,
      orderId: r.order_id,
      salesOrderId: r.sales_order_id,
      tiktokStatus: r.tiktok_status ?? '',
      shipBy,
      secondsLeft,
      state: secondsLeft < 0 ? 'overdue' : 'due_soon',
    };
  });
}

/** What an order's row says now (why its warning is over). */
export async function shipState(
  db: Kysely<Database>,
  ref: OrderRef,
): Promise<{ tiktokStatus: string | null; shipBy: Date | null; shippedAt: Date | null } | undefined> {
  const row = await db
    .selectFrom('order_sync')
    .select(['tiktok_status', 'ship_by', 'shipped_at'])
    .where('shop_id', '=', ref.shopId)
    .where('order_id', '=', ref.orderId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    tiktokStatus: row.tiktok_status,
    shipBy: row.ship_by ? new Date(row.ship_by) : null,
    shippedAt: row.shipped_at ? new Date(row.shipped_at) : null,
  };
}

/**
 * Called by the ship step after TikTok accepted a shipment: when the order's line items (one per
 * unit) are all cancelled, shipped before, or in `shippingNow`, the order has nothing left to ship.
 */
export async function noteShipment(
  db: Kysely<Database>,
  ref: OrderRef,
  order: Pick<Order, 'line_items'>,
  shippingNow: Iterable<string>,
): Promise<void> {
  const now = new Set(shippingNow);
  if (order.line_items.every((l) => isCancelled(l) || isShipped(l) || now.has(l.id)))
    await markOrderShipped(db, ref);
}

/** The late list as the API and the CLI show it (times as ISO 8601 text). */
export interface LateList {
  /** The window: orders due within this many hours, or overdue. */
  hours: number;
  now: string;
  orders: Array<Omit<LateOrder, 'shipBy'> & { shipBy: string }>;
}

export async function lateList(db: Kysely<Database>, opts: { hours: number; now: Date }): Promise<LateList> {
  const orders = await lateOrders(db, opts);
  return {
    hours: opts.hours,
    now: opts.now.toISOString(),
    orders: orders.map((o) => ({ ...o, shipBy: o.shipBy.toISOString() })),
  };
}
