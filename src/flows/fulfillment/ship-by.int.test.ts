/**
 * The ship-by check over a real database (PGlite, or PostgreSQL in the pg project), its clock
 * injected: which order_sync rows are late, the gauge, one warning record per order raised once
 * and changed only with the order's situation, resolved with what changed. End to end, with the
 * sandboxes and the spawned CLI: test/fulfillment-late.test.ts.
 */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestEnv, testEnv } from '../../../test/support/env.ts';
import { openRuntime, type Runtime } from '../../main/runtime.ts';
import { silentLogger } from '../../shared/log.ts';
import { markOrderShipped } from '../orders/sync-state.ts';
import { selftestFlow } from '../selftest.ts';
import { FULFILLMENT_FLOW } from './deps.ts';
import { SHIP_BY_CODE, ShipByCheck } from './ship-by-check.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-28T12:00:00Z');
let env: TestEnv;
let rt: Runtime;

beforeAll(async () => {
  env = testEnv('ship-by');
  rt = await openRuntime(env.config(), { log: silentLogger(), flows: [selftestFlow], schedule: false });
});
afterAll(async () => {
  await rt?.close({ graceMs: 0 });
  await env?.cleanup();
});

async function row(
  orderId: string,
  r: { status: string; shipBy: number | null; salesOrderId?: string | null; shippedAt?: number },
) {
  await rt.stores.db
    .insertInto('order_sync')
    .values({
      shop_id: '7001',
      order_id: orderId,
      applied_update_time: 1,
      tiktok_status: r.status,
      action: 'created',
      sales_order_id: r.salesOrderId === undefined ? `so-${orderId}` : r.salesOrderId,
      ship_by: r.shipBy === null ? null : new Date(r.shipBy),
      shipped_at: r.shippedAt ? new Date(r.shippedAt) : null,
    })
    .execute();
}

const warnings = (status: 'open' | 'all' = 'all') =>
  rt.stores.errors
    .list({ flowId: FULFILLMENT_FLOW, status })
    .then((l) => l.filter((e) => e.code === SHIP_BY_CODE));

it('finds the late orders, warns once per order, and resolves each warning with what changed', async () => {
  let now = T0;
  const registry = new Registry();
  const check = new ShipByCheck({
    stores: rt.stores,
    registry,
    log: silentLogger(),
    settings: { lateWarningHours: 6, lateCheckIntervalSeconds: 60 },
    now: () => now,
  });
  await row('101', { status: 'AWAITING_SHIPMENT', shipBy: T0 + 2 * HOUR });
  await row('102', { status: 'PARTIALLY_SHIPPING', shipBy: T0 - HOUR, salesOrderId: null });
  await row('103', { status: 'AWAITING_SHIPMENT', shipBy: T0 + 48 * HOUR });
  await row('104', { status: 'AWAITING_SHIPMENT', shipBy: T0 + HOUR, shippedAt: T0 - 60_000 });
  await row('105', { status: 'IN_TRANSIT', shipBy: T0 + HOUR });
  await row('106', { status: 'AWAITING_SHIPMENT', shipBy: null });

  const late = await check.check();
  expect(late.map((o) => [o.orderId, o.state, o.secondsLeft, o.salesOrderId])).toEqual([
    ['102', 'overdue', -3600, null],
    ['101', 'due_soon', 7200, 'so-101'],
  ]);
  const metric = await registry.getSingleMetricAsString('tiksuite_orders_ship_late');
  expect(metric).toMatch(/tiksuite_orders_ship_late\{state="due_soon"\} 1$/m);
  expect(metric).toMatch(/tiksuite_orders_ship_late\{state="overdue"\} 1$/m);

  const first = await warnings();
  expect(first.map((e) => [e.recordKey, e.errorClass, e.status, e.occurrences]).sort()).toEqual([
    ['ship-by:7001:101', 'warning', 'open', 1],
    ['ship-by:7001:102', 'warning', 'open', 1],
  ]);
  const soon = first.find((e) => e.recordKey === 'ship-by:7001:101')!;
  expect(soon.message).toBe(
    "TikTok order 101 (shop 7001, AWAITING_SHIPMENT) must ship by 2026-11-28 14:00 UTC (TikTok's ship-by time) and is not shipped: fulfil NetSuite sales order so-101 (an item fulfillment with its tracking number: TikSuite passes it on to TikTok) before then, or TikTok counts it as late",
  );
  expect(first.find((e) => e.recordKey === 'ship-by:7001:102')!.message).toMatch(
    /^TikTok order 102 .* is past TikTok's ship-by time 2026-11-28 11:00 UTC and not shipped: .*no NetSuite sales order/,
  );

  // Checks that find the same are not new occurrences.
  now += 60_000;
  await check.check();
  await check.check();
  const again = await warnings();
  expect(again.map((e) => [e.id, e.occurrences, e.message]).sort()).toEqual(
    first.map((e) => [e.id, e.occurrences, e.message]).sort(),
  );

  // 101 turns overdue: its one record now says so.
  now = T0 + 3 * HOUR;
  await check.check();
  const overdue = (await warnings()).filter((e) => e.recordKey === 'ship-by:7001:101');
  expect(overdue).toHaveLength(1);
  expect(overdue[0]).toMatchObject({ id: soon.id, occurrences: 1, status: 'open' });
  expect(overdue[0]!.message).toMatch(/is past TikTok's ship-by time 2026-11-28 14:00 UTC/);
  expect(overdue[0]!.details).toMatchObject({ state: 'overdue', shipBy: '2026-11-28T14:00:00.000Z' });

  // TikSuite ships 101 whole; 102 is cancelled on TikTok.
  await markOrderShipped(rt.stores.db, { shopId: '7001', orderId: '101' });
  await rt.stores.db
    .updateTable('order_sync')
    .set({ tiktok_status: 'CANCELLED' })
    .where('order_id', '=', '102')
    .execute();
  expect(await check.check()).toEqual([]);
  const done = await warnings();
  expect(done.map((e) => [e.recordKey, e.status, e.resolution]).sort()).toEqual([
    ['ship-by:7001:101', 'resolved', 'shipped: TikSuite pushed every unit of the order to TikTok'],
    ['ship-by:7001:102', 'resolved', 'no longer waiting for shipment: the order is CANCELLED on TikTok'],
  ]);
  expect(await registry.getSingleMetricAsString('tiksuite_orders_ship_late')).toMatch(
    /state="due_soon"\} 0\n.*state="overdue"\} 0$/,
  );
  expect(check.report).toMatchObject({ checks: 5, dueSoon: 0, overdue: 0 });
});
