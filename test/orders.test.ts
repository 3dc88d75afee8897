import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersCommand } from '../src/cli/orders.ts';
import { signWebhook } from '../src/connectors/tiktok-shop/index.ts';
import { retryError } from '../src/flows/index.ts';
import { acquireLease, saveState } from '../src/flows/orders/sync-state.ts';
import { demoCliServices, type OrdersWorld, startOrdersWorld } from './support/orders.ts';
import { waitFor } from './support/proc.ts';

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
    // The push was stored and read (waited for: the pump reads the inbox in its own time) ...
    await waitFor(
      () =>
        w.demo.rt.stores.db
          .selectFrom('tiktok_webhooks')
          .select('processed_at')
          .where('order_id', '=', id)
          .execute(),
      (inbox) => inbox.length > 0 && inbox.every((r) => r.processed_at !== null),
      undefined,
      25,
    );
    // ... but an order that can only wait is not queued (pump.ts): nothing imported during the hold.
    expect(w.salesOrder(id), 'nothing is imported during the hold').toBeUndefined();
    const jobs = await w.demo.rt.stores.db
      .selectFrom('order_sync')
      .select('order_id')
      .where('order_id', '=', id)
      .execute();
    expect(jobs, 'no import job ran for the held order').toHaveLength(0);
    endHold();
    const so = await w.waitForSalesOrder(id);
    const order = await w.tt<RenderedOrder>('GET', `/orders/${id}`);
    expect(order.status).toBe('AWAITING_SHIPMENT');
    // The mapping's booking identity: lines + shipping = what the buyer paid less the facilitator tax.
    expect(so.shippingCost).toBe(order.payment.shipping_fee);
    expect(cents(so.total)).toBe(cents(order.payment.total_amount) - cents(order.payment.tax));
    // Goods at the original unit price, one line per SKU; discounts as their own (negative) lines.
    const goods = so.lines.filter((l) => cents(l.amount) > 0);
    expect(goods.map((l) => [l.quantity, cents(l.rate)]).sort()).toEqual([
      [1, 1950],
      [2, 3900],
    ]);
    const discounts = so.lines.filter((l) => cents(l.amount) < 0).map((l) => cents(l.amount));
    expect(discounts.reduce((a, b) => a + b, 0)).toBe(-500);
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

const syncState = (orderId: string) =>
  w.demo.rt.stores.db.selectFrom('order_sync').selectAll().where('order_id', '=', orderId).executeTakeFirst();
const waitForAction = (orderId: string, action: string) =>
  waitFor(
    () => syncState(orderId),
    (r) => r?.action === action && r.lease_owner === null,
    undefined,
    50,
  );
const mug = [{ seller_sku: 'LIVE-MUG-GLOW', quantity: 1 }];

describe('changes and cancellations', () => {
  it('skips an order cancelled during the hold', async () => {
    const id = await w.placeOrder({ lines: mug });
    await w.tt('POST', `/orders/${id}/cancel`, { by: 'BUYER' });
    endHold();
    await waitForAction(id, 'skip');
    expect(w.salesOrder(id)).toBeUndefined();
  });

  it('closes the sales order when the whole order is cancelled after import', async () => {
    const id = await w.placeOrder({ lines: [...mug, { seller_sku: 'LIVE-CAP-RED', quantity: 2 }] });
    endHold();
    await w.waitForSalesOrder(id);
    await w.tt('POST', `/orders/${id}/cancel`, { by: 'SELLER' });
    const so = await w.waitForSalesOrder(id, (s) => s.lines.every((l) => l.isClosed));
    expect(so.status).toBe('H');
  });

  it('closes only the cancelled lines of a partial cancellation', async () => {
    const id = await w.placeOrder({ lines: [...mug, { seller_sku: 'LIVE-TOTE-SAND', quantity: 1 }] });
    endHold();
    const before = await w.waitForSalesOrder(id);
    expect(before.lines).toHaveLength(2);
    const order = await w.tt<{ line_items: Array<{ id: string; seller_sku: string }> }>(
      'GET',
      `/orders/${id}`,
    );
    const tote = order.line_items.filter((l) => l.seller_sku === 'LIVE-TOTE-SAND').map((l) => l.id);
    await w.tt('POST', `/orders/${id}/cancel`, { by: 'SELLER', line_item_ids: tote });
    const so = await w.waitForSalesOrder(id, (s) => s.lines.some((l) => l.isClosed));
    expect(so.lines.filter((l) => l.isClosed)).toHaveLength(1);
    expect(so.lines.filter((l) => !l.isClosed)).toHaveLength(1);
    expect(so.id).toBe(before.id);
  });

  it('never changes a fulfilled line: cancelling shipped units becomes an error record', async () => {
    const id = await w.placeOrder({ lines: mug });
    endHold();
    const so = await w.waitForSalesOrder(id);
    await w.ns('POST', '/fulfill', { sales_order: so.id });
    await w.tt('POST', `/orders/${id}/cancel`, { by: 'SELLER' });
    const err = await waitFor(
      async () =>
        (await w.demo.rt.stores.errors.list({ status: 'open' })).find((e) => e.recordKey?.endsWith(`:${id}`)),
      (e) => e !== undefined,
      undefined,
      100,
    );
    expect(err).toMatchObject({ code: 'order_cancel_after_fulfillment', errorClass: 'conflict' });
    expect(err?.message).toMatch(/left that line unchanged/);
    expect(w.salesOrder(id)?.lines.every((l) => !l.isClosed)).toBe(true);
  });
});

describe('errors and the polling backstop', () => {
  it('records an unknown SKU with how to fix it; after the fix, errors retry imports the order', async () => {
    await w.tt('POST', '/products', {
      shop_id: w.us.id,
      title: 'Ghost',
      skus: [{ seller_sku: 'LIVE-GHOST', price: '7.00', quantity: 50 }],
    });
    const id = await w.placeOrder({ lines: [{ seller_sku: 'LIVE-GHOST', quantity: 1 }] });
    endHold();
    const err = await waitFor(
      async () =>
        (await w.demo.rt.stores.errors.list({ status: 'open' })).find((e) => e.recordKey?.endsWith(`:${id}`)),
      (e) => e !== undefined,
      undefined,
      100,
    );
    expect(err).toMatchObject({ code: 'mapping_unknown_sku', errorClass: 'mapping' });
    expect(err?.message).toMatch(/LIVE-GHOST/);
    await w.ns('POST', '/seed', {
      items: [
        {
          externalId: 'SKU-GHOST',
          itemId: 'LIVE-GHOST',
          rate: 7,
          subsidiary: { items: [{ externalId: 'SUB-US' }] },
        },
      ],
      stock: [{ item: 'LIVE-GHOST', location: 'Austin DC', quantity: 10 }],
    });
    await retryError({ stores: w.demo.rt.stores, engine: w.demo.rt.engine }, err!.id);
    await w.waitForSalesOrder(id);
  });

  it('imports an order whose webhooks were lost, on the next poll', async () => {
    await w.tt('POST', '/webhooks', { address: 'http://127.0.0.1:9/dropped' });
    const id = await w.placeOrder({ lines: mug });
    endHold();
    await w.demo.tiktok.webhooksIdle(100).catch(() => undefined);
    await w.tt('POST', '/webhooks', { address: `${w.demo.url}/webhooks/tiktok` });
    expect(w.salesOrder(id)).toBeUndefined();
    await w.demo.rt.engine.trigger('orders.import', 'schedule');
    await w.waitForSalesOrder(id);
  });
});

describe('two versions of one order on two workers (ADR 2)', () => {
  it('serialises them with a lease; the older version finds the newer applied and is stale', async () => {
    const db = w.demo.rt.stores.db;
    const ref = { shopId: w.us.id, orderId: 'lease-test' };
    await acquireLease(db, ref, 'v2', 60);
    await expect(acquireLease(db, ref, 'v1', 60)).rejects.toMatchObject({ code: 'transient_failure' });
    await saveState(db, ref, 'v2', {
      updateTime: 200,
      status: 'AWAITING_SHIPMENT',
      shipBy: null,
      action: 'created',
      salesOrderId: '9',
      hash: 'h',
      baseHash: 'b',
    });
    const state = await acquireLease(db, ref, 'v1', 60);
    expect(state).toMatchObject({ appliedUpdateTime: 200, salesOrderId: '9' });
  });
});

describe('tiksuite orders sync', () => {
  const cli = (args: string[]) => {
    return ordersCommand(demoCliServices(w.demo))
      .exitOverride()
      .parseAsync(['node', 'orders', ...args]);
  };
  /** An order TikSuite never heard of (its webhooks went nowhere). */
  const unseenOrder = async () => {
    await w.tt('POST', '/webhooks', { address: 'http://127.0.0.1:9/dropped' });
    const id = await w.placeOrder({ lines: mug });
    endHold();
    await w.tt('POST', '/webhooks', { address: `${w.demo.url}/webhooks/tiktok` });
    return id;
  };

  it('re-syncs orders by id and backfills by update time', async () => {
    const a = await unseenOrder();
    await cli(['sync', '--ids', a, '--wait', '--json']);
    await w.waitForSalesOrder(a);
    const backfills = async () =>
      (await w.demo.rt.stores.runs.list({ flowId: 'orders.import', limit: 1000 })).filter(
        (r) => r.trigger === 'backfill',
      );
    expect(await backfills()).toHaveLength(0);
    const b = await unseenOrder();
    await cli(['sync', '--since', new Date(w.demo.tiktok.now() - 60_000).toISOString(), '--wait', '--json']);
    await w.waitForSalesOrder(b);
    // A date range is recorded as a backfill run.
    expect(await backfills()).toHaveLength(1);
  });

  it('refuses neither or both of --since and --ids', async () => {
    await expect(cli(['sync'])).rejects.toThrow(/either --since/);
    await expect(cli(['sync', '--ids', '1', '--since', '2026-01-01T00:00:00Z'])).rejects.toThrow(
      /either --since/,
    );
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
  const neg = s.startsWith('-');
  const [whole, frac = ''] = s.replace('-', '').split('.');
  const v = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return neg ? -v : v;
}
