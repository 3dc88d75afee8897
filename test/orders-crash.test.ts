/**
 * Issue 5 "Prove it", the crash run: a 1,000-order live event while the service is killed with
 * SIGKILL three times and restarted. The sandboxes run in their own process (`tiksuite sandbox`)
 * and outlive every kill; the verdict comes from their own state: every TikTok order has exactly
 * one NetSuite sales order, with the amount the buyer paid less the facilitator tax, to the cent.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { salesOrderExternalId } from '../src/flows/orders/index.ts';
import { admin, CATALOG, seedCatalog } from '../src/main/demo/demo-env.ts';
import { openRuntime } from '../src/main/runtime.ts';
import { silentLogger } from '../src/shared/log.ts';
import { parseMoney } from '../src/shared/money.ts';
import {
  crashServiceConfig,
  freePort,
  type SandboxShop,
  sandboxUrls,
  saveShopTokens,
} from './support/crash.ts';
import { type TestEnv, testEnv } from './support/env.ts';
import { type Started, serverUrl, startCli, waitFor } from './support/proc.ts';

const ORDERS = 1000;
const RATE = 60; // orders per second placed by the buyers
const KILL_AT = [200, 450, 700]; // placed orders at which the service is killed

let env: TestEnv | undefined;
const started: Started[] = [];
afterEach(async () => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.all(started.map((p) => p.done));
  started.length = 0;
  await env?.cleanup();
  env = undefined;
});

interface RenderedOrder {
  payment: { currency: string; total_amount: string; tax?: string; retail_delivery_fee?: string };
}

it('the service killed with SIGKILL three times during a 1,000-order event: every order exactly once, amounts to the cent', async () => {
  env = testEnv('orders-crash');
  const home = env.home;
  const sandbox = startCli(['sandbox', '--tiktok-port', '0', '--netsuite-port', '0'], {
    env: env.childEnv,
    cwd: home,
    timeoutMs: 600_000, // outlives the whole test (afterEach kills it)
  });
  started.push(sandbox);
  const urls = await sandboxUrls(sandbox);
  const tt = (m: string, p: string, b?: unknown) => admin(urls.tiktok, m, p, b);
  const creds = (await tt('GET', '/credentials')) as {
    app_key: string;
    app_secret: string;
    shops: SandboxShop[];
  };
  const ns = await admin<Record<string, string>>(urls.netsuite, 'GET', '/credentials');
  // A 2-second hold instead of an hour; webhooks refused while the service is down are re-sent soon.
  await tt('PUT', '/settings', {
    business: { onHoldSeconds: 2 },
    webhooks: { retryScheduleMs: [500, 1000, 2000, 4000, 8000, 15_000, 30_000] },
  });
  await tt('PUT', '/faults', { rateLimit: null });
  await seedCatalog(urls.tiktok, urls.netsuite, creds.shops);

  await saveShopTokens(env, creds.shops);
  writeFileSync(
    join(home, 'tiksuite.yaml'),
    JSON.stringify(
      crashServiceConfig({
        tiktokUrl: urls.tiktok,
        netsuiteUrl: urls.netsuite,
        tt: creds,
        ns,
        shops: creds.shops,
      }),
    ),
  );
  const port = await freePort();
  await tt('POST', '/webhooks', { address: `http://127.0.0.1:${port}/webhooks/tiktok` });

  const startService = async () => {
    const p = startCli(['serve', '--port', String(port)], {
      env: env!.childEnv,
      cwd: home,
      timeoutMs: 600_000, // outlives the whole test (afterEach kills it)
    });
    started.push(p);
    await serverUrl(home, p);
    return p;
  };
  const salesOrderCount = async () =>
    (await admin<{ counts: Record<string, number> }>(urls.netsuite, 'GET', '/state')).counts.salesOrder ?? 0;

  let service = await startService();
  const t0 = Date.now();
  const placed: Array<{ orderId: string; shopId: string }> = [];
  const event = placeOrders(urls.tiktok, creds.shops, placed);
  const kills: Array<{ placed: number; salesOrders: number }> = [];
  for (const at of KILL_AT) {
    // Kill mid-write: the orders are flowing and this process has already written sales orders.
    const before = kills.at(-1)?.salesOrders ?? 0;
    const soNow = await waitFor(
      async () => (placed.length >= at ? await salesOrderCount() : -1),
      (n) => n >= before + 50,
      undefined,
      20,
    );
    kills.push({ placed: placed.length, salesOrders: soNow });
    service.child.kill('SIGKILL');
    expect((await service.done).signal).toBe('SIGKILL');
    service = await startService();
  }
  await event;
  expect(placed).toHaveLength(ORDERS);
  // Each kill hit a service with work in hand (orders placed but not yet in NetSuite).
  for (const k of kills) expect(k.salesOrders).toBeLessThan(k.placed);
  expect(kills.at(-1)!.salesOrders).toBeLessThan(ORDERS - 100);

  try {
    await waitFor(salesOrderCount, (n) => n >= ORDERS, undefined, 250);
  } catch (err) {
    service.child.kill('SIGKILL');
    await service.done;
    await diagnose(env, urls.netsuite, placed);
    throw err;
  }
  service.child.kill('SIGTERM');
  expect((await service.done).code).toBe(0);
  const elapsed = Date.now() - t0;
  // Stragglers (a late duplicate) show up before counting: with the service gone, nothing can write
  // once the sandbox has no request left in flight.
  await waitFor(
    () => admin<{ in_flight: number }>(urls.netsuite, 'GET', '/stats'),
    (st) => st.in_flight === 0,
    undefined,
    50,
  );

  // The verdict from the sandboxes' own state.
  expect(await salesOrderCount()).toBe(ORDERS);
  const mismatches: string[] = [];
  const seen = new Set<string>();
  for (const p of placed) {
    const so = await admin<{ id: string; total: number | string }>(
      urls.netsuite,
      'GET',
      `/records/salesOrder/eid:${salesOrderExternalId(p.shopId, p.orderId)}`,
    );
    seen.add(so.id);
    const order = await admin<RenderedOrder>(urls.tiktok, 'GET', `/orders/${p.orderId}`);
    const c = order.payment.currency;
    const m = (v: string | number | undefined) => parseMoney(String(v ?? '0'), c).minor;
    const expected =
      m(order.payment.total_amount) - m(order.payment.tax) - m(order.payment.retail_delivery_fee);
    if (m(so.total) !== expected) mismatches.push(`${p.orderId}: expected ${expected}, got ${so.total}`);
  }
  // 1,000 distinct sales orders, one per TikTok order, and no other sales order exists.
  expect(seen.size).toBe(ORDERS);
  expect(mismatches).toEqual([]);
  console.info(`crash run: ${ORDERS} orders, ${KILL_AT.length} SIGKILLs, drained in ${elapsed} ms`, kills);

  sandbox.child.kill('SIGTERM');
  await sandbox.done;
}, 600_000);

/** Buyers place the orders at RATE per second over both shops (a seeded mix of SKUs and quantities). */
async function placeOrders(
  tiktokUrl: string,
  shops: SandboxShop[],
  placed: Array<{ orderId: string; shopId: string }>,
): Promise<void> {
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < ORDERS; i++) {
    const wait = start + (i * 1000) / RATE - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const shop = shops[i % shops.length]!;
    const skus = CATALOG.filter((c) => c.region === (shop.region === 'GB' ? 'GB' : 'US'));
    const body = {
      shop_id: shop.id,
      lines: skus
        .slice(0, 1 + (i % skus.length))
        .map((c, k) => ({ seller_sku: c.sku, quantity: 1 + ((i + k) % 2) })),
      shipping_fee: ['0.00', '4.99', '6.50'][i % 3],
      ...(i % 5 === 0 ? { seller_discount: '1.00', platform_discount: '0.50' } : {}),
    };
    const p = admin<{ order_id: string }>(tiktokUrl, 'POST', '/orders', body)
      .then((r) => {
        placed.push({ orderId: r.order_id, shopId: shop.id });
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= 32) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

async function diagnose(
  env: TestEnv,
  netsuiteUrl: string,
  placed: Array<{ orderId: string; shopId: string }>,
) {
  const missing: string[] = [];
  for (const p of placed) {
    const res = await fetch(
      `${netsuiteUrl}/_sandbox/records/salesOrder/eid:${salesOrderExternalId(p.shopId, p.orderId)}`,
    );
    if (!res.ok) missing.push(p.orderId);
  }
  const rt = await openRuntime(env.config(), { log: silentLogger(), flows: [], schedule: false });
  try {
    const db = rt.stores.db;
    const sync = await db.selectFrom('order_sync').selectAll().where('order_id', 'in', missing).execute();
    const hooks = await db
      .selectFrom('tiktok_webhooks')
      .selectAll()
      .where('order_id', 'in', missing)
      .execute();
    const outcomes = await db
      .selectFrom('record_outcomes')
      .selectAll()
      .where('record_key', 'like', '%order%')
      .execute();
    const errors = await db.selectFrom('errors').selectAll().execute();
    const runs = await rt.stores.runs.list({ limit: 100 });
    console.error(
      JSON.stringify(
        {
          missing,
          sync,
          hooks,
          outcomes: outcomes.filter((o) => missing.some((m) => o.record_key.endsWith(m))),
          errors,
          runs,
        },
        null,
        1,
      ),
    );
  } finally {
    await rt.close({ graceMs: 0 });
  }
}
