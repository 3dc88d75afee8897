/**
 * Order ids -> flow records: every order is read in full (GET /order/202309/orders, 50 ids per
 * call, reference §4.2) before it is queued, whether the id came from a webhook, a poll or the CLI.
 */
import { z } from 'zod';
import { Order } from '../../connectors/tiktok-shop/index.ts';
import type { FlowRecord } from '../engine/define.ts';
import type { OrderServices } from './deps.ts';

export const ORDER_IMPORT_FLOW = 'orders.import';

export const OrderPayload = z.object({ shopId: z.string().min(1), order: Order });
export type OrderPayload = z.infer<typeof OrderPayload>;

export function orderKey(shopId: string, orderId: string): string {
  return `tiktok:${shopId}:order:${orderId}`;
}

/** The orders read, as records; `unread` holds orders TikTok sent in a shape we cannot read. */
export interface OrderRecords {
  records: FlowRecord<OrderPayload>[];
  /**
   * Queued as sent (`{ shopId, order: <raw> }`): the flow's payload check turns each, alone, into a
   * validation error record naming the field, instead of failing the 49 others of its answer.
   */
  unread: FlowRecord<unknown>[];
}

/** Full orders for these ids of one shop, as records (version = content hash: one job per change). */
export async function orderRecords(
  services: OrderServices,
  shopId: string,
  ids: readonly string[],
): Promise<OrderRecords> {
  if (ids.length === 0) return { records: [], unread: [] };
  const api = await services.shops.api(shopId);
  const { orders, malformed } = await api.orders.readDetails([...new Set(ids)]);
  // Reserve the units before the import policy may hold the order back (docs/inventory.md).
  await services.stock?.seen(shopId, orders);
  return {
    records: orders.map((order) => ({ key: orderKey(shopId, order.id), payload: { shopId, order } })),
    unread: malformed.map((m) => ({ key: orderKey(shopId, m.id), payload: { shopId, order: m.raw } })),
  };
}
