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

/** Full orders for these ids of one shop, as records (version = content hash: one job per change). */
export async function orderRecords(
  services: OrderServices,
  shopId: string,
  ids: readonly string[],
): Promise<FlowRecord<OrderPayload>[]> {
  if (ids.length === 0) return [];
  const api = await services.shops.api(shopId);
  const orders = await api.orders.getDetails([...new Set(ids)]);
  // Reserve the units before the import policy may hold the order back (docs/inventory.md).
  await services.stock?.seen(shopId, orders);
  return orders.map((order) => ({ key: orderKey(shopId, order.id), payload: { shopId, order } }));
}
