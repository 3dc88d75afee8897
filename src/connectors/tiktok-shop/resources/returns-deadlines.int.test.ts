/**
 * Seller deadlines on after-sale requests, on the sandbox's simulated clock: a request the seller
 * leaves pending is approved by the system at the deadline the API shows, and each change is
 * pushed (webhook types 11 and 12, reference §9.2) to a real HTTP receiver.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startSandboxWithClient } from '../testing.ts';
import { verifyAndParseWebhook } from '../webhooks.ts';

let h: Harness;
let shopId: string;
let providerId: string;
let receiver: Server;
const received: Array<{ body: string; signature: string }> = [];
const HOUR = 3600;
const DAY = 86_400;

beforeAll(async () => {
  h = await startSandboxWithClient({ seed: 63, startTime: Date.UTC(2026, 2, 2, 9) });
  shopId = h.creds.shops[0]!.id;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers.authorization ?? ''),
      });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as AddressInfo).port;
  await h.admin('POST', '/webhooks', { address: `http://127.0.0.1:${port}/hooks` });
  await h.admin('POST', '/products', {
    shop_id: shopId,
    title: 'Kettle',
    skus: [{ seller_sku: 'KETTLE', price: '30.00', quantity: 500 }],
  });
  const [opt] = await h.us.logistics.deliveryOptions(h.creds.shops[0]!.warehouse_id);
  providerId = (await h.us.logistics.shippingProviders(opt!.id))[0]!.id;
});
afterAll(async () => {
  await h.close();
  await new Promise((r) => receiver.close(r));
});

/** The statuses pushed for one cancellation (type 11) or return (type 12), in push order. */
async function pushed(type: 11 | 12, id: string): Promise<string[]> {
  await h.sandbox.webhooksIdle();
  const out: string[] = [];
  for (const { body, signature } of received) {
    const e = verifyAndParseWebhook({
      appKey: h.creds.app_key,
      appSecret: h.creds.app_secret,
      rawBody: body,
      signature,
    });
    if (e.known && e.event.type === 11 && type === 11 && e.event.data.cancel_id === id)
      out.push(e.event.data.cancel_status);
    if (e.known && e.event.type === 12 && type === 12 && e.event.data.return_id === id)
      out.push(e.event.data.return_status);
  }
  return out;
}

async function paid(): Promise<{ order_id: string; line_item_ids: string[] }> {
  const o = await h.admin<{ order_id: string; line_item_ids: string[] }>('POST', '/orders', {
    shop_id: shopId,
    lines: [{ seller_sku: 'KETTLE', quantity: 1 }],
  });
  h.sandbox.advance(HOUR);
  return o;
}

async function delivered(): Promise<string> {
  const o = await paid();
  await h.us.fulfillment.markShipped(o.order_id, {
    tracking_number: `RT-${o.order_id}`,
    shipping_provider_id: providerId,
  });
  await h.admin('POST', `/orders/${o.order_id}/deliver`);
  return o.order_id;
}

describe('seller deadlines', () => {
  it('a pending buyer cancellation is approved by the system at the deadline it shows', async () => {
    const o = await paid();
    const { cancel_id } = await h.admin<{ cancel_id: string }>('POST', `/orders/${o.order_id}/cancel`, {
      by: 'BUYER',
    });
    const c = (await h.us.returns.getCancellation(cancel_id))!;
    expect(c.seller_next_action_response).toEqual([
      { action: 'SELLER_RESPOND_CANCEL', deadline: c.create_time + DAY },
    ]);
    h.sandbox.advance(DAY - 1);
    expect((await h.us.returns.getCancellation(cancel_id))?.cancel_status).toBe(
      'CANCELLATION_REQUEST_PENDING',
    );
    h.sandbox.advance(1);
    const done = (await h.us.returns.getCancellation(cancel_id))!;
    expect(done).toMatchObject({
      cancel_status: 'CANCELLATION_REQUEST_COMPLETE',
      update_time: c.create_time + DAY,
      seller_next_action_response: [],
    });
    expect((await h.us.orders.getDetails([o.order_id]))[0]?.status).toBe('CANCELLED');
    expect(await pushed(11, cancel_id)).toEqual([
      'CANCELLATION_REQUEST_PENDING',
      'CANCELLATION_REQUEST_COMPLETE',
    ]);
  });

  it('the system does nothing to a request the seller answered, and closes one whose line shipped meanwhile', async () => {
    const a = await paid();
    const answered = await h.admin<{ cancel_id: string }>('POST', `/orders/${a.order_id}/cancel`, {
      by: 'BUYER',
    });
    await h.us.returns.approveCancellation(answered.cancel_id);
    const b = await paid();
    const late = await h.admin<{ cancel_id: string }>('POST', `/orders/${b.order_id}/cancel`, {
      by: 'BUYER',
    });
    await h.us.fulfillment.markShipped(b.order_id, {
      tracking_number: `RT-${b.order_id}`,
      shipping_provider_id: providerId,
    });
    await expect(h.us.returns.approveCancellation(late.cancel_id)).rejects.toMatchObject({
      code: 'tiktok_api_error',
    });
    h.sandbox.advance(DAY);
    expect(await pushed(11, answered.cancel_id)).toEqual([
      'CANCELLATION_REQUEST_PENDING',
      'CANCELLATION_REQUEST_COMPLETE',
    ]);
    expect((await h.us.returns.getCancellation(late.cancel_id))?.cancel_status).toBe(
      'CANCELLATION_REQUEST_CANCEL',
    );
    expect((await h.us.orders.getDetails([b.order_id]))[0]?.status).toBe('IN_TRANSIT');
  });

  it('a pending refund request is refunded at its deadline', async () => {
    const orderId = await delivered();
    const { return_id } = await h.admin<{ return_id: string }>('POST', `/orders/${orderId}/return`, {
      return_type: 'REFUND',
    });
    const r = (await h.us.returns.getReturn(return_id))!;
    expect(r.seller_next_action_response).toEqual([
      { action: 'SELLER_RESPOND_REFUND', deadline: r.create_time + 2 * DAY },
    ]);
    h.sandbox.advance(2 * DAY - 1);
    expect((await h.us.returns.getReturn(return_id))?.return_status).toBe('RETURN_OR_REFUND_REQUEST_PENDING');
    h.sandbox.advance(1);
    expect(await h.us.returns.getReturn(return_id)).toMatchObject({
      return_status: 'RETURN_OR_REFUND_REQUEST_COMPLETE',
      refund_amount: { refund_total: '32.40' },
    });
    expect(await pushed(12, return_id)).toEqual([
      'RETURN_OR_REFUND_REQUEST_PENDING',
      'RETURN_OR_REFUND_REQUEST_COMPLETE',
    ]);
  });

  it('a return goes to the buyer at its deadline, and a parcel left unanswered is accepted at its own', async () => {
    const orderId = await delivered();
    const { return_id } = await h.admin<{ return_id: string }>('POST', `/orders/${orderId}/return`, {});
    h.sandbox.advance(2 * DAY);
    expect((await h.us.returns.getReturn(return_id))?.return_status).toBe('AWAITING_BUYER_SHIP');
    await h.admin('POST', `/returns/${return_id}/ship`, {
      tracking_number: 'RET-PARCEL-1',
      provider_name: 'USPS',
    });
    const shipped = (await h.us.returns.getReturn(return_id))!;
    expect(shipped.seller_next_action_response).toEqual([
      { action: 'SELLER_RESPOND_RECEIVE_PACKAGE', deadline: shipped.update_time + 2 * DAY },
    ]);
    h.sandbox.advance(2 * DAY);
    expect((await h.us.returns.getReturn(return_id))?.return_status).toBe(
      'RETURN_OR_REFUND_REQUEST_COMPLETE',
    );
    expect(await pushed(12, return_id)).toEqual([
      'RETURN_OR_REFUND_REQUEST_PENDING',
      'AWAITING_BUYER_SHIP',
      'BUYER_SHIPPED_ITEM',
      'RETURN_OR_REFUND_REQUEST_COMPLETE',
    ]);
  });

  it('the deadlines follow the settings', async () => {
    await h.admin('PUT', '/settings', {
      business: { cancelRequestTimeoutSeconds: 600, returnRequestTimeoutSeconds: 900 },
    });
    try {
      // Both orders first: placing one moves the clock past the shorter deadlines.
      const orderId = await delivered();
      const o = await paid();
      const c = await h.admin<{ cancel_id: string }>('POST', `/orders/${o.order_id}/cancel`, { by: 'BUYER' });
      const r = await h.admin<{ return_id: string }>('POST', `/orders/${orderId}/return`, {
        return_type: 'REPLACEMENT',
      });
      const cancel = (await h.us.returns.getCancellation(c.cancel_id))!;
      const ret = (await h.us.returns.getReturn(r.return_id))!;
      expect(cancel.seller_next_action_response?.[0]?.deadline).toBe(cancel.create_time + 600);
      expect(ret.seller_next_action_response).toEqual([
        { action: 'SELLER_RESPOND_REPLACEMENT', deadline: ret.create_time + 900 },
      ]);
      h.sandbox.advance(900);
      expect((await h.us.returns.getCancellation(c.cancel_id))?.cancel_status).toBe(
        'CANCELLATION_REQUEST_COMPLETE',
      );
      expect((await h.us.returns.getReturn(r.return_id))?.return_status).toBe('REPLACEMENT_REQUEST_COMPLETE');
    } finally {
      await h.admin('PUT', '/settings', {
        business: { cancelRequestTimeoutSeconds: DAY, returnRequestTimeoutSeconds: 2 * DAY },
      });
    }
  });
});
