/**
 * The lifecycle demo's returns verdict against both sandboxes over real HTTP, with TikSuite's
 * aftersale flows off: buyers return delivered orders on TikTok and the seller approves through the
 * real client, the test books a faulty integration's credits in NetSuite through the REST API (one
 * right, one missing, one a cent off, one with a twin under no external id, one for a refund TikTok
 * never made), and the verdict from the sandboxes' state must name each fault. A cancelled unit
 * TikSuite closed on the sales order passes; reopened by hand in NetSuite, it is caught.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type NetSuiteClient, nsDecimal } from '../src/connectors/netsuite/index.ts';
import { returnExternalId } from '../src/flows/aftersale/index.ts';
import { salesOrderExternalId } from '../src/flows/orders/index.ts';
import { admin, type DemoEnv, startDemoEnv } from '../src/main/demo/demo-env.ts';
import { waitForSalesOrders } from '../src/main/demo/lifecycle-week.ts';
import { returnsVerdict } from '../src/main/demo/returns-summary.ts';
import { warehouseClient } from '../src/main/demo/warehouse.ts';
import { silentLogger } from '../src/shared/log.ts';
import { formatMoney, parseMoney } from '../src/shared/money.ts';
import { type TestEnv, testEnv } from './support/env.ts';
import { waitFor } from './support/proc.ts';

let env: TestEnv;
let demo: DemoEnv;
let ns: NetSuiteClient;

beforeAll(async () => {
  env = testEnv('returns-verdict');
  demo = await startDemoEnv({
    env: { ...env.childEnv, LOG_LEVEL: 'silent' },
    log: silentLogger(),
    speed: 0,
    // TikSuite books no refund here: the test plays the integration in NetSuite itself.
    config: { aftersale: { enabled: false } },
  });
  ns = warehouseClient(demo.config.netsuite!);
});

afterAll(async () => {
  await demo?.close();
  await env?.cleanup();
});

const us = () => demo.shops.find((s) => s.region === 'US')!;
const tt = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
  admin<T>(demo.tiktok.url, method, path, body);

/** A delivered TikTok-warehouse order of two mugs: its id and line item ids. */
async function delivered(): Promise<{ orderId: string; lineIds: string[] }> {
  const res = await tt<{ order_id: string; line_item_ids: string[] }>('POST', '/orders', {
    shop_id: us().id,
    lines: [{ seller_sku: 'LIVE-MUG-GLOW', quantity: 2 }],
    fulfillment_type: 'FULFILLMENT_BY_TIKTOK',
    shipping_type: 'TIKTOK',
  });
  return { orderId: res.order_id, lineIds: res.line_item_ids };
}

async function shipAndDeliver(orderId: string): Promise<void> {
  await tt('POST', `/orders/${orderId}/warehouse_ship`);
  await tt('POST', `/orders/${orderId}/collect`).catch(() => undefined);
  await tt('POST', `/orders/${orderId}/deliver`);
}

/** A refund of the order's first unit; approved by the seller through the real client unless `pending`. */
async function refund(
  orderId: string,
  lineId: string,
  pending = false,
): Promise<{ id: string; credit: string }> {
  const { return_id } = await tt<{ return_id: string }>('POST', `/orders/${orderId}/return`, {
    line_item_ids: [lineId],
    return_type: 'REFUND',
  });
  const api = await demo.rt.orders!.services.shops.api(us().id);
  if (!pending) await api.returns.approveReturn(return_id, { decision: 'APPROVE_REFUND' });
  const a = (await api.returns.getReturn(return_id))!.refund_amount!;
  const m = (v: string | undefined) => parseMoney(v ?? '0', a.currency).minor;
  const credit = m(a.refund_total) - m(a.refund_tax) - m(a.retail_delivery_fee);
  return { id: return_id, credit: formatMoney({ minor: credit, currency: a.currency }) };
}

const eid = (kind: 'credit' | 'refund', id: string) => returnExternalId('tiktok', us().id, kind, id);

async function creditMemo(externalId: string | undefined, returnId: string, amount: string) {
  const body = {
    entity: { externalId: 'CUST-DEMO' },
    subsidiary: { externalId: 'SUB-US' },
    memo: `TikTok refund ${returnId} of a demo order`,
    item: { items: [{ item: { externalId: 'REFUND-PARTIAL' }, amount: nsDecimal(amount) }] },
  };
  return externalId
    ? ns.records.upsert('creditMemo', externalId, body)
    : ns.records.create('creditMemo', body);
}

async function customerRefund(returnId: string, amount: string) {
  return ns.records.upsert('customerRefund', eid('refund', returnId), {
    customer: { externalId: 'CUST-DEMO' },
    account: { externalId: 'ACC-TIKTOK' },
    total: nsDecimal(amount),
    memo: `TikTok refund ${returnId} of a demo order`,
  });
}

it('names every fault: a refund missing, a credit a cent off, a twin, a credit TikTok never refunded', async () => {
  const orders = [
    await delivered(),
    await delivered(),
    await delivered(),
    await delivered(),
    await delivered(),
  ];
  demo.tiktok.advance(3601);
  for (const o of orders) await shipAndDeliver(o.orderId);
  const [right, missing, cent, twin, unrefunded] = await Promise.all(
    orders.map((o, i) => refund(o.orderId, o.lineIds[0]!, i === 4)),
  );
  await creditMemo(eid('credit', right!.id), right!.id, right!.credit);
  await customerRefund(right!.id, right!.credit);
  const off = formatMoney({ minor: parseMoney(cent!.credit, 'USD').minor + 1n, currency: 'USD' });
  await creditMemo(eid('credit', cent!.id), cent!.id, off);
  await customerRefund(cent!.id, cent!.credit);
  await creditMemo(eid('credit', twin!.id), twin!.id, twin!.credit);
  await creditMemo(undefined, twin!.id, twin!.credit);
  await customerRefund(twin!.id, twin!.credit);
  await creditMemo(eid('credit', unrefunded!.id), unrefunded!.id, unrefunded!.credit);

  const v = returnsVerdict(demo, new Map(orders.map((o) => [o.orderId, us().id])));
  expect(v).toMatchObject({
    returns: 5,
    refundsCompleted: 4,
    netsuiteCredits: 5,
    customerRefunds: 3,
    missing: 2,
    duplicated: 1,
    amountMismatchCents: 1,
    unexpected: 1,
    cancelledOrdersWithOpenLines: 0,
  });
  expect(v.examples.missing.join('\n')).toContain(`return ${missing!.id}`);
  expect(v.examples.duplicated.join('\n')).toContain(`return ${twin!.id}`);
  expect(v.examples.mismatches.join('\n')).toContain(`return ${cent!.id}`);
  expect(v.examples.unexpected.join('\n')).toContain(`return ${unrefunded!.id}`);
});

it('a cancelled unit closed on the sales order passes; reopened in NetSuite, the order is counted', async () => {
  const shop = us();
  const placed = await tt<{ order_id: string; line_item_ids: string[] }>('POST', '/orders', {
    shop_id: shop.id,
    lines: [
      { seller_sku: 'LIVE-CAP-RED', quantity: 1 },
      { seller_sku: 'LIVE-TOTE-SAND', quantity: 2 },
    ],
    shipping_type: 'SELLER',
  });
  const order = { orderId: placed.order_id, shopId: shop.id };
  demo.tiktok.advance(3601);
  expect(await waitForSalesOrders(demo, [order], 120_000)).toBe(true);
  // The seller cancels the cap (TikTok completes it at once); TikSuite's order import closes its line.
  await tt('POST', `/orders/${order.orderId}/cancel`, {
    by: 'SELLER',
    line_item_ids: [placed.line_item_ids[0]],
  });
  const placedMap = new Map([[order.orderId, shop.id]]);
  const v = await waitFor(
    async () => returnsVerdict(demo, placedMap),
    (x) => x.cancelledOrdersWithOpenLines === 0,
  );
  expect(v.cancelledOrders).toEqual({ whole: 0, partial: 1 });
  expect(v.cancellations).toBe(1);

  // Someone reopens the closed line by hand.
  const so = await ns.records.get('salesOrder', { externalId: salesOrderExternalId(shop.id, order.orderId) });
  const cap = so.item?.items?.find((l) => l.item?.refName === 'LIVE-CAP-RED' && l.isClosed);
  expect(cap).toBeDefined();
  await ns.records.update('salesOrder', so.id, { item: { items: [{ line: cap!.line, isClosed: false }] } });
  const after = returnsVerdict(demo, placedMap);
  expect(after.cancelledOrdersWithOpenLines).toBe(1);
  expect(after.examples.openLines).toEqual([
    `order ${order.orderId}: 1 cancelled unit(s) still open on its sales order`,
  ]);
});
