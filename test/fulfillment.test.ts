/**
 * NetSuite item fulfillments -> TikTok shipments (issue 12), end to end over HTTP: both sandboxes,
 * TikSuite's runtime on the test database. The warehouse is played through the NetSuite Record API
 * (`!transform` of the sales order, PATCH of the package sublist, DELETE), and every verdict is read
 * from the TikTok sandbox's own state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetSuiteClient } from '../src/connectors/netsuite/index.ts';
import { DEMO_FULFILLMENT } from '../src/main/demo-env.ts';
import { type OrdersWorld, startOrdersWorld } from './support/orders.ts';
import { waitFor } from './support/proc.ts';

let w: OrdersWorld;
let ns: NetSuiteClient;

beforeAll(async () => {
  w = await startOrdersWorld('fulfil', {
    fulfillment: {
      ...DEMO_FULFILLMENT,
      pollIntervalSeconds: 0.25,
      overlapSeconds: 2,
      defaultCarrier: 'USPS',
    },
    queue: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 },
  });
  ns = w.demo.rt.orders!.services.netsuite;
});
afterAll(async () => {
  await w?.close();
});

/** A buyer orders; the hour-long hold passes on the sandbox clock so the order is imported. */
async function order(
  lines: Array<{ seller_sku: string; quantity: number }>,
  extra: Record<string, unknown> = {},
) {
  const id = await w.placeOrder({ lines, ...extra });
  await w.demo.tiktok.advance(3601);
  return id;
}

/** The TikTok sandbox's packages of an order, with their lines and tracking. */
function packagesOf(orderId: string) {
  const ctx = w.demo.tiktok.ctx;
  const order = ctx.state.orders.get(orderId)!;
  return order.packageIds
    .map((id) => ctx.state.packages.get(id)!)
    .filter((p) => p.shipped)
    .map((p) => ({ id: p.id, tracking: p.trackingNumber, lines: p.lineIds.length, status: p.status }));
}

function orderStatus(orderId: string): string {
  return w.demo.tiktok.ctx.state.orders.get(orderId)!.status;
}

/** Lines of the sales order, by SKU: the orderLine numbers a fulfillment addresses. */
async function soLines(orderId: string) {
  const so = await w.waitForSalesOrder(orderId);
  const rec = await ns.records.get('salesOrder', so.id);
  return { id: so.id, lines: rec.item?.items ?? [] };
}

/**
 * The warehouse ships some units: a transform takes every open line unless told otherwise
 * (`itemReceive: false`, reference section 4.9), so the lines not shipped are listed as such.
 */
async function fulfil(
  soId: string,
  lines: Array<{ orderLine: number; quantity: number }>,
  tracking: string[],
  extra: Record<string, unknown> = {},
): Promise<string> {
  const so = await ns.records.get('salesOrder', soId);
  const items = (so.item?.items ?? []).map((l) => {
    const ship = lines.find((x) => x.orderLine === l.line);
    return ship ? { ...ship, itemReceive: true } : { orderLine: l.line!, itemReceive: false };
  });
  return ns.records.transform('salesOrder', soId, 'itemFulfillment', {
    shipStatus: { id: 'C' },
    item: { items },
    package: { items: tracking.map((t) => ({ packageTrackingNumber: t })) },
    ...extra,
  });
}

describe('seller shipping', () => {
  it('a partial fulfillment ships its units, the second ships the rest in a second package', async () => {
    const orderId = await order([
      { seller_sku: 'LIVE-MUG-GLOW', quantity: 2 },
      { seller_sku: 'LIVE-CAP-RED', quantity: 1 },
    ]);
    const so = await soLines(orderId);
    const mug = so.lines.find((l) => l.item?.refName?.includes('MUG'))!;
    const cap = so.lines.find((l) => l.item?.refName?.includes('CAP'))!;
    await fulfil(so.id, [{ orderLine: mug.line!, quantity: 1 }], ['1Z999AA10000000001']);
    const first = await waitFor(
      async () => packagesOf(orderId),
      (p) => p.length === 1,
    );
    expect(first[0]).toMatchObject({ tracking: '1Z999AA10000000001', lines: 1 });
    expect(orderStatus(orderId)).toBe('PARTIALLY_SHIPPING');
    await fulfil(
      so.id,
      [
        { orderLine: mug.line!, quantity: 1 },
        { orderLine: cap.line!, quantity: 1 },
      ],
      ['1Z999AA10000000002'],
    );
    const both = await waitFor(
      async () => packagesOf(orderId),
      (p) => p.length === 2,
    );
    expect(both.map((p) => [p.tracking, p.lines]).sort()).toEqual([
      ['1Z999AA10000000001', 1],
      ['1Z999AA10000000002', 2],
    ]);
    expect(orderStatus(orderId)).toBe('IN_TRANSIT');
  });
});
