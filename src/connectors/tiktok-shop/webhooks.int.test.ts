import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startSandboxWithClient } from './testing.ts';
import { verifyAndParseWebhook, verifyWebhookSignature } from './webhooks.ts';

interface Received {
  body: string;
  signature: string;
}

let h: Harness;
let receiver: Server;
let address: string;
const received: Received[] = [];
/** Notification ids whose first delivery the receiver refuses with 500. */
let failFirst = false;
const seen = new Set<string>();

beforeAll(async () => {
  h = await startSandboxWithClient({ seed: 51, webhooks: { retryScheduleMs: [20, 40] } });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = /"tts_notification_id":"(\d+)"/.exec(body)?.[1] ?? '';
      if (failFirst && !seen.has(id)) {
        seen.add(id);
        res.writeHead(500).end();
        return;
      }
      received.push({ body, signature: String(req.headers.authorization ?? '') });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  address = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/tiktok`;
  await h.admin('POST', '/products', {
    shop_id: h.creds.shops[0]!.id,
    title: 'Cap',
    skus: [{ seller_sku: 'CAP', price: '15.00', quantity: 50 }],
  });
});
afterAll(async () => {
  await h.close();
  await new Promise((r) => receiver.close(r));
});

const verify = (r: Received) =>
  verifyAndParseWebhook({
    appKey: h.creds.app_key,
    appSecret: h.creds.app_secret,
    rawBody: r.body,
    signature: r.signature,
  });

async function placeOrder(): Promise<string> {
  const r = await h.admin<{ order_id: string }>('POST', '/orders', {
    shop_id: h.creds.shops[0]!.id,
    lines: [{ seller_sku: 'CAP', quantity: 1 }],
  });
  return r.order_id;
}

describe('webhooks', () => {
  it('subscribes through the API and lists/unsubscribes', async () => {
    await h.us.events.subscribe('ORDER_STATUS_CHANGE', address);
    await h.us.events.subscribe('CANCELLATION_STATUS_CHANGE', address);
    await h.us.events.subscribe('PRODUCT_CREATION', address);
    await h.us.events.unsubscribe('PRODUCT_CREATION');
    const list = await h.us.events.listWebhooks();
    expect(list.map((w) => w.event_type).sort()).toEqual([
      'CANCELLATION_STATUS_CHANGE',
      'ORDER_STATUS_CHANGE',
    ]);
    await expect(h.us.events.subscribe('NOT_A_TOPIC', address)).rejects.toMatchObject({
      code: 'tiktok_invalid_param',
    });
  });

  it('pushes signed order events that verify and parse; a tampered body is rejected', async () => {
    received.length = 0;
    const orderId = await placeOrder();
    h.sandbox.advance(3600);
    await h.sandbox.webhooksIdle();
    const events = received.map(verify);
    const statuses = events.flatMap((e) =>
      e.known && e.event.type === 1 ? [e.event.data.order_status] : [],
    );
    expect(statuses).toEqual(['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT']);
    expect(events.every((e) => e.known && e.event.shop_id === h.creds.shops[0]!.id)).toBe(true);
    expect(events[0]?.known && events[0].event.type === 1 && events[0].event.data.order_id).toBe(orderId);
    const first = received[0]!;
    const tampered = first.body.replace('UNPAID', 'COMPLETED');
    expect(
      verifyWebhookSignature({
        appKey: h.creds.app_key,
        appSecret: h.creds.app_secret,
        rawBody: tampered,
        signature: first.signature,
      }),
    ).toBe(false);
    expect(() => verify({ body: tampered, signature: first.signature })).toThrow(
      expect.objectContaining({ code: 'tiktok_webhook_signature_invalid' }),
    );
    expect(() => verify({ body: first.body, signature: '' })).toThrow();
  });

  it('pushes cancellation events', async () => {
    received.length = 0;
    const orderId = await placeOrder();
    await h.admin('POST', `/orders/${orderId}/cancel`, { by: 'BUYER' });
    await h.sandbox.webhooksIdle();
    const cancel = received.map(verify).find((e) => e.known && e.event.type === 11);
    expect(cancel?.known && cancel.event.type === 11 && cancel.event.data.cancel_status).toBe(
      'CANCELLATION_REQUEST_COMPLETE',
    );
  });

  it('pushes RECIPIENT_ADDRESS_UPDATE when the buyer changes the address before shipment (admin /orders/:id/address)', async () => {
    await h.us.events.subscribe('RECIPIENT_ADDRESS_UPDATE', address);
    received.length = 0;
    const orderId = await placeOrder();
    const [before] = await h.us.orders.getDetails([orderId]);
    expect(before).toMatchObject({ status: 'ON_HOLD', has_updated_recipient_address: false });
    h.sandbox.advance(60);
    const changed = await h.admin<{ update_time: number }>('POST', `/orders/${orderId}/address`, {
      address_line1: '350 5th Ave',
      city: 'New York',
      state: 'New York',
      postal_code: '10118',
    });
    await h.sandbox.webhooksIdle();
    const events = received.map(verify).filter((e) => e.known && e.event.type !== 1);
    expect(events.map((e) => e.event.type)).toEqual([3]);
    expect(events[0]!.event.data).toEqual({ order_id: orderId, update_time: changed.update_time });
    const [held] = await h.us.orders.getDetails([orderId]);
    // Still ON_HOLD: the address stays hidden (reference §4.4), but the order says it changed.
    expect(held).toMatchObject({ status: 'ON_HOLD', has_updated_recipient_address: true });
    expect(held!.update_time).toBe(changed.update_time);
    expect(held!.update_time).toBeGreaterThan(before!.update_time);
    expect(held!.recipient_address).toBeUndefined();
    h.sandbox.advance(3600);
    const [released] = await h.us.orders.getDetails([orderId]);
    expect(released!.recipient_address).toMatchObject({ address_line1: '350 5th Ave', postal_code: '10118' });
    const [opt] = await h.us.logistics.deliveryOptions(h.creds.shops[0]!.warehouse_id);
    const [provider] = await h.us.logistics.shippingProviders(opt!.id);
    await h.us.fulfillment.markShipped(orderId, {
      tracking_number: '1Z999AA10123456784',
      shipping_provider_id: provider!.id,
    });
    await expect(h.admin('POST', `/orders/${orderId}/address`, { postal_code: '10001' })).rejects.toThrow(
      /only before shipment/,
    );
    await expect(h.admin('POST', `/orders/${orderId}/address`, {})).rejects.toThrow(/at least one/);
    await h.sandbox.webhooksIdle();
  });

  it('duplicates pushes (same notification id) and retries failed deliveries', async () => {
    await h.admin('PUT', '/settings', { webhooks: { duplicateRate: 1 } });
    received.length = 0;
    failFirst = true;
    await placeOrder();
    await h.sandbox.webhooksIdle();
    failFirst = false;
    await h.admin('PUT', '/settings', { webhooks: { duplicateRate: 0 } });
    const keys = received.map((r) => verify(r).dedupeKey);
    expect(keys.length).toBe(4);
    expect(new Set(keys).size).toBe(2);
    const log = await h.admin<{ deliveries: Array<{ attempt: number; status: number }> }>(
      'GET',
      '/webhooks/deliveries',
    );
    expect(log.deliveries.some((d) => d.attempt === 2 && d.status === 200)).toBe(true);
    expect(log.deliveries.some((d) => d.attempt === 1 && d.status === 500)).toBe(true);
  });

  it('can deliver out of order', async () => {
    await h.admin('PUT', '/settings', { webhooks: { outOfOrderWindowMs: 60 } });
    received.length = 0;
    for (let i = 0; i < 6; i++) await placeOrder();
    await h.sandbox.webhooksIdle();
    await h.admin('PUT', '/settings', { webhooks: { outOfOrderWindowMs: 0 } });
    const times = received.map((r) => verify(r).event).map((e) => BigInt(e.tts_notification_id ?? '0'));
    expect(times).toHaveLength(12);
    expect(times).not.toEqual([...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});

describe('authorization expiry push', () => {
  it('pushes UPCOMING_AUTHORIZATION_EXPIRATION at midnight when the refresh token nears its end', async () => {
    const h3 = await startSandboxWithClient({ seed: 52, business: { refreshTokenTtlSeconds: 20 * 86_400 } });
    const got: Received[] = [];
    const srv = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: String(req.headers.authorization ?? ''),
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`;
      await h3.admin('POST', '/webhooks', { address: url });
      h3.sandbox.advance(86_400);
      await h3.sandbox.webhooksIdle();
      const events = got.map((r) =>
        verifyAndParseWebhook({
          appKey: h3.creds.app_key,
          appSecret: h3.creds.app_secret,
          rawBody: r.body,
          signature: r.signature,
        }),
      );
      expect(events.filter((e) => e.eventType === 'UPCOMING_AUTHORIZATION_EXPIRATION')).toHaveLength(2);
    } finally {
      await h3.close();
      await new Promise((r) => srv.close(r));
    }
  });
});
