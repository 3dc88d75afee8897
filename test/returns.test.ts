/**
 * TikTok returns and refunds -> NetSuite (issue 13), end to end over HTTP: both sandboxes, TikSuite's
 * runtime on the test database. Buyers act through the TikTok sandbox's admin API, the seller's
 * decisions go through the real client, the warehouse ships through the NetSuite Record API, and
 * every verdict is read from the NetSuite sandbox and checked to the cent against TikTok's own
 * refund breakdown.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetSuiteClient } from '../src/connectors/netsuite/index.ts';
import type { Return, TikTokShopApi } from '../src/connectors/tiktok-shop/index.ts';
import { RETURN_FLOW } from '../src/flows/aftersale/index.ts';
import { DEMO_AFTERSALE, DEMO_FULFILLMENT } from '../src/main/demo/demo-env.ts';
import { parseMoney } from '../src/shared/money.ts';
import { type OrdersWorld, startOrdersWorld } from './support/orders.ts';
import { runCli, waitFor } from './support/proc.ts';

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
    aftersale: {
      ...DEMO_AFTERSALE,
      pollIntervalSeconds: 0.25,
      overlapSeconds: 5,
      returns: { notRestockedReasons: ['buyer_says_damaged'] },
      // Only requests giving this reason are decided by rule, so the other tests decide by hand.
      autoApprove: {
        enabled: true,
        maxAmount: '25.00',
        reasons: ['small_refund_auto'],
        receivedPackages: false,
      },
    },
    queue: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 },
  });
  ns = w.demo.rt.orders!.services.netsuite;
  api = await w.demo.rt.orders!.services.shops.api(w.us.id);
  // What `tiksuite serve` writes: a CLI finding the embedded database locked asks this server.
  writeFileSync(join(w.env.home, 'server.json'), JSON.stringify({ url: w.demo.url, pid: process.pid }));
  // On PostgreSQL the CLI opens the database itself, with the service's config (JSON is YAML).
  const { tiktok, netsuite, shops, mappings, aftersale } = w.demo.config;
  writeFileSync(
    join(w.env.home, 'tiksuite.yaml'),
    JSON.stringify({ tiktok, netsuite, shops, mappings, aftersale }),
  );
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

/** The buyer asks for a refund only (of these lines, or all) and the seller approves it on TikTok. */
async function refunded(orderId: string, lineItemIds?: string[]): Promise<string> {
  const { return_id } = await w.tt<{ return_id: string }>('POST', `/orders/${orderId}/return`, {
    ...(lineItemIds ? { line_item_ids: lineItemIds } : {}),
    return_type: 'REFUND',
  });
  await api.returns.approveReturn(return_id, { decision: 'APPROVE_REFUND' });
  return return_id;
}

/** The open error record of this code for the return, once the flow raised it. */
async function openError(code: string, returnId: string) {
  const rows = await waitFor(
    () =>
      w.demo.rt.stores.db
        .selectFrom('errors')
        .selectAll()
        .where('flow_id', '=', RETURN_FLOW)
        .where('code', '=', code)
        .where('status', '=', 'open')
        .execute(),
    (list) => list.some((r) => (r.record_key ?? '').endsWith(returnId)),
  );
  return rows.find((r) => (r.record_key ?? '').endsWith(returnId))!;
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
    const return_id = await refunded(orderId, [first!.id]);
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

  it('a refund booked again (a manual run) finds its credit unchanged, though NetSuite prints 39.00 as 39', async () => {
    const { orderId } = await delivered([{ seller_sku: 'LIVE-HOODIE-BLK', quantity: 2 }]);
    const [first] = await lineIds(orderId);
    const return_id = await refunded(orderId, [first!.id]);
    const cm = await doc('creditMemo', eid('cm', return_id));
    await doc('customerRefund', eid('rf', return_id));
    // One hoodie at 39.00, tax kept out: NetSuite answers the JSON number 39.
    expect(cm.total).toBe('39');
    const runId = await w.demo.rt.engine.trigger(RETURN_FLOW, 'manual', { ids: [return_id], shop: w.us.id });
    const run = await waitFor(
      () => w.demo.rt.stores.runs.get(runId),
      (r) => r?.status !== 'running',
    );
    expect(run).toMatchObject({ status: 'succeeded', received: 1, failed: 0 });
    const open = await w.demo.rt.stores.errors.list({ flowId: RETURN_FLOW, limit: 1000 });
    expect(open.filter((e) => e.recordKey?.endsWith(return_id))).toEqual([]);
    expect((await ns.records.get('creditMemo', cm.id)).total).toBe('39');
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
    const return_id = await refunded(orderId);
    const e = await openError('return_order_not_imported', return_id);
    expect(e.message).toContain(`orders sync --ids ${orderId}`);
  });

  it('a partial refund offered by the seller and accepted: one line on the partial-refund item, no goods back', async () => {
    const { orderId } = await delivered([{ seller_sku: 'LIVE-HOODIE-BLK', quantity: 1 }]);
    const { return_id } = await w.tt<{ return_id: string }>('POST', `/orders/${orderId}/return`, {
      return_type: 'REFUND',
    });
    await api.returns.approveReturn(return_id, {
      decision: 'OFFER_PARTIAL_REFUND',
      partial_refund: { amount: '10.00', currency: 'USD' },
    });
    await w.tt('POST', `/returns/${return_id}/offer_response`, { accept: true });
    const cm = await doc('creditMemo', eid('cm', return_id));
    const ret = await tiktokReturn(return_id);
    const a = ret.refund_amount!;
    expect(cents(a.refund_total)).toBe(1000n);
    expect(cents(cm.total)).toBe(cents(a.refund_total) - cents(a.refund_tax));
    const lines = (await ns.records.get('creditMemo', cm.id)).item?.items ?? [];
    expect(lines.map((l) => l.item?.refName)).toEqual(['Partial refund']);
    expect(await ns.records.findByExternalId('returnAuthorization', eid('ra', return_id))).toBeUndefined();
  });

  it('goods lost or damaged (a listed reason): authorization and credit, but no receipt into stock', async () => {
    const { orderId } = await delivered([{ seller_sku: 'LIVE-MUG-GLOW', quantity: 1 }]);
    const { return_id } = await w.tt<{ return_id: string }>('POST', `/orders/${orderId}/return`, {
      return_type: 'RETURN_AND_REFUND',
      reason: 'buyer_says_damaged',
    });
    await api.returns.approveReturn(return_id, { decision: 'APPROVE_RETURN' });
    await doc('returnAuthorization', eid('ra', return_id));
    await w.tt('POST', `/returns/${return_id}/ship`, { tracking_number: '1Z999AA10123456784' });
    await waitFor(
      async () => (await tiktokReturn(return_id)).return_status,
      (st) => st === 'BUYER_SHIPPED_ITEM',
    );
    await api.returns.approveReturn(return_id, { decision: 'APPROVE_RECEIVED_PACKAGE' });
    await doc('customerRefund', eid('rf', return_id));
    expect(await ns.records.findByExternalId('itemReceipt', eid('rcpt', return_id))).toBeUndefined();
  });

  it('an invoiced order: the credit memo is made from the invoice and applied to it', async () => {
    const { orderId, soId } = await delivered([{ seller_sku: 'LIVE-TOTE-SAND', quantity: 2 }]);
    const invoiceId = await ns.records.transform('salesOrder', soId, 'invoice', {});
    const [first] = await lineIds(orderId);
    const return_id = await refunded(orderId, [first!.id]);
    const cm = await doc('creditMemo', eid('cm', return_id));
    expect(cm.createdFrom?.id).toBe(invoiceId);
    const a = (await tiktokReturn(return_id)).refund_amount!;
    expect(cents(cm.total)).toBe(cents(a.refund_total) - cents(a.refund_tax));
    const invoice = await ns.records.get('invoice', invoiceId);
    expect(cents(invoice.total) - cents((invoice as Record<string, unknown>)['amountRemaining'])).toBe(
      cents(cm.total),
    );
  });

  it('approves by rule a small refund giving a listed reason, and books it', async () => {
    const { orderId } = await delivered([{ seller_sku: 'LIVE-CAP-RED', quantity: 1 }]);
    const { return_id } = await w.tt<{ return_id: string }>('POST', `/orders/${orderId}/return`, {
      return_type: 'REFUND',
      reason: 'small_refund_auto',
    });
    const cm = await doc('creditMemo', eid('cm', return_id));
    expect((await tiktokReturn(return_id)).return_status).toBe('RETURN_OR_REFUND_REQUEST_COMPLETE');
    expect(cm.id).toBeTruthy();
  });

  it('a credit that differs from TikTok and was not paid out yet is corrected in place on re-sync', async () => {
    const { orderId } = await delivered([{ seller_sku: 'LIVE-TOTE-SAND', quantity: 1 }]);
    const return_id = await refunded(orderId);
    const cm = await doc('creditMemo', eid('cm', return_id));
    const rf = await doc('customerRefund', eid('rf', return_id));
    const booked = cents(cm.total);
    // The payout is undone and the credit edited: its total no longer matches TikTok's refund.
    await ns.records.delete('customerRefund', rf.id);
    const full = await ns.records.get('creditMemo', cm.id);
    await ns.records.update('creditMemo', cm.id, {
      item: { items: [{ line: full.item!.items![0]!.line, amount: 1.23 }] },
    });
    await w.demo.rt.engine.trigger(RETURN_FLOW, 'manual', { ids: return_id });
    const fixed = await waitFor(
      () => ns.records.get('creditMemo', cm.id),
      (r) => cents(r.total) === booked,
    );
    expect(fixed.id).toBe(cm.id);
    await doc('customerRefund', eid('rf', return_id));
    const all = await ns.suiteql.page('SELECT id FROM transaction WHERE externalid = ?', [
      eid('cm', return_id),
    ]);
    expect(all.items).toHaveLength(1);
  });

  it('a booked refund changed afterwards in NetSuite: a re-sync refuses to book a second credit', async () => {
    const { orderId } = await delivered([{ seller_sku: 'LIVE-MUG-GLOW', quantity: 1 }]);
    const return_id = await refunded(orderId);
    const cm = await doc('creditMemo', eid('cm', return_id));
    await doc('customerRefund', eid('rf', return_id));
    // Someone edits the credit memo's amount by hand; TikTok's figure no longer matches it.
    const full = await ns.records.get('creditMemo', cm.id);
    const goods = full.item!.items![0]!;
    await ns.records.update('creditMemo', cm.id, { item: { items: [{ line: goods.line, amount: 1.23 }] } });
    await w.demo.rt.engine.trigger(RETURN_FLOW, 'manual', { ids: return_id });
    const e = await openError('refund_amount_changed', return_id);
    expect(e.code).toBe('refund_amount_changed');
    const all = await ns.suiteql.page(`SELECT id FROM transaction WHERE externalid = ?`, [
      eid('cm', return_id),
    ]);
    expect(all.items).toHaveLength(1);
  });

  it('`tiksuite returns sync --ids` re-reads a booked return and books nothing twice; a bad id is refused', async () => {
    const { orderId } = await delivered([{ seller_sku: 'LIVE-CAP-RED', quantity: 1 }]);
    const return_id = await refunded(orderId);
    await doc('customerRefund', eid('rf', return_id));
    const cli = (args: string[]) =>
      runCli(args, { env: { ...w.env.childEnv, TIKSUITE_ADMIN_TOKEN: w.demo.adminToken }, cwd: w.env.home });
    const sync = await cli(['returns', 'sync', '--ids', return_id, '--json']);
    expect(sync.code, sync.stderr).toBe(0);
    const run = JSON.parse(sync.stdout) as { id: string; flowId: string };
    expect(run.flowId).toBe(RETURN_FLOW);
    const done = await waitFor(
      () => w.demo.rt.stores.runs.get(run.id),
      (r) => r?.status !== 'running',
    );
    const errs = await w.demo.rt.stores.errors.list({ flowId: RETURN_FLOW, status: 'all', limit: 1000 });
    expect(done, JSON.stringify(errs.filter((e) => e.runId === run.id))).toMatchObject({
      status: 'succeeded',
      received: 1,
      failed: 0,
    });
    for (const kind of ['cm', 'rf']) {
      const rows = await ns.suiteql.page('SELECT id FROM transaction WHERE externalid = ?', [
        eid(kind, return_id),
      ]);
      expect(rows.items).toHaveLength(1);
    }
    const bad = await cli(['returns', 'sync', '--ids', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--ids must be TikTok return or cancellation ids');
  });
});
