/**
 * Ship-by deadlines (reference §4.4) and orders fulfilled by TikTok (§4.3 FULFILLMENT_BY_TIKTOK)
 * in the sandbox, through the real client over HTTP, with the status pushes a receiver gets.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startSandboxWithClient } from '../testing.ts';
import { verifyAndParseWebhook } from '../webhooks.ts';
import { collect } from './paginate.ts';

let h: Harness;
let shopId: string;
let receiver: Server;
const bodies: Array<{ body: string; signature: string }> = [];
const HOUR = 3600;
const DAY = 86_400;
/** Simulated start: a fixed instant, so every time below is exact (the harness freezes the clock). */
const START = Date.UTC(2026, 2, 2, 9, 0, 0);

beforeAll(async () => {
  h = await startSandboxWithClient({ seed: 62, startTime: START });
  shopId = h.creds.shops[0]!.id;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers.authorization ?? ''),
      });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const address = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  await h.admin('POST', '/webhooks', { address });
  await h.admin('POST', '/products', {
    shop_id: shopId,
    title: 'Mugs',
    skus: [{ seller_sku: 'MUG', price: '12.00', quantity: 100 }],
  });
});
afterAll(async () => {
  await h.close();
  await new Promise((r) => receiver.close(r));
});

const place = (body: Record<string, unknown>) =>
  h.admin<{ order_id: string; line_item_ids: string[] }>('POST', '/orders', {
    shop_id: shopId,
    lines: [{ seller_sku: 'MUG', quantity: 2 }],
    ...body,
  });
const detail = async (id: string) => (await h.us.orders.getDetails([id]))[0]!;
const nowSeconds = () => Math.floor(h.sandbox.now() / 1000);
const invalidState = { code: 'tiktok_api_error', details: { tiktokCode: 36009011 } };

/** The ORDER_STATUS_CHANGE statuses pushed for one order, in push order. */
async function pushedStatuses(orderId: string): Promise<string[]> {
  await h.sandbox.webhooksIdle();
  const statuses: string[] = [];
  for (const r of bodies) {
    const v = verifyAndParseWebhook({
      appKey: h.creds.app_key,
      appSecret: h.creds.app_secret,
      rawBody: r.body,
      signature: r.signature,
    });
    if (v.known && v.event.type === 1 && v.event.data.order_id === orderId)
      statuses.push(v.event.data.order_status);
  }
  return statuses;
}

describe('ship-by deadlines', () => {
  it('counts them from the paid time with the business settings, on the sandbox clock', async () => {
    const a = await detail((await place({})).order_id);
    expect(a.paid_time).toBe(START / 1000);
    expect(a).toMatchObject({
      rts_sla_time: START / 1000 + 2 * DAY,
      tts_sla_time: START / 1000 + 3 * DAY,
      shipping_due_time: START / 1000 + 5 * DAY,
      collection_due_time: START / 1000 + 7 * DAY,
      delivery_due_time: START / 1000 + 14 * DAY,
    });
    h.sandbox.advance(DAY + 30);
    await h.admin('PUT', '/settings', {
      business: { rtsSlaSeconds: 6 * HOUR, deliveryDueSeconds: 10 * DAY },
    });
    try {
      const b = await detail((await place({})).order_id);
      const paid = START / 1000 + DAY + 30;
      expect(b.paid_time).toBe(paid);
      expect(b).toMatchObject({
        rts_sla_time: paid + 6 * HOUR,
        tts_sla_time: paid + 3 * DAY,
        delivery_due_time: paid + 10 * DAY,
      });
      // An order keeps the deadlines it was given, whatever the settings say later.
      expect((await detail(a.id)).rts_sla_time).toBe(START / 1000 + 2 * DAY);
    } finally {
      await h.admin('PUT', '/settings', {
        business: { rtsSlaSeconds: 2 * DAY, deliveryDueSeconds: 14 * DAY },
      });
    }
  });

  it('takes deadlines given at creation, so a test can start an order close to (or past) them', async () => {
    const soon = nowSeconds() + 60;
    const { order_id } = await place({ rts_sla_time: soon, shipping_due_time: soon + HOUR });
    const o = await detail(order_id);
    expect(o).toMatchObject({
      rts_sla_time: soon,
      shipping_due_time: soon + HOUR,
      tts_sla_time: o.paid_time! + 3 * DAY,
    });
    const late = await detail((await place({ rts_sla_time: nowSeconds() - DAY })).order_id);
    expect(late.rts_sla_time).toBe(nowSeconds() - DAY);
  });

  it('refuses a deadline that is no Unix time and a duration setting out of range, naming the field', async () => {
    await expect(place({ rts_sla_time: -5 })).rejects.toThrow(/400.*body\.rts_sla_time/);
    await expect(place({ collection_due_time: 'tomorrow' })).rejects.toThrow(
      /400.*body\.collection_due_time/,
    );
    await expect(place({ delivery_due_time: 1.5 })).rejects.toThrow(/400.*body\.delivery_due_time/);
    await expect(h.admin('PUT', '/settings', { business: { ttsSlaSeconds: -1 } })).rejects.toThrow(
      /400.*ttsSlaSeconds/,
    );
  });
});

describe('fulfilled by TikTok', () => {
  it('ships from TikTok’s warehouse after the delay, refuses the seller, and pushes each status', async () => {
    const { order_id } = await place({ fulfillment_type: 'FULFILLMENT_BY_TIKTOK' });
    const placed = await detail(order_id);
    expect(placed).toMatchObject({
      fulfillment_type: 'FULFILLMENT_BY_TIKTOK',
      shipping_type: 'TIKTOK',
      delivery_option_name: 'Shipped by TikTok',
    });
    h.sandbox.advance(HOUR);
    const waiting = await detail(order_id);
    expect(waiting.status).toBe('AWAITING_SHIPMENT');
    const pkgId = waiting.packages[0]!.id;
    const [opt] = await h.us.logistics.deliveryOptions(h.creds.shops[0]!.warehouse_id);
    const usps = (await h.us.logistics.shippingProviders(opt!.id))[0]!.id;
    await expect(
      h.us.fulfillment.markShipped(order_id, {
        tracking_number: '1Z999AA10123456784',
        shipping_provider_id: usps,
      }),
    ).rejects.toMatchObject(invalidState);
    await expect(h.us.fulfillment.shipPackage(pkgId, { handover_method: 'DROP_OFF' })).rejects.toThrow(
      /TikTok fulfils it/,
    );
    const batch = await h.us.fulfillment.batchShip({ packages: [{ id: pkgId, handover_method: 'PICKUP' }] });
    expect(batch.errors).toEqual([
      expect.objectContaining({ code: 36009011, detail: { package_id: pkgId } }),
    ]);

    h.sandbox.advance(12 * HOUR - 1);
    expect((await detail(order_id)).status).toBe('AWAITING_SHIPMENT');
    h.sandbox.advance(1);
    const shipped = await detail(order_id);
    expect(shipped.status).toBe('IN_TRANSIT');
    expect(shipped.packages.map((p) => p.id)).toEqual([pkgId]);
    const pkg = await h.us.fulfillment.getPackage(pkgId);
    expect(pkg).toMatchObject({
      package_status: 'FULFILLING',
      shipping_type: 'TIKTOK',
      shipping_provider_name: 'TT Virtual express',
      delivery_option_id: placed.delivery_option_id,
      order_line_item_ids: placed.line_items.map((l) => l.id),
    });
    expect(pkg.tracking_number).toMatch(/^TT[A-Z0-9]{16}$/);
    expect(shipped).toMatchObject({
      tracking_number: pkg.tracking_number,
      shipping_provider: 'TT Virtual express',
    });
    for (const l of shipped.line_items)
      expect(l).toMatchObject({
        package_id: pkgId,
        display_status: 'IN_TRANSIT',
        tracking_number: pkg.tracking_number,
      });
    await expect(
      h.us.fulfillment.updateShippingInfo(pkgId, {
        tracking_number: '1Z999AA10123456784',
        shipping_provider_id: pkg.shipping_provider_id!,
      }),
    ).rejects.toMatchObject(invalidState);

    h.sandbox.advance(2 * DAY);
    expect((await detail(order_id)).status).toBe('DELIVERED');
    expect((await h.us.fulfillment.getPackage(pkgId)).package_status).toBe('COMPLETED');
    expect(await pushedStatuses(order_id)).toEqual([
      'UNPAID',
      'ON_HOLD',
      'AWAITING_SHIPMENT',
      'IN_TRANSIT',
      'DELIVERED',
    ]);
  });

  it('waits for an admin call when fbtShipAfterSeconds is null', async () => {
    await h.admin('PUT', '/settings', { business: { fbtShipAfterSeconds: null } });
    try {
      const { order_id } = await place({
        fulfillment_type: 'FULFILLMENT_BY_TIKTOK',
        shipping_type: 'TIKTOK',
      });
      h.sandbox.advance(5 * DAY);
      expect((await detail(order_id)).status).toBe('AWAITING_SHIPMENT');
      const r = await h.admin<{ status: string; package_id: string }>(
        'POST',
        `/orders/${order_id}/warehouse_ship`,
      );
      expect(r.status).toBe('IN_TRANSIT');
      expect((await h.us.fulfillment.getPackage(r.package_id)).package_status).toBe('FULFILLING');
      await expect(h.admin('POST', `/orders/${order_id}/warehouse_ship`)).rejects.toThrow(
        /400.*IN_TRANSIT, not waiting for the warehouse/,
      );
    } finally {
      await h.admin('PUT', '/settings', { business: { fbtShipAfterSeconds: 12 * HOUR } });
    }
  });

  it('refuses an FBT order shipped by the seller (taking no stock) and a warehouse shipment of a seller order', async () => {
    const stock = async () => {
      const [p] = await collect(h.us.products.search({ seller_skus: ['MUG'] }));
      return p!.skus[0]!.inventory[0]!.quantity;
    };
    const before = await stock();
    await expect(
      place({ fulfillment_type: 'FULFILLMENT_BY_TIKTOK', shipping_type: 'SELLER' }),
    ).rejects.toThrow(/400.*body\.shipping_type/);
    await expect(place({ fulfillment_type: 'BY_MAGIC' })).rejects.toThrow(/400.*body\.fulfillment_type/);
    expect(await stock()).toBe(before);
    const seller = await place({});
    expect((await detail(seller.order_id)).fulfillment_type).toBe('FULFILLMENT_BY_SELLER');
    h.sandbox.advance(HOUR);
    await expect(h.admin('POST', `/orders/${seller.order_id}/warehouse_ship`)).rejects.toThrow(
      /400.*FULFILLMENT_BY_SELLER: the seller ships it/,
    );
  });
});
