/**
 * Inbox rows stored before the intake checked order ids (a comma-joined "1,2", a 20,000-digit id)
 * must not block the pump: they are marked done unread, and the good pushes of the same shop go on
 * to NetSuite.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type OrdersWorld, startOrdersWorld } from './support/orders.ts';
import { waitFor } from './support/proc.ts';

let w: OrdersWorld;
beforeAll(async () => {
  w = await startOrdersWorld('orders-bad-rows');
});
afterAll(async () => {
  await w?.close();
});

it('marks inbox rows with an unusable order id done, and imports the shop’s good orders', async () => {
  const bad = ['1,2', '9'.repeat(20_000), 'abc'];
  await w.demo.rt.stores.db
    .insertInto('tiktok_webhooks')
    .values(
      bad.map((orderId, i) => ({
        notification_id: `tts:legacy-bad-${i}`,
        shop_id: w.us.id,
        event_type: 1,
        order_id: orderId,
      })),
    )
    .execute();
  const id = await w.placeOrder({ lines: [{ seller_sku: 'LIVE-CAP-RED', quantity: 1 }] });
  await w.demo.tiktok.advance(3601);
  await w.waitForSalesOrder(id);
  const rows = await waitFor(
    () =>
      w.demo.rt.stores.db
        .selectFrom('tiktok_webhooks')
        .select(['notification_id', 'processed_at'])
        .where('notification_id', 'like', 'tts:legacy-bad-%')
        .execute(),
    (r) => r.every((row) => row.processed_at !== null),
    30_000,
    50,
  );
  expect(rows).toHaveLength(3);
});
