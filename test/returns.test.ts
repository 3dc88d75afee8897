/**
 * TikTok returns and refunds -> NetSuite (issue 13), end to end over HTTP: both sandboxes, TikSuite's
 * runtime on the test database. Buyers act through the TikTok sandbox's admin API, the seller's
 * decisions go through the real client, the warehouse ships through the NetSuite Record API, and
 * every verdict is read from the NetSuite sandbox and checked to the cent against TikTok's own
 * refund breakdown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetSuiteClient } from '../src/connectors/netsuite/index.ts';
import type { Return, TikTokShopApi } from '../src/connectors/tiktok-shop/index.ts';
import { RETURN_FLOW } from '../src/flows/aftersale/index.ts';
import { DEMO_AFTERSALE, DEMO_FULFILLMENT } from '../src/main/demo/demo-env.ts';
import { parseMoney } from '../src/shared/money.ts';
import { type OrdersWorld, startOrdersWorld } from './support/orders.ts';
import { waitFor } from './support/proc.ts';

let w: OrdersWorld;
let ns: NetSuiteClient;
let api: TikTokShopApi;

beforeAll(async () => {
  w = await startOrdersWorld('returns', {
    fulfillment: {
      ...DEMO_FULFILLMENT,
      pollIntervalSeconds: 0.25,
      overlapSeconds: 2,
      defaultCarrier: 'USPS',
    },
    aftersale: { ...DEMO_AFTERSALE, pollIntervalSeconds: 0.25, overlapSeconds: 5 },
    queue: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 },
  });
  ns = w.demo.rt.orders!.services.netsuite;
  api = await w.demo.rt.orders!.services.shops.api(w.us.id);
});
afterAll(async () => {
  await w?.close();
});

const status = (orderId: string) => w.demo.tiktok.ctx.state.orders.get(orderId)!.status;

/** A buyer orders; the order is imported, shipped by the warehouse in NetSuite, and delivered. */
async function delivered(
  lines: Array<{ seller_sku: string; quantity: number }>,
  extra: Record<string, unknown> = {},
): Promise<{ orderId: string; soId: string }> {
  const orderId = await w.placeOrder({ lines, ...extra });
  await w.demo.tiktok.advance(3601);
  const so = await w.waitForSalesOrder(orderId);
  // The warehouse ships the goods lines only (discount and receivable lines are not goods).
  const rec = await ns.records.get('salesOrder', so.id);
  const items = (rec.item?.items ?? [])
    .filter((l) => !l.isClosed && (l.quantity ?? 0) > (l.quantityFulfilled ?? 0))
    .map((l) =>
      l.item?.refName?.startsWith('LIVE-')
        ? { orderLine: l.line }
        : { orderLine: l.line, itemReceive: false },
    );
  await ns.records.transform('salesOrder', so.id, 'itemFulfillment', {
    shipStatus: { id: 'C' },
    item: { items },
    package: { items: [{ packageTrackingNumber: `1Z999AA1${orderId.slice(-10)}` }] },
  });
  await waitFor(
    async () => status(orderId),
    (s) => s === 'IN_TRANSIT' || s === 'AWAITING_COLLECTION',
  );
  if (status(orderId) === 'AWAITING_COLLECTION') await w.tt('POST', `/orders/${orderId}/collect`);
  await w.tt('POST', `/orders/${orderId}/deliver`);
  return { orderId, soId: so.id };
}

async function lineIds(orderId: string): Promise<Array<{ id: string; sku: string }>> {
  const o = await w.tt<{ line_items: Array<{ id: string; seller_sku: string }> }>(
    'GET',
    `/orders/${orderId}`,
  );
  return o.line_items.map((l) => ({ id: l.id, sku: l.seller_sku }));
}

async function tiktokReturn(id: string): Promise<Return> {
  return (await api.returns.getReturn(id))!;
}

/** The NetSuite document with this external id, once it exists. */
async function doc(
  type: 'returnAuthorization' | 'itemReceipt' | 'creditMemo' | 'customerRefund',
  eid: string,
) {
  return waitFor(
    () => ns.records.findByExternalId(type, eid),
    (r) => r !== undefined,
  ).then((r) => r!);
}

const eid = (kind: string, returnId: string) => `tiktok-${w.us.id}-${kind}-${returnId}`;
const cents = (amount: unknown, currency = 'USD') =>
  parseMoney(typeof amount === 'string' ? amount : '0', currency).minor;

describe('refunds and returns after delivery', () => {
  it('refund only, one unit of two: a credit memo to the cent and a customer refund; no return authorization', async () => {
    const { orderId } = await delivered([{ seller_sku: 'LIVE-CAP-RED', quantity: 2 }], {
      seller_discount: '2.00',
      platform_discount: '1.00',
    });
    const [first] = await lineIds(orderId);
    const { return_id } = await w.tt<{ return_id: string }>('POST', `/orders/${orderId}/return`, {
      line_item_ids: [first!.id],
      return_type: 'REFUND',
    });
    await api.returns.approveReturn(return_id, { decision: 'APPROVE_REFUND' });
    const ret = await tiktokReturn(return_id);
    expect(ret.return_status).toBe('RETURN_OR_REFUND_REQUEST_COMPLETE');
    const cm = await doc('creditMemo', eid('cm', return_id));
    const a = ret.refund_amount!;
    // Tax is TikTok's (marketplace facilitator) and stays off the books: the credit is the rest.
    expect(cents(cm.total)).toBe(cents(a.refund_total) - cents(a.refund_tax) - cents(a.retail_delivery_fee));
    const rf = await doc('customerRefund', eid('rf', return_id));
    expect(cents(rf.total)).toBe(cents(cm.total));
    expect(await ns.records.findByExternalId('returnAuthorization', eid('ra', return_id))).toBeUndefined();
    const full = await ns.records.get('creditMemo', cm.id);
    const goods = full.item?.items?.find((l) => l.quantity === 1 && l.item?.refName?.includes('CAP'));
    expect(goods).toBeDefined();
  });

  it('return and refund: authorization on approval, receipt into stock when the parcel is back, credit from the authorization', async () => {
    const { orderId } = await delivered([
      { seller_sku: 'LIVE-MUG-GLOW', quantity: 2 },
      { seller_sku: 'LIVE-TOTE-SAND', quantity: 1 },
    ]);
    const lines = await lineIds(orderId);
    const mugs = lines.filter((l) => l.sku === 'LIVE-MUG-GLOW').map((l) => l.id);
    const { return_id } = await w.tt<{ return_id: string }>('POST', `/orders/${orderId}/return`, {
      line_item_ids: mugs,
      return_type: 'RETURN_AND_REFUND',
    });
    await api.returns.approveReturn(return_id, { decision: 'APPROVE_RETURN' });
    const ra = await doc('returnAuthorization', eid('ra', return_id));
    const raFull = await ns.records.get('returnAuthorization', ra.id);
    expect(raFull.item?.items?.map((l) => l.quantity)).toEqual([2]);
    await w.tt('POST', `/returns/${return_id}/ship`, {});
    await waitFor(
      async () => (await tiktokReturn(return_id)).return_status,
      (s) => s === 'BUYER_SHIPPED_ITEM',
    );
    await api.returns.approveReturn(return_id, { decision: 'APPROVE_RECEIVED_PACKAGE' });
    const ir = await doc('itemReceipt', eid('rcpt', return_id));
    const irFull = await ns.records.get('itemReceipt', ir.id);
    expect(irFull.item?.items?.map((l) => l.quantity)).toEqual([2]);
    const cm = await doc('creditMemo', eid('cm', return_id));
    const ret = await tiktokReturn(return_id);
    const a = ret.refund_amount!;
    expect(cents(cm.total)).toBe(cents(a.refund_total) - cents(a.refund_tax) - cents(a.retail_delivery_fee));
    expect(cm.createdFrom?.id).toBe(ra.id);
    await doc('customerRefund', eid('rf', return_id));
  });

  it('a refund booked and paid is found again on a re-sync although NetSuite prints its total as 39, not 39.00', async () => {
    // A kill between the customer refund and the step's checkpoint runs the step again just so.
    const { orderId } = await delivered([{ seller_sku: 'LIVE-HOODIE-BLK', quantity: 1 }], {
      shipping_fee: '0.00',
    });
    const { return_id } = await w.tt<{ return_id: string }>('POST', `/orders/${orderId}/return`, {
      return_type: 'REFUND',
    });
    await api.returns.approveReturn(return_id, { decision: 'APPROVE_REFUND' });
    const cm = await doc('creditMemo', eid('cm', return_id));
    await doc('customerRefund', eid('rf', return_id));
    expect(cm.total).toBe('39');
    const runId = await w.demo.rt.engine.trigger(RETURN_FLOW, 'manual', { ids: [return_id], shop: w.us.id });
    const run = await waitFor(
      () => w.demo.rt.stores.runs.get(runId),
      (r) => r?.status !== 'running',
    );
    expect(run).toMatchObject({ status: 'succeeded', received: 1, failed: 0 });
    const again = await ns.records.get('creditMemo', cm.id);
    expect(again.memo).not.toContain('amount changed');
    const open = await w.demo.rt.stores.db
      .selectFrom('errors')
      .select(['code', 'record_key'])
      .where('flow_id', '=', RETURN_FLOW)
      .where('status', '=', 'open')
      .execute();
    expect(open.filter((e) => (e.record_key ?? '').endsWith(return_id))).toEqual([]);
  });

  it('a refund for an order TikSuite never imported is an error record naming the fix', async () => {
    await w.tt('POST', '/products', {
      shop_id: w.us.id,
      title: 'Not in NetSuite',
      skus: [{ seller_sku: 'GHOST-1', price: '5.00', quantity: 10 }],
    });
    const orderId = await w.placeOrder({
      lines: [{ seller_sku: 'GHOST-1', quantity: 1 }],
      fulfillment_type: 'FULFILLMENT_BY_TIKTOK',
      shipping_type: 'TIKTOK',
    });
    await w.demo.tiktok.advance(3601);
    await w.tt('POST', `/orders/${orderId}/warehouse_ship`);
    await w.tt('POST', `/orders/${orderId}/collect`).catch(() => undefined);
    await w.tt('POST', `/orders/${orderId}/deliver`);
    const { return_id } = await w.tt<{ return_id: string }>('POST', `/orders/${orderId}/return`, {
      return_type: 'REFUND',
    });
    await api.returns.approveReturn(return_id, { decision: 'APPROVE_REFUND' });
    const errors = await waitFor(
      () =>
        w.demo.rt.stores.db
          .selectFrom('errors')
          .selectAll()
          .where('flow_id', '=', RETURN_FLOW)
          .where('code', '=', 'return_order_not_imported')
          .where('status', '=', 'open')
          .execute(),
      (rows) => rows.some((r) => (r.record_key ?? '').endsWith(return_id)),
    );
    const e = errors.find((r) => (r.record_key ?? '').endsWith(return_id))!;
    expect(e.message).toContain(`orders sync --ids ${orderId}`);
  });
});
