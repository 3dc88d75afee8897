/**
 * `npm run bench:orders`: the order flow's figures on this machine (embedded PGlite).
 *  1. drain: a burst well above NetSuite's bound C/L (C = 15, L = 500 ms): peak sales orders/s as a
 *     share of C/L (target >= 0.95);
 *  2. below capacity: orders at a third of the bound: placed -> sales order p99, less the on-hold
 *     window (target < 10 s);
 *  3. webhooks: signed pushes for real orders at 500/s from a worker thread (keep-alive pool) while the
 *     service works them: answer p50/p99 after a one-second warm-up (target p99 < 50 ms).
 * Prints one JSON object per scenario.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { runDemo } from '../src/main/demo/demo.ts';
import { admin, CATALOG, startDemoEnv } from '../src/main/demo/demo-env.ts';
import { percentile } from '../src/main/demo/demo-summary.ts';
import { silentLogger } from '../src/shared/log.ts';
import type { LoadInput, LoadResult } from './support/webhook-load.ts';

const C = 15;
const L = 500;
const sink = new Writable({ write: (_c, _e, cb) => cb() });
const base = {
  shops: 2,
  netsuiteConcurrency: C,
  netsuiteLatencyMs: L,
  tiktokPort: 0,
  netsuitePort: 0,
  port: 0,
};
const opts = { ...base, json: true, hold: false, holdSeconds: 2, stallSeconds: 30 };

async function drain() {
  const s = await runDemo({ ...opts, orders: 900, rate: 150 }, sink);
  return {
    scenario: 'drain',
    orders: s.ordersPlaced,
    missing: s.missing,
    duplicates: s.duplicates,
    throughput: s.throughput,
    netsuite: s.netsuite,
  };
}

async function belowCapacity() {
  const rate = Math.round(C / (L / 1000) / 3);
  const s = await runDemo({ ...opts, orders: 300, rate }, sink);
  const minusHold = (v: number | null) => (v === null ? null : Math.round(v - opts.holdSeconds * 1000));
  return {
    scenario: 'below-capacity',
    rate,
    orders: s.ordersPlaced,
    missing: s.missing,
    placedToSalesOrderMs: s.placedToSalesOrderMs,
    afterHoldMs: { p50: minusHold(s.placedToSalesOrderMs.p50), p99: minusHold(s.placedToSalesOrderMs.p99) },
    webhookAnswerMs: s.webhookAnswerMs,
  };
}

/**
 * Webhook answers under a live burst: real orders are placed first (pushes off), then a worker thread
 * (TikTok's side, off the service's event loop, with a keep-alive pool of 64 connections) pushes one
 * signed status change per order at `perSec`, while the service does its real work on them (intake
 * pump, order detail reads, import queue, NetSuite writes at C/L). The first second warms the
 * connections and the code paths and is left out of the percentiles (reported apart).
 */
async function webhooks(perSec = 500, seconds = 5, warmupSeconds = 1) {
  const home = mkdtempSync(join(tmpdir(), 'tiksuite-bench-orders-'));
  // DATABASE_URL (and TIKSUITE_SCHEMA) measure the endpoint on PostgreSQL instead of PGlite.
  const db = { DATABASE_URL: process.env.DATABASE_URL, TIKSUITE_SCHEMA: process.env.TIKSUITE_SCHEMA };
  const env = await startDemoEnv({
    env: { TIKSUITE_HOME: home, LOG_LEVEL: 'silent', ...db },
    log: silentLogger(),
    netsuiteConcurrency: C,
    netsuiteLatencyMs: L,
    subscribe: false,
  });
  const events: LoadInput['events'] = [];
  for (let i = 0; i < perSec * (warmupSeconds + seconds); i++) {
    const shop = env.shops[i % env.shops.length]!;
    const sku = CATALOG.find((c) => c.region === (shop.region === 'GB' ? 'GB' : 'US'))!;
    const res = await admin<{ order_id: string }>(env.tiktok.url, 'POST', '/orders', {
      shop_id: shop.id,
      lines: [{ seller_sku: sku.sku, quantity: 1 }],
      buyer: { user_id: `buyer-${i % 997}` },
    });
    events.push({ shopId: shop.id, orderId: res.order_id });
  }
  const input: LoadInput = {
    url: `${env.url}/webhooks/tiktok`,
    appKey: env.tiktok.appKey,
    appSecret: env.tiktok.appSecret,
    perSec,
    events,
  };
  const worker = new Worker(new URL('./support/webhook-load.ts', import.meta.url), { workerData: input });
  const result = await new Promise<LoadResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  const pending = await env.rt.stores.db
    .selectFrom('tiktok_webhooks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('processed_at', 'is', null)
    .executeTakeFirstOrThrow();
  await env.close();
  rmSync(home, { recursive: true, force: true });
  const warm = perSec * warmupSeconds;
  const measured = result.byIndex.slice(warm).filter((t) => !Number.isNaN(t));
  const warmup = result.byIndex.slice(0, warm).filter((t) => !Number.isNaN(t));
  return {
    scenario: 'webhooks',
    database: db.DATABASE_URL ? 'postgresql' : 'pglite',
    target: perSec,
    achievedPerSec: Math.round((result.times.length / result.seconds) * 10) / 10,
    answered: result.times.length,
    failed: result.failed,
    stillInInboxAtEnd: pending.n,
    p50: percentile(measured, 50),
    p99: percentile(measured, 99),
    max: Math.round(Math.max(...measured)),
    warmupP99: percentile(warmup, 99),
  };
}

// `npm run bench:orders -- webhooks` runs one scenario (drain, belowCapacity, webhooks).
const only = process.argv[2];
for (const run of [drain, belowCapacity, webhooks])
  if (!only || run.name === only) process.stdout.write(`${JSON.stringify(await run())}\n`);
process.exit(0);
