/**
 * `npm run bench:inventory`: the stock push on this machine (embedded PGlite unless DATABASE_URL).
 *  1. full sync: a 50,000-SKU catalog (1,000 TikTok products x 50 SKUs) listed at 0 on TikTok,
 *     stock in NetSuite: SKUs pushed per second until TikTok shows every SKU's number;
 *  2. live: 1 % of the SKUs change in NetSuite per minute (receipts and other-channel sales at a
 *     steady rate) while a flash deal runs on a few scarce SKUs: NetSuite change -> TikTok stock
 *     latency p50/p95/p99 (target p99 < 30 s with the default 15 s polling), the read -> write window
 *     of the pushes (the residual race, ADR 6) and the flash deal's oversold units (must be 0).
 * Env: BENCH_SKUS (default 50000), BENCH_LIVE_SECONDS (default 90), INVENTORY_POLL_SECONDS (15).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pairKey } from '../src/connectors/netsuite/sandbox/store.ts';
import type { PushMeasure } from '../src/flows/inventory/index.ts';
import { admin, seedItem, startDemoEnv } from '../src/main/demo/demo-env.ts';
import { percentile } from '../src/main/demo/demo-summary.ts';
import { ordersInsideWriteWindows, playScarceEvent, seedScarceSku } from '../src/main/demo/scarce-event.ts';
import { silentLogger } from '../src/shared/log.ts';

const SKUS = Number(process.env.BENCH_SKUS ?? 50_000);
const PER_PRODUCT = 50;
const LIVE_SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 90);
const POLL = Number(process.env.INVENTORY_POLL_SECONDS ?? 15);
const sku = (i: number) => `B-${String(i).padStart(6, '0')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stderr.write(`bench:inventory: ${line}\n`);

const home = mkdtempSync(join(tmpdir(), 'tiksuite-bench-inventory-'));
const pushes: PushMeasure[] = [];
const env = await startDemoEnv({
  env: { ...process.env, TIKSUITE_HOME: home, LOG_LEVEL: 'silent' },
  log: silentLogger(),
  speed: 0,
  inventory: { pollIntervalSeconds: POLL },
  onStockPush: (m) => pushes.push(m),
  config: { queue: { pollingIntervalSeconds: 0.5 } },
});
// NetSuite would run the full-resync query once per 1,000-row page; the emulator would take minutes to
// re-run it 50 times over 50,000 items, so its pages are cut from one result (a load-test setting).
await admin(env.netsuite.url, 'PATCH', '/settings', { behaviour: { suiteqlPageSnapshotSeconds: 300 } });
const us = env.shops.find((s) => s.region === 'US')!;
const ctx = env.tiktok.ctx;
const listed = (name: string) => {
  const s = ctx.state.skuBySellerSku.get(ctx.state.skuKey(us.id, name));
  return s ? [...s.stock.values()].reduce((a, q) => a + q, 0) : -1;
};
const store = env.netsuite.state.engine.store;
const itemIds = new Map<string, string>();
/** NetSuite available per SKU, all locations (one pass over the stock levels). */
const availableAll = () => {
  const byItem = new Map<string, number>();
  for (const l of store.stock.values())
    byItem.set(l.item, (byItem.get(l.item) ?? 0) + l.onHand - l.committed);
  return (name: string) => byItem.get(itemIds.get(name) ?? '') ?? 0;
};
/** NetSuite available for one SKU: its levels at each location, looked up (the load loop calls it). */
const available = (name: string) => {
  let sum = 0;
  for (const loc of store.ofType('location')) {
    const l = store.stock.get(pairKey(itemIds.get(name) ?? '', loc.id));
    if (l) sum += l.onHand - l.committed;
  }
  return sum;
};

try {
  // --- seed ---
  const t0 = performance.now();
  const start = (i: number) => 1 + ((i * 7919) % 200);
  const austin = [...store.ofType('location')].find((l) => l.body.name === 'Austin DC')!.id;
  // The TikTok listings exist first (the catalog flow's job), then NetSuite stock appears.
  const products = Math.ceil(SKUS / PER_PRODUCT);
  for (let p = 0; p < products; p += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, products - p) }, (_, k) =>
        admin(env.tiktok.url, 'POST', '/products', {
          shop_id: us.id,
          title: `Bench ${p + k}`,
          skus: Array.from({ length: Math.min(PER_PRODUCT, SKUS - (p + k) * PER_PRODUCT) }, (_, j) => ({
            seller_sku: sku((p + k) * PER_PRODUCT + j),
            price: '5.00',
            quantity: 0,
          })),
        }),
      ),
    );
  }
  for (let i = 0; i < SKUS; i += 5000) {
    const n = Math.min(5000, SKUS - i);
    const names = Array.from({ length: n }, (_, k) => sku(i + k));
    // Items first, then their stock by internal id (a name lookup per row would scan every item).
    const made = await admin<{ ids: { items: string[] } }>(env.netsuite.url, 'POST', '/seed', {
      items: names.map((s) => seedItem(s, 5)),
    });
    await admin(env.netsuite.url, 'POST', '/seed', {
      stock: made.ids.items.map((id, k) => ({ item: id, location: austin, quantity: start(i + k) })),
    });
  }
  for (const rec of store.ofType('inventoryItem')) itemIds.set(String(rec.body.itemId), rec.id);
  const seededS = (performance.now() - t0) / 1000;
  say(`seeded ${SKUS} SKUs in ${Math.round(seededS)} s; waiting for TikTok to show every number`);

  // --- 1. full sync (the first poll sees every seeded item as changed) ---
  const t1 = performance.now();
  const all = Array.from({ length: SKUS }, (_, i) => sku(i));
  let lastSay = 0;
  for (;;) {
    const avail = availableAll();
    const left = all.filter((s) => listed(s) !== avail(s)).length;
    if (left === 0) break;
    if (performance.now() - lastSay > 10_000) {
      lastSay = performance.now();
      say(`${left} SKUs still to push`);
    }
    if (performance.now() - t1 > 20 * 60_000) throw new Error('full sync did not converge in 20 minutes');
    await sleep(500);
  }
  const fullS = (performance.now() - t1) / 1000;
  const bench = pushes.filter((p) => p.skus.some((s) => s.startsWith('B-')));
  const pushedSkus = bench.reduce((a, p) => a + p.skus.length, 0);
  const span = bench.length ? (bench.at(-1)!.at - bench[0]!.at) / 1000 : 0;
  console.log(
    JSON.stringify({
      scenario: 'full-sync',
      skus: SKUS,
      products,
      seedSeconds: Math.round(seededS * 10) / 10,
      convergedSeconds: Math.round(fullS * 10) / 10,
      skusPushed: pushedSkus,
      skusPerSecondWhilePushing: span ? Math.round(pushedSkus / span) : null,
      skusPerSecondEndToEnd: Math.round(SKUS / fullS),
    }),
  );

  // --- 2. live: 1 %/minute of the catalog changes while a flash deal runs ---
  const before = pushes.length;
  const perSecond = (SKUS * 0.01) / 60;
  const pending = new Map<string, { at: number; want: number }>();
  const latencies: number[] = [];
  let changes = 0;
  let stopped = false;
  const watcher = (async () => {
    while (!stopped || pending.size) {
      for (const [name, p] of pending) {
        if (listed(name) === p.want) {
          latencies.push(performance.now() - p.at);
          pending.delete(name);
        }
      }
      await sleep(100);
      if (stopped && pending.size && latencies.length + pending.size === changes) {
        // Wait at most 60 s after the end for the stragglers.
        const end = performance.now() + 60_000;
        while (pending.size && performance.now() < end) {
          for (const [name, p] of pending)
            if (listed(name) === p.want) {
              latencies.push(performance.now() - p.at);
              pending.delete(name);
            }
          await sleep(100);
        }
        break;
      }
    }
  })();
  const flash = (async () => {
    const names = ['FLASH-1', 'FLASH-2', 'FLASH-3'];
    for (const n of names) await seedScarceSku(env, n, 5);
    await sleep(POLL * 1000 * 2);
    const ticker = setInterval(() => env.tiktok.advance(3601), 2000);
    const r = await Promise.all(
      names.map((n, i) =>
        playScarceEvent(env, n, {
          seed: i + 1,
          stock: 5,
          buyers: 4,
          eventMs: LIVE_SECONDS * 500,
          restock: 3,
        }),
      ),
    );
    clearInterval(ticker);
    return r;
  })();
  const liveEnd = performance.now() + LIVE_SECONDS * 1000;
  let i = 0;
  while (performance.now() < liveEnd) {
    const tickStart = performance.now();
    const n = Math.max(1, Math.round(perSecond));
    for (let k = 0; k < n; k++) {
      const name = sku((i++ * 104_729) % SKUS);
      if (pending.has(name)) continue;
      const delta = i % 3 === 0 ? -1 : 2;
      if (available(name) + delta < 0) continue;
      const at = performance.now();
      await admin(env.netsuite.url, 'POST', '/receive', {
        sku: `SKU-${name}`,
        location: 'LOC-AUS',
        quantity: delta,
      });
      pending.set(name, { at, want: available(name) });
      changes++;
    }
    await sleep(Math.max(0, 1000 - (performance.now() - tickStart)));
  }
  stopped = true;
  const flashResults = await flash;
  await watcher;
  const live = pushes.slice(before);
  const windows = live.filter((p) => !p.fenced).map((p) => p.readToWriteMs);
  const soldOut = live.filter((p) => p.fenced && p.soldOutMs > 0).map((p) => p.soldOutMs);
  console.log(
    JSON.stringify({
      scenario: 'live',
      pollIntervalSeconds: POLL,
      seconds: LIVE_SECONDS,
      changes,
      propagated: latencies.length,
      notPropagated: pending.size,
      changeToTikTokMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        max: percentile(latencies, 100),
      },
      pushes: live.length,
      fencedPushes: live.filter((p) => p.fenced).length,
      // Fenced writes (ADR 7): how long the SKUs showed 0 while the fence was up.
      soldOutMs: {
        p50: percentile(soldOut, 50),
        p99: percentile(soldOut, 99),
        max: percentile(soldOut, 100),
      },
      // Unfenced writes: the window in which a TikTok sale could be overwritten.
      readToWriteMs: {
        p50: percentile(windows, 50),
        p99: percentile(windows, 99),
        max: percentile(windows, 100),
      },
      flashDeal: flashResults.map((r) => ({
        sku: r.sku,
        attempts: r.attempts,
        soldOnTikTok: r.soldOnTikTok,
        soldElsewhere: r.soldElsewhere,
        onHand: r.onHand,
        oversold: r.oversold,
        ordersInsideWriteWindows: ordersInsideWriteWindows(r, pushes),
      })),
    }),
  );
} finally {
  await env.close();
  rmSync(home, { recursive: true, force: true });
}
