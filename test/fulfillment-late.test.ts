/**
 * Ship-by deadlines (issue 12), end to end: orders placed in the TikTok sandbox with their ship-by
 * time (`rts_sla_time`) set close to, or past, the sandbox clock, imported over webhooks, shipped
 * by the warehouse through the NetSuite Record API and pushed to TikTok by the fulfillment flow.
 * A spawned `tiksuite fulfillment late` (through the running server's API on PGlite, the database
 * directly on PostgreSQL) lists what is due, /metrics counts it, and one warning record per order
 * is raised once and resolved after shipping.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetSuiteClient } from '../src/connectors/netsuite/index.ts';
import { DEMO_FULFILLMENT } from '../src/main/demo/demo-env.ts';
import { type OrdersWorld, startOrdersWorld } from './support/orders.ts';
import { runCli, waitFor } from './support/proc.ts';

const HOUR = 3600;
let w: OrdersWorld;
let ns: NetSuiteClient;

beforeAll(async () => {
  w = await startOrdersWorld('late', {
    fulfillment: {
      ...DEMO_FULFILLMENT,
      pollIntervalSeconds: 0.25,
      overlapSeconds: 2,
      defaultCarrier: 'USPS',
      lateWarningHours: 6,
      lateCheckIntervalSeconds: 0.2,
    },
    queue: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 },
  });
  ns = w.demo.rt.orders!.services.netsuite;
  // What `tiksuite serve` writes: a CLI finding the embedded database locked asks this server.
  writeFileSync(join(w.env.home, 'server.json'), JSON.stringify({ url: w.demo.url, pid: process.pid }));
  // On PostgreSQL the CLI opens the database itself, with the service's config (JSON is YAML).
  const { tiktok, netsuite, shops, mappings, fulfillment } = w.demo.config;
  const yaml = JSON.stringify({ tiktok, netsuite, shops, mappings, fulfillment });
  writeFileSync(join(w.env.home, 'tiksuite.yaml'), yaml);
});
afterAll(async () => {
  await w?.close();
});

interface LateRow {
  shopId: string;
  orderId: string;
  salesOrderId: string | null;
  shipBy: string;
  secondsLeft: number;
  state: string;
  tiktokStatus: string;
}

const cli = (args: string[]) =>
  runCli(args, { env: { ...w.env.childEnv, TIKSUITE_ADMIN_TOKEN: w.demo.adminToken }, cwd: w.env.home });

async function late(hours: number): Promise<LateRow[]> {
  const r = await cli(['fulfillment', 'late', '--hours', String(hours), '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as LateRow[];
}

const metric = async (state: string) => {
  const text = await (await fetch(`${w.demo.url}/metrics`)).text();
  return Number(new RegExp(`^tiksuite_orders_ship_late\\{state="${state}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
};

const warnings = async (orderId: string) =>
  (await w.demo.rt.stores.errors.list({ flowId: 'fulfillment.tracking', status: 'all', limit: 1000 })).filter(
    (e) => e.code === 'ship_by_due_soon' && e.recordKey === `ship-by:${w.us.id}:${orderId}`,
  );

const tiktokStatus = async (orderId: string) =>
  (
    await w.demo.rt.stores.db
      .selectFrom('order_sync')
      .select(['tiktok_status', 'shipped_at'])
      .where('order_id', '=', orderId)
      .executeTakeFirst()
  )?.tiktok_status;

/** The warehouse ships some units of the sales order (the other lines marked not received). */
async function fulfil(soId: string, sku: string, quantity: number, tracking: string): Promise<string> {
  const so = await ns.records.get('salesOrder', soId);
  const items = (so.item?.items ?? []).map((l) =>
    l.item?.refName?.includes(sku)
      ? { orderLine: l.line!, quantity, itemReceive: true }
      : { orderLine: l.line!, itemReceive: false },
  );
  return ns.records.transform('salesOrder', soId, 'itemFulfillment', {
    shipStatus: { id: 'C' },
    item: { items },
    package: { items: [{ packageTrackingNumber: tracking }] },
  });
}

describe('ship-by deadlines', () => {
  it('lists, counts and warns about orders near or past their ship-by time until they ship', async () => {
    const { now_seconds: t } = await w.tt<{ now_seconds: number }>('GET', '/clock');
    const lines = [{ seller_sku: 'LIVE-MUG-GLOW', quantity: 2 }];
    // The hold takes an hour of sandbox time: the first is due 2 hours after it, the second a day
    // before, the third 3 days after.
    const soon = await w.placeOrder({ lines, rts_sla_time: t + 3 * HOUR });
    const overdue = await w.placeOrder({ lines, rts_sla_time: t - 24 * HOUR });
    const later = await w.placeOrder({ lines, rts_sla_time: t + 72 * HOUR });
    await w.demo.tiktok.advance(HOUR + 1);
    const so = await w.waitForSalesOrder(soon);
    await w.waitForSalesOrder(overdue);
    await w.waitForSalesOrder(later);

    const listed = await waitFor(
      () => late(6),
      (rows) => rows.length === 2,
    );
    expect(listed.map((r) => [r.orderId, r.state, r.shopId, r.tiktokStatus])).toEqual([
      [overdue, 'overdue', w.us.id, 'AWAITING_SHIPMENT'],
      [soon, 'due_soon', w.us.id, 'AWAITING_SHIPMENT'],
    ]);
    const row = listed[1]!;
    expect(row).toMatchObject({ salesOrderId: so.id, shipBy: new Date((t + 3 * HOUR) * 1000).toISOString() });
    expect(row.secondsLeft).toBeGreaterThan(0);
    expect(row.secondsLeft).toBeLessThanOrEqual(6 * HOUR);
    expect((await late(100)).map((r) => r.orderId)).toContain(later);

    const text = await cli(['fulfillment', 'late', '--hours', '6']);
    expect(text.code, text.stderr).toBe(0);
    const [header, first, second] = text.stdout.trim().split('\n');
    expect(header).toMatch(/^shop\s+order\s+salesOrder\s+shipBy\s+timeLeft\s+status$/);
    expect(first).toMatch(new RegExp(`^${w.us.id}\\s+${overdue}\\s+\\d+\\s+[\\d-]+ [\\d:]+ UTC\\s+late 1d`));
    expect(second).toMatch(
      new RegExp(`^${w.us.id}\\s+${soon}\\s+${so.id}\\s+.* UTC\\s+\\d+h \\d\\dm\\s+AWAITING`),
    );

    await waitFor(
      async () => [await metric('due_soon'), await metric('overdue')],
      (v) => v[0] === 1 && v[1] === 1,
    );
    const [warning] = await waitFor(
      () => warnings(soon),
      (l) => l.length === 1,
    );
    expect(warning).toMatchObject({ errorClass: 'warning', status: 'open', occurrences: 1 });
    expect(warning!.message).toContain(
      `TikTok order ${soon} (shop ${w.us.id}, AWAITING_SHIPMENT) must ship by`,
    );
    expect(warning!.message).toContain(`fulfil NetSuite sales order ${so.id}`);
    expect(warning!.message).toContain(
      new Date((t + 3 * HOUR) * 1000).toISOString().slice(0, 16).replace('T', ' '),
    );
    // Raised once: more checks find the same order and leave its record alone.
    const checks = w.demo.rt.shipBy!.report.checks;
    await waitFor(
      async () => w.demo.rt.shipBy!.report.checks,
      (n) => n >= checks + 3,
    );
    expect(await warnings(soon)).toMatchObject([{ id: warning!.id, occurrences: 1, status: 'open' }]);

    // One of the two units ships: TikTok says PARTIALLY_SHIPPING, the order stays listed.
    await fulfil(so.id, 'MUG', 1, '1Z999AA10000000101');
    await waitFor(
      () => tiktokStatus(soon),
      (s) => s === 'PARTIALLY_SHIPPING',
    );
    await waitFor(
      async () => (await warnings(soon))[0]?.message ?? '',
      (m) => m.includes('PARTIALLY_SHIPPING'),
    );
    expect((await late(6)).map((r) => [r.orderId, r.tiktokStatus])).toContainEqual([
      soon,
      'PARTIALLY_SHIPPING',
    ]);
    expect(await warnings(soon)).toMatchObject([{ id: warning!.id, occurrences: 1, status: 'open' }]);

    // The rest ships: gone from the list, the metric and the open warnings.
    const rest = await fulfil(so.id, 'MUG', 1, '1Z999AA10000000102');
    await waitFor(
      () => late(6),
      (rows) => !rows.some((r) => r.orderId === soon),
    );
    const shipped = await w.demo.rt.stores.db
      .selectFrom('order_sync')
      .select('shipped_at')
      .where('order_id', '=', soon)
      .executeTakeFirstOrThrow();
    expect(shipped.shipped_at).not.toBeNull();
    await waitFor(
      () => metric('due_soon'),
      (n) => n === 0,
    );
    const [resolved] = await waitFor(
      () => warnings(soon),
      (l) => l[0]?.status === 'resolved',
    );
    expect(resolved).toMatchObject({ id: warning!.id, occurrences: 1 });
    expect(resolved!.resolution).toMatch(/^shipped|no longer waiting for shipment: the order is IN_TRANSIT/);
    expect(await metric('overdue')).toBe(1);
    expect((await warnings(overdue))[0]).toMatchObject({ status: 'open' });
    expect((await warnings(overdue))[0]!.message).toMatch(
      /is past TikTok's ship-by time .* TikTok counts it as late/,
    );

    // `fulfillment sync --ids` starts a manual run of the flow for that fulfillment.
    const sync = await cli(['fulfillment', 'sync', '--ids', rest, '--json']);
    expect(sync.code, sync.stderr).toBe(0);
    const run = JSON.parse(sync.stdout) as { id: string; flowId: string; trigger: string };
    expect(run).toMatchObject({ flowId: 'fulfillment.tracking', trigger: 'manual' });
    const done = await waitFor(
      () => w.demo.rt.stores.runs.get(run.id),
      (r) => r?.status !== 'running',
    );
    expect(done).toMatchObject({ status: 'succeeded', received: 1, failed: 0 });
  });

  it('refuses a bad window with the parameter named', async () => {
    const res = await fetch(`${w.demo.url}/api/fulfillment/late?hours=soon`, {
      headers: { authorization: `Bearer ${w.demo.adminToken}` },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/hours/);
    const r = await cli(['fulfillment', 'late', '--hours', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--hours must be a number between 0 and 720/);
  });
});
