/**
 * `npm run bench:fulfillment`: NetSuite item fulfillments -> TikTok tracking on this machine
 * (embedded PGlite unless DATABASE_URL; both sandboxes and TikSuite in one process, the fulfillment
 * flow on its default 10 s polling, FULFILLMENT_POLL_SECONDS to change it).
 *
 * A live event: orders keep arriving (BENCH_ORDERS_PER_SEC, default 5/s, seller- and TikTok-shipped,
 * two shops) while the warehouse creates 1,000 item fulfillments in NetSuite (BENCH_FULFILLMENTS) at
 * BENCH_FULFILLMENTS_PER_SEC (default 10/s) through the REST API, on orders imported before (whole
 * and partial shipments). Figures:
 *  - NetSuite fulfillment created -> its tracking number on TikTok p50/p95/p99/max (target p99 < 60 s),
 *    read from the TikTok sandbox's state every 100 ms; for TikTok shipping also -> TikTok's number
 *    written back on the NetSuite fulfillment;
 *  - TikTok and NetSuite calls per fulfillment: the sandboxes' own counters over the fulfillment
 *    phase, less the warehouse's own calls (its client counts them) and less the order stream's calls
 *    (measured alone for BENCH_BASELINE_SECONDS just before, scaled to the phase's length). Calls the
 *    order flow makes because a shipment changed the order's TikTok status count as fulfillment's.
 * NetSuite runs with C = 15 and L = 250 ms (the demo's defaults).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoEnv } from '../src/main/demo/demo-env.ts';
import { percentile } from '../src/main/demo/demo-summary.ts';
import { drawOrder, placeDrawn, rng } from '../src/main/demo/lifecycle-event.ts';
import { waitForSalesOrders } from '../src/main/demo/lifecycle-week.ts';
import { TrackingWatch } from '../src/main/demo/tracking-watch.ts';
import {
  type CreatedFulfillment,
  carrierMapping,
  countingFetch,
  planShipments,
  type Shipment,
  shipMethodRefs,
  Warehouse,
  type WarehouseOrder,
  warehouseClient,
} from '../src/main/demo/warehouse.ts';
import { silentLogger } from '../src/shared/log.ts';

const FULFILLMENTS = Number(process.env.BENCH_FULFILLMENTS ?? 1000);
const PER_SEC = Number(process.env.BENCH_FULFILLMENTS_PER_SEC ?? 10);
const ORDERS_PER_SEC = Number(process.env.BENCH_ORDERS_PER_SEC ?? 5);
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? 20);
/** The flow's default poll interval (`fulfillment.pollIntervalSeconds`). */
const POLL = Number(process.env.FULFILLMENT_POLL_SECONDS ?? 10);
const C = 15;
const L = 250;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stderr.write(`bench:fulfillment: ${line}\n`);

const home = mkdtempSync(join(tmpdir(), 'tiksuite-bench-fulfillment-'));
const env = await startDemoEnv({
  env: { ...process.env, TIKSUITE_HOME: home, LOG_LEVEL: 'silent' },
  log: silentLogger(),
  netsuiteConcurrency: C,
  netsuiteLatencyMs: L,
  // The one-hour on-hold window takes 2 s, as in the live demo.
  speed: 1800,
  fulfillment: { carriers: carrierMapping(), pollIntervalSeconds: POLL },
});
const counted = countingFetch();
const warehouse = new Warehouse({
  netsuite: warehouseClient(env.config.netsuite!, counted.fetch),
  shipMethods: await shipMethodRefs(env),
});
const random = rng(2026);
const used = new Set<string>();
let placed = 0;

async function place(): Promise<WarehouseOrder & { shipments: Shipment[] }> {
  const drawn = drawOrder(env, random, placed++);
  const orderId = await placeDrawn(env, drawn, `buyer-${placed % 997}`);
  const order: WarehouseOrder = { orderId, ...drawn };
  return { ...order, shipments: planShipments(order, random, used) };
}

/** The sandboxes' call counters now. */
function counters() {
  const ns = env.netsuite.state.governance.stats();
  return {
    tiktok: env.tiktok.ctx.state.requestSeq,
    netsuite: ns.requests,
    byKind: ns.by_type,
    warehouse: counted.count(),
    at: performance.now(),
  };
}
type Counters = ReturnType<typeof counters>;
const delta = (a: Counters, b: Counters) => ({
  tiktok: b.tiktok - a.tiktok,
  netsuite: b.netsuite - a.netsuite - (b.warehouse - a.warehouse),
  seconds: (b.at - a.at) / 1000,
  byKind: Object.fromEntries(
    Object.entries(b.byKind)
      .map(([k, v]) => [k, v - (a.byKind[k] ?? 0)])
      .filter(([, v]) => Number(v) > 0),
  ),
});

try {
  // --- the event's orders so far, imported ---
  const t0 = performance.now();
  const stock: Array<[WarehouseOrder, Shipment]> = [];
  const orders: WarehouseOrder[] = [];
  while (stock.length < FULFILLMENTS) {
    const o = await place();
    orders.push(o);
    for (const s of o.shipments) if (stock.length < FULFILLMENTS) stock.push([o, s]);
  }
  say(`${orders.length} orders placed for ${stock.length} fulfillments; waiting for their sales orders`);
  if (!(await waitForSalesOrders(env, orders, 120_000))) throw new Error('the orders did not all import');
  say(`imported in ${Math.round((performance.now() - t0) / 1000)} s`);

  // --- the live order stream, alone first (the baseline of its calls) ---
  let streaming = true;
  const stream = (async () => {
    const live: WarehouseOrder[] = [];
    while (streaming) {
      const t = performance.now();
      live.push(await place());
      await sleep(Math.max(0, 1000 / ORDERS_PER_SEC - (performance.now() - t)));
    }
    return live;
  })();
  await sleep(2000);
  const b0 = counters();
  await sleep(BASELINE_SECONDS * 1000);
  const baseline = delta(b0, counters());
  say(
    `order stream alone: ${baseline.tiktok} TikTok and ${baseline.netsuite} NetSuite calls in ${Math.round(baseline.seconds)} s`,
  );

  // --- 1,000 fulfillments at PER_SEC while the stream goes on ---
  const watch = new TrackingWatch(env);
  const created: CreatedFulfillment[] = [];
  const failures: string[] = [];
  const f0 = counters();
  const byOrder = Map.groupBy(stock, ([o]) => o);
  const start = performance.now();
  let due = 0;
  const inFlight = new Set<Promise<void>>();
  for (const [order, list] of byOrder) {
    const wait = start + due - performance.now();
    if (wait > 0) await sleep(wait);
    due += (1000 / PER_SEC) * list.length;
    const p = (async () => {
      for (const [, s] of list) {
        try {
          const f = await warehouse.ship(order, s);
          created.push(f);
          watch.add(f);
        } catch (err) {
          failures.push(String(err));
          return;
        }
      }
    })().finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= 32) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const createdSeconds = (performance.now() - start) / 1000;
  say(`${created.length} fulfillments created in ${Math.round(createdSeconds)} s; waiting for TikTok`);
  let last = watch.pending;
  let lastChange = performance.now();
  while (watch.pending > 0 && performance.now() - lastChange < 60_000) {
    await sleep(500);
    if (watch.pending !== last) {
      last = watch.pending;
      lastChange = performance.now();
    }
  }
  const phase = delta(f0, counters());
  watch.stop();
  streaming = false;
  const live = await stream;
  const scaled = (v: number) => Math.round((v * phase.seconds) / Math.max(1, baseline.seconds));
  const tiktokCalls = phase.tiktok - scaled(baseline.tiktok);
  const netsuiteCalls = phase.netsuite - scaled(baseline.netsuite);
  const per = (v: number) => Math.round((v / Math.max(1, created.length)) * 100) / 100;
  const ms = (xs: number[]) => ({
    count: xs.length,
    p50: percentile(xs, 50),
    p95: percentile(xs, 95),
    p99: percentile(xs, 99),
    max: percentile(xs, 100),
  });
  console.log(
    JSON.stringify({
      scenario: 'live',
      database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
      pollIntervalSeconds: POLL,
      netsuite: { concurrency: C, latencyMs: L },
      fulfillments: created.length,
      sellerShipped: created.filter((f) => f.order.shipping === 'SELLER').length,
      tiktokShipped: created.filter((f) => f.order.shipping === 'TIKTOK').length,
      partial: created.filter((f) => (byOrder.get(f.order)?.length ?? 0) > 1).length,
      createdPerSec: Math.round((created.length / createdSeconds) * 10) / 10,
      liveOrdersDuring: live.length,
      notOnTikTok: watch.pendingOf('shipped').length,
      toTikTokMs: ms(watch.toTikTokMs),
      writtenBackMs: ms(watch.writtenBackMs),
      calls: {
        tiktokPerFulfillment: per(tiktokCalls),
        netsuitePerFulfillment: per(netsuiteCalls),
        phase: {
          seconds: Math.round(phase.seconds),
          tiktok: phase.tiktok,
          netsuite: phase.netsuite,
          netsuiteByKind: phase.byKind,
        },
        orderStreamBaseline: {
          seconds: Math.round(baseline.seconds),
          tiktok: baseline.tiktok,
          netsuite: baseline.netsuite,
        },
        warehouseCalls: counted.count() - f0.warehouse,
      },
      errorsByClass: await env.rt.stores.errors.countsByClass(),
      warehouseFailures: failures.slice(0, 3),
    }),
  );
} finally {
  await env.close();
  rmSync(home, { recursive: true, force: true });
}
process.exit(0);
