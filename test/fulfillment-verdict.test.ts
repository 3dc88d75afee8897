/**
 * The lifecycle demo's verdict and its warehouse, against both sandboxes over real HTTP, with
 * TikSuite's fulfillment flow off: the warehouse creates item fulfillments (whole and partial) through
 * NetSuite's REST API, the test plays a faulty integration on TikTok (right number, wrong number,
 * nothing, one number twice, units beyond NetSuite's), and the verdict from the sandboxes' state
 * must name each fault; a correction saved by the warehouse then clears the mismatch.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { admin, type DemoEnv, startDemoEnv } from '../src/main/demo/demo-env.ts';
import { fulfillmentVerdict } from '../src/main/demo/fulfillment-summary.ts';
import { waitForSalesOrders } from '../src/main/demo/lifecycle-week.ts';
import { netsuiteTracking, TrackingWatch } from '../src/main/demo/tracking-watch.ts';
import {
  type CreatedFulfillment,
  type Shipment,
  shipMethodRefs,
  Warehouse,
  type WarehouseOrder,
  warehouseClient,
} from '../src/main/demo/warehouse.ts';
import { silentLogger } from '../src/shared/log.ts';
import { type TestEnv, testEnv } from './support/env.ts';

let env: TestEnv;
let demo: DemoEnv;
let warehouse: Warehouse;
const SKU = 'LIVE-MUG-GLOW';

beforeAll(async () => {
  env = testEnv('fulfillment-verdict');
  demo = await startDemoEnv({
    env: { ...env.childEnv, LOG_LEVEL: 'silent' },
    log: silentLogger(),
    speed: 0,
    // TikSuite does not ship here: the test plays the integration on TikTok itself.
    config: { fulfillment: { enabled: false } },
  });
  warehouse = new Warehouse({
    netsuite: warehouseClient(demo.config.netsuite!),
    shipMethods: await shipMethodRefs(demo),
  });
});

afterAll(async () => {
  await demo?.close();
  await env?.cleanup();
});

/** A seller-shipped US order of `units` mugs: TikTok's order id and its line item ids. */
async function order(units: number): Promise<WarehouseOrder & { lineIds: string[] }> {
  const shop = demo.shops.find((s) => s.region === 'US')!;
  const res = await admin<{ order_id: string; line_item_ids: string[] }>(demo.tiktok.url, 'POST', '/orders', {
    shop_id: shop.id,
    lines: [{ seller_sku: SKU, quantity: units }],
    shipping_type: 'SELLER',
  });
  return {
    orderId: res.order_id,
    shopId: shop.id,
    region: 'US',
    shipping: 'SELLER',
    lines: [{ sku: SKU, quantity: units }],
    lineIds: res.line_item_ids,
  };
}

const shipment = (units: number, tracking: string, correction?: string): Shipment => ({
  n: 1,
  day: 0,
  lines: [{ sku: SKU, quantity: units }],
  shipMethod: 'UPS Ground',
  tracking,
  ...(correction ? { correction } : {}),
});

/** Marks lines shipped on TikTok through TikSuite's own TikTok client (real HTTP, signed). */
async function markShipped(o: { shopId: string; orderId: string }, lineIds: string[], tracking: string) {
  const api = await demo.rt.orders!.services.shops.api(o.shopId);
  const ups = [...demo.tiktok.ctx.state.providers].find(([, name]) => name === 'UPS')![0];
  await api.fulfillment.markShipped(o.orderId, {
    tracking_number: tracking,
    shipping_provider_id: ups,
    order_line_item_ids: lineIds,
  });
}

it('names every fault: a wrong number, nothing shipped, one number twice, units beyond NetSuite', async () => {
  const [right, wrong, none, twice, beyond] = [
    await order(1),
    await order(1),
    await order(1),
    await order(2),
    await order(2),
  ];
  const all = [right, wrong, none, twice, beyond];
  demo.tiktok.advance(3601);
  expect(await waitForSalesOrders(demo, all, 120_000)).toBe(true);

  const f: CreatedFulfillment[] = [];
  f.push(await warehouse.ship(right, shipment(1, '1ZRIGHT0000000001')));
  f.push(await warehouse.ship(wrong, shipment(1, '1ZWRONG0000000002', '1ZFIXED0000000002')));
  f.push(await warehouse.ship(none, shipment(1, '1ZNONE00000000003')));
  // Partial: one of the two units.
  f.push(await warehouse.ship(twice, shipment(1, '1ZTWICE0000000004')));
  f.push(await warehouse.ship(beyond, shipment(1, '1ZBEYOND000000005')));
  const watch = new TrackingWatch(demo, { everyMs: 60_000 });
  for (const x of f) watch.add(x);

  await markShipped(right, right.lineIds, '1ZRIGHT0000000001');
  await markShipped(wrong, wrong.lineIds, '1ZFIXED0000000002');
  await markShipped(twice, [twice.lineIds[0]!], '1ZTWICE0000000004');
  await markShipped(twice, [twice.lineIds[1]!], '1ZTWICE0000000004');
  await markShipped(beyond, [beyond.lineIds[0]!], '1ZBEYOND000000005');
  await markShipped(beyond, [beyond.lineIds[1]!], '1ZEXTRA0000000006');

  const orders = new Map(all.map((o) => [o.orderId, o.shopId]));
  const v = fulfillmentVerdict(demo, orders);
  expect(v).toMatchObject({
    netsuiteFulfillments: 5,
    packagesShippedOnTikTok: 6,
    trackingMismatches: 1,
    missing: 1,
    shippedTwice: 2,
  });
  expect(v.examples.mismatches).toEqual([
    {
      orderId: wrong.orderId,
      fulfillment: f[1]!.id,
      netsuite: '1ZWRONG0000000002',
      tiktok: '1ZFIXED0000000002',
    },
  ]);
  expect(v.examples.missing).toEqual([{ orderId: none.orderId, fulfillment: f[2]!.id }]);

  // The right, twice and beyond shipments show their NetSuite number on TikTok; wrong's shows the
  // number it is corrected to, which counts too (it went out already corrected).
  watch.check();
  expect(watch.toTikTokMs).toHaveLength(4);
  expect(watch.pendingOf('shipped').map((x) => x.id)).toEqual([f[2]!.id]);

  // The warehouse puts the wrong number right in NetSuite (PATCH, the package sublist replaced).
  await warehouse.correct(f[1]!);
  expect(netsuiteTracking(demo, f[1]!.externalId)).toEqual(['1ZFIXED0000000002']);
  watch.addCorrection(f[1]!);
  watch.stop();
  expect(watch.correctionToTikTokMs).toHaveLength(1);
  expect(fulfillmentVerdict(demo, orders)).toMatchObject({
    trackingMismatches: 0,
    missing: 1,
    shippedTwice: 2,
  });
});

it('ships partial fulfillments by orderLine, and refuses units the sales order has no open line for', async () => {
  const o = await order(3);
  demo.tiktok.advance(3601);
  expect(await waitForSalesOrders(demo, [o], 120_000)).toBe(true);
  const first = await warehouse.ship(o, { ...shipment(2, '1ZPART00000000007'), n: 1 });
  const second = await warehouse.ship(o, { ...shipment(1, '1ZPART00000000008'), n: 2 });
  const store = demo.netsuite.state.engine.store;
  const units = (x: CreatedFulfillment) =>
    (store.byExternalId('itemFulfillment', x.externalId)?.lines['item'] ?? []).map((l) => l['quantity']);
  expect(units(first)).toEqual([2]);
  expect(units(second)).toEqual([1]);
  await expect(warehouse.ship(o, { ...shipment(1, '1ZPART00000000009'), n: 3 })).rejects.toThrow(
    /no open line for 1 x LIVE-MUG-GLOW/,
  );
});
