/**
 * Buyer cancellation requests and the `aftersale.cancellations` policy (issue 13), end to end over
 * both sandboxes: buyers act through the TikTok sandbox's admin API, the warehouse through the
 * NetSuite Record API; every verdict is read from TikTok's cancellation, the order and the NetSuite
 * sales order. The fulfillment push is off here, so a unit NetSuite ships is not yet shipped on
 * TikTok (the window in which a buyer may still ask to cancel it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cancellation, TikTokShopApi } from '../src/connectors/tiktok-shop/index.ts';
import { CANCELLATION_FLOW } from '../src/flows/aftersale/index.ts';
import { DEMO_AFTERSALE } from '../src/main/demo/demo-env.ts';
import { type OrdersWorld, startOrdersWorld } from './support/orders.ts';
import { waitFor } from './support/proc.ts';

const FAST = { pollIntervalSeconds: 0.25, overlapSeconds: 5 };
const QUEUE = { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 };

async function world(name: string, cancellations: Record<string, unknown>) {
  const w = await startOrdersWorld(name, {
    fulfillment: { enabled: false },
    aftersale: { ...DEMO_AFTERSALE, ...FAST, cancellations },
    queue: QUEUE,
  });
  const api = await w.demo.rt.orders!.services.shops.api(w.us.id);
  return { w, api };
}

let auto: { w: OrdersWorld; api: TikTokShopApi };
let manual: { w: OrdersWorld; api: TikTokShopApi };

beforeAll(async () => {
  auto = await world('cancel-policy', { requests: 'approve_unfulfilled', whenFulfilled: 'reject' });
  manual = await world('cancel-manual', { requests: 'manual' });
});
afterAll(async () => {
  await auto?.w.close();
  await manual?.w.close();
});

async function imported(w: OrdersWorld, lines: Array<{ seller_sku: string; quantity: number }>) {
  const id = await w.placeOrder({ lines });
  await w.demo.tiktok.advance(3601);
  return { id, soId: (await w.waitForSalesOrder(id)).id };
}

async function buyerCancels(w: OrdersWorld, orderId: string): Promise<string> {
  const r = await w.tt<{ cancel_id: string; cancel_status: string }>('POST', `/orders/${orderId}/cancel`, {
    by: 'BUYER',
  });
  return r.cancel_id;
}

const settled = (api: TikTokShopApi, id: string) =>
  waitFor(
    async () => (await api.returns.getCancellation(id)) as Cancellation,
    (c) => c.cancel_status !== 'CANCELLATION_REQUEST_PENDING',
  );

async function openErrors(w: OrdersWorld, code: string) {
  return w.demo.rt.stores.db
    .selectFrom('errors')
    .selectAll()
    .where('flow_id', '=', CANCELLATION_FLOW)
    .where('code', '=', code)
    .where('status', '=', 'open')
    .execute();
}

describe('buyer cancellation requests', () => {
  it('approves a request while NetSuite shows nothing fulfilled; the sales order lines close', async () => {
    const { w, api } = auto;
    const { id, soId } = await imported(w, [{ seller_sku: 'LIVE-HOODIE-BLK', quantity: 2 }]);
    const cancelId = await buyerCancels(w, id);
    expect((await api.returns.getCancellation(cancelId))?.cancel_status).toBe('CANCELLATION_REQUEST_PENDING');
    const c = await settled(api, cancelId);
    expect(c.cancel_status).toBe('CANCELLATION_REQUEST_COMPLETE');
    expect(w.demo.tiktok.ctx.state.orders.get(id)!.status).toBe('CANCELLED');
    const so = await w.waitForSalesOrder(id, (s) => s.lines.every((l) => l.isClosed));
    expect(so.id).toBe(soId);
  });

  it('rejects, with the configured reason, a request for units NetSuite already fulfilled', async () => {
    const { w, api } = auto;
    const { id, soId } = await imported(w, [{ seller_sku: 'LIVE-CAP-RED', quantity: 1 }]);
    const ns = w.demo.rt.orders!.services.netsuite;
    await ns.records.transform('salesOrder', soId, 'itemFulfillment', { shipStatus: { id: 'C' } });
    const cancelId = await buyerCancels(w, id);
    const c = await settled(api, cancelId);
    expect(c.cancel_status).toMatch(/^CANCELLATION_REQUEST_CANCEL(LED)?$/);
    expect(w.demo.tiktok.ctx.state.orders.get(id)!.status).toBe('AWAITING_SHIPMENT');
    // The sandbox accepts only a reason its reject_reasons lists: the configured one was sent.
    await waitFor(
      () =>
        w.demo.rt.stores.db
          .selectFrom('record_outcomes')
          .selectAll()
          .where('flow_id', '=', CANCELLATION_FLOW)
          .where('record_key', 'like', `%:${cancelId}`)
          .execute(),
      (rows) => rows.some((r) => r.status === 'succeeded'),
    );
  });

  it('does nothing in NetSuite for an order cancelled during the hold', async () => {
    const { w } = auto;
    const id = await w.placeOrder({ lines: [{ seller_sku: 'LIVE-MUG-GLOW', quantity: 1 }] });
    await buyerCancels(w, id);
    expect(w.demo.tiktok.ctx.state.orders.get(id)!.status).toBe('CANCELLED');
    await w.demo.tiktok.advance(3601);
    const done = await waitFor(
      () =>
        w.demo.rt.stores.db
          .selectFrom('order_sync')
          .selectAll()
          .where('order_id', '=', id)
          .executeTakeFirst(),
      (r) => r?.action === 'skip',
    );
    expect(done?.sales_order_id).toBeNull();
    expect(w.salesOrder(id)).toBeUndefined();
  });

  it('manual policy: a warning for a human, resolved by itself once the request is answered', async () => {
    const { w, api } = manual;
    const { id } = await imported(w, [{ seller_sku: 'LIVE-TOTE-SAND', quantity: 1 }]);
    const cancelId = await buyerCancels(w, id);
    const warned = await waitFor(
      () => openErrors(w, 'cancellation_needs_human'),
      (rows) => rows.some((r) => (r.record_key ?? '').endsWith(cancelId)),
    );
    expect(warned[0]!.message).toContain('Seller Center');
    expect((await api.returns.getCancellation(cancelId))?.cancel_status).toBe('CANCELLATION_REQUEST_PENDING');
    await api.returns.approveCancellation(cancelId);
    await waitFor(
      () => openErrors(w, 'cancellation_needs_human'),
      (rows) => !rows.some((r) => (r.record_key ?? '').endsWith(cancelId)),
    );
    await w.waitForSalesOrder(id, (s) => s.lines.every((l) => l.isClosed));
  });
});
