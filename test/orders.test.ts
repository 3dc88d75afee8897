import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../src/connectors/tiktok-shop/index.ts';
import { type OrdersWorld, startOrdersWorld } from './support/orders.ts';

let w: OrdersWorld;
beforeAll(async () => {
  w = await startOrdersWorld('orders');
});
afterAll(async () => {
  await w?.close();
});

interface RenderedOrder {
  status: string;
  payment: { sub_total: string; shipping_fee: string; tax: string; total_amount: string };
  line_items: Array<{ sale_price: string; seller_sku: string }>;
}

/** Ends the one-hour hold on TikTok's simulated clock. */
const endHold = () => w.demo.tiktok.advance(3601);

describe('TikTok order -> NetSuite sales order, end to end', () => {
  it('imports an order once it leaves ON_HOLD, with amounts equal to the cent', async () => {
    const id = await w.placeOrder({
      lines: [
        { seller_sku: 'LIVE-HOODIE-BLK', quantity: 2 },
        { seller_sku: 'LIVE-CAP-RED', quantity: 1 },
      ],
      shipping_fee: '5.99',
      seller_discount: '3.00',
      platform_discount: '2.00',
    });
    await w.demo.tiktok.webhooksIdle();
    await new Promise((r) => setTimeout(r, 500));
    expect(w.salesOrder(id), 'nothing is imported during the hold').toBeUndefined();
    endHold();
    const so = await w.waitForSalesOrder(id);
    const order = await w.tt<RenderedOrder>('GET', `/orders/${id}`);
    expect(order.status).toBe('AWAITING_SHIPMENT');
    // Revenue at what the buyer paid for goods, shipping as shipping cost, facilitator tax left out.
    expect(so.subtotal).toBe(order.payment.sub_total);
    expect(so.shippingCost).toBe(order.payment.shipping_fee);
    expect(cents(so.total)).toBe(cents(order.payment.sub_total) + cents(order.payment.shipping_fee));
    expect(so.lines.reduce((n, l) => n + l.quantity, 0)).toBe(3);
    const xref = await w.demo.rt.stores.xref.get({
      sourceSystem: 'tiktok',
      sourceType: 'order',
      sourceId: `${w.us.id}:${id}`,
      targetSystem: 'netsuite',
      targetType: 'salesOrder',
    });
    expect(xref).toBe(so.id);
  });
});

describe('webhook endpoint', () => {
  const push = (body: string, signature: string | undefined) =>
    fetch(`${w.demo.url}/webhooks/tiktok`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { authorization: signature } : {}) },
      body,
    });
  const event = (n: string) =>
    JSON.stringify({
      type: 1,
      tts_notification_id: n,
      shop_id: w.us.id,
      timestamp: 1_800_000_000,
      data: { order_id: '999000111', order_status: 'ON_HOLD', update_time: 1_800_000_000 },
    });
  const sign = (body: string) => signWebhook(w.demo.tiktok.appKey, w.demo.tiktok.appSecret, body);

  it('answers 401 to a bad signature and 400 to a malformed body, storing nothing', async () => {
    const body = event('n-bad-sig');
    expect((await push(body, 'deadbeef')).status).toBe(401);
    expect((await push(body, undefined)).status).toBe(401);
    // Signed, but with one byte changed after signing: the raw body is what is verified.
    expect((await push(body.replace('ON_HOLD', 'ON_HOLE'), sign(body))).status).toBe(401);
    const junk = '{"type": "x"}';
    expect((await push(junk, sign(junk))).status).toBe(400);
    expect((await push('not json', sign('not json'))).status).toBe(400);
    const rows = await w.demo.rt.stores.db.selectFrom('tiktok_webhooks').select('notification_id').execute();
    expect(rows.map((r) => r.notification_id)).not.toContain('tts:n-bad-sig');
  });

  it('accepts a signed push once and answers a replay 200 without storing it again', async () => {
    const body = event('n-replay-1');
    const first = await push(body, sign(body));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true });
    const again = await push(body, sign(body));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    const rows = await w.demo.rt.stores.db
      .selectFrom('tiktok_webhooks')
      .selectAll()
      .where('notification_id', '=', 'tts:n-replay-1')
      .execute();
    expect(rows).toHaveLength(1);
  });
});

function cents(s: string): number {
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}
