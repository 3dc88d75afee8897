/**
 * `npm run bench:orders`: the order flow's figures on this machine (embedded PGlite).
 *  1. drain: a burst well above NetSuite's bound C/L (C = 15, L = 500 ms): peak sales orders/s as a
 *     share of C/L (target >= 0.95);
 *  2. below capacity: orders at a third of the bound: placed -> sales order p99, less the on-hold
 *     window (target < 10 s);
 *  3. webhooks: signed pushes at 500/s straight at the endpoint: answer p50/p99 (target p99 < 50 ms).
 * Prints one JSON object per scenario.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { signWebhook } from '../src/connectors/tiktok-shop/index.ts';
import { runDemo } from '../src/main/demo.ts';
import { startDemoEnv } from '../src/main/demo-env.ts';
import { percentile } from '../src/main/demo-summary.ts';
import { silentLogger } from '../src/shared/log.ts';

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

async function webhooks(perSec = 500, seconds = 5) {
  const home = mkdtempSync(join(tmpdir(), 'tiksuite-bench-orders-'));
  // DATABASE_URL (and TIKSUITE_SCHEMA) measure the endpoint on PostgreSQL instead of PGlite.
  const db = { DATABASE_URL: process.env.DATABASE_URL, TIKSUITE_SCHEMA: process.env.TIKSUITE_SCHEMA };
  const env = await startDemoEnv({
    env: { TIKSUITE_HOME: home, LOG_LEVEL: 'silent', ...db },
    log: silentLogger(),
  });
  const shop = env.shops[0]!;
  const times: number[] = [];
  let failed = 0;
  const sends: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < perSec * seconds; i++) {
    const wait = start + (i * 1000) / perSec - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = JSON.stringify({
      type: 1,
      tts_notification_id: `bench-${i}`,
      shop_id: shop.id,
      timestamp: Math.floor(Date.now() / 1000),
      data: {
        order_id: `9${String(i).padStart(17, '0')}`,
        order_status: 'AWAITING_SHIPMENT',
        update_time: Math.floor(Date.now() / 1000),
      },
    });
    const t0 = performance.now();
    sends.push(
      fetch(`${env.url}/webhooks/tiktok`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: signWebhook(env.tiktok.appKey, env.tiktok.appSecret, body),
        },
        body,
      }).then(async (r) => {
        await r.arrayBuffer();
        if (r.status === 200) times.push(performance.now() - t0);
        else failed++;
      }),
    );
  }
  await Promise.all(sends);
  const achieved = Math.round((times.length / ((performance.now() - start) / 1000)) * 10) / 10;
  await env.close();
  rmSync(home, { recursive: true, force: true });
  return {
    scenario: 'webhooks',
    database: db.DATABASE_URL ? 'postgresql' : 'pglite',
    target: perSec,
    achievedPerSec: achieved,
    answered: times.length,
    failed,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
  };
}

// `npm run bench:orders -- webhooks` runs one scenario (drain, belowCapacity, webhooks).
const only = process.argv[2];
for (const run of [drain, belowCapacity, webhooks])
  if (!only || run.name === only) process.stdout.write(`${JSON.stringify(await run())}\n`);
process.exit(0);
