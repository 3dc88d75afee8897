/**
 * Issue 12 "Prove it": a SIGKILL between TikTok's answer and the checkpoint ships nothing twice.
 * A few hundred seller-shipped orders are imported into NetSuite, then the warehouse fulfils them
 * through the NetSuite Record API (some in two partial fulfillments) while the service
 * (`tiksuite serve`, its own process) is killed with SIGKILL three times and restarted. TikTok
 * answers slowly, so every kill lands on ship calls in flight: TikTok creates those packages after
 * their caller is gone. The sandboxes run in a process of their own (`tiksuite sandbox`) and
 * outlive every kill; the verdict comes from their own state: every fulfillment's tracking number
 * is on exactly one shipped TikTok package holding exactly the units it shipped, and no other.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { NetSuiteClient } from '../src/connectors/netsuite/index.ts';
import { createTikTokShopClient, MemoryTokenStore, tokensOf } from '../src/connectors/tiktok-shop/index.ts';
import { salesOrderExternalId } from '../src/flows/orders/index.ts';
import { admin, CATALOG, DEMO_FULFILLMENT, seedCatalog } from '../src/main/demo/demo-env.ts';
import { openRuntime } from '../src/main/runtime.ts';
import { silentLogger } from '../src/shared/log.ts';
import {
  crashServiceConfig,
  freePort,
  type SandboxShop,
  sandboxUrls,
  saveShopTokens,
} from './support/crash.ts';
import { type TestEnv, testEnv } from './support/env.ts';
import { adminHeaders, type Started, serverUrl, startCli, waitFor } from './support/proc.ts';
import { type ShipTap, startShipTap } from './support/ship-tap.ts';

const ORDERS = 240;
/** The warehouse works in waves; the service is killed during the first three. */
const WAVES = 4;
/** Ship calls of the running service in flight when it is killed. */
const IN_FLIGHT_AT_KILL = 4;
const SHIP_METHODS = ['SHIP-UPS-GROUND', 'SHIP-USPS-PRIORITY', 'SHIP-FEDEX-HOME'];
const SKUS = new Set(CATALOG.map((c) => c.sku));

let env: TestEnv | undefined;
let tap: ShipTap | undefined;
const started: Started[] = [];
afterEach(async () => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.all(started.map((p) => p.done));
  started.length = 0;
  await tap?.close();
  tap = undefined;
  await env?.cleanup();
  env = undefined;
});

interface Placed {
  orderId: string;
  shopId: string;
}

/** One fulfillment the warehouse made: its tracking number and the units it shipped per SKU. */
interface Shipment {
  orderId: string;
  shopId: string;
  fulfillmentId: string;
  tracking: string;
  units: Record<string, number>;
}

it('SIGKILL three times while ship calls are in flight: every NetSuite fulfillment is exactly one TikTok package', async () => {
  env = testEnv('fulfil-crash');
  const home = env.home;
  const sandbox = startCli(['sandbox', '--tiktok-port', '0', '--netsuite-port', '0'], {
    env: env.childEnv,
    cwd: home,
    timeoutMs: 600_000, // outlives the whole test (afterEach kills it)
  });
  started.push(sandbox);
  const urls = await sandboxUrls(sandbox);
  const tt = <T = Record<string, unknown>>(m: string, p: string, b?: unknown) =>
    admin<T>(urls.tiktok, m, p, b);
  const creds = await tt<{ app_key: string; app_secret: string; shops: SandboxShop[] }>(
    'GET',
    '/credentials',
  );
  const nsCreds = await admin<Record<string, string>>(urls.netsuite, 'GET', '/credentials');
  await tt('PUT', '/settings', {
    business: { onHoldSeconds: 2 },
    webhooks: { retryScheduleMs: [500, 1000, 2000, 4000, 8000, 15_000] },
  });
  await tt('PUT', '/faults', { rateLimit: null });
  await seedCatalog(urls.tiktok, urls.netsuite, creds.shops);

  await saveShopTokens(env, creds.shops);
  // TikSuite reaches TikTok through the tap, which only watches the ship calls go by.
  tap = await startShipTap(urls.tiktok);
  writeFileSync(
    join(home, 'tiksuite.yaml'),
    JSON.stringify(
      crashServiceConfig({
        tiktokUrl: tap.url,
        netsuiteUrl: urls.netsuite,
        tt: creds,
        ns: nsCreds,
        shops: creds.shops,
        // Until a killed step's job comes back (one missed heartbeat) the order's lease stays with it,
        // so the order import and sibling fulfillments retry for longer than that, as with the
        // defaults (75 s of retries against a 30 s heartbeat).
        queue: { retryLimit: 7 },
        // The warehouse's own client takes a few of the sandbox's 15 slots.
        netsuiteConcurrency: 11,
        extra: { fulfillment: { ...DEMO_FULFILLMENT, pollIntervalSeconds: 0.5, overlapSeconds: 5 } },
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
    return { ...p, url: await serverUrl(home, p) };
  };
  /** Fulfillment records TikSuite has settled (succeeded or failed for good), by its own runs. */
  const settled = async (url: string) => {
    const res = await fetch(`${url}/api/runs?flow=fulfillment.tracking&limit=500`, {
      headers: adminHeaders(home),
    });
    const { runs } = (await res.json()) as { runs: Array<{ succeeded: number; failed: number }> };
    return runs.reduce((n, r) => n + r.succeeded + r.failed, 0);
  };
  const counts = async (url: string) =>
    (await admin<{ counts: Record<string, number> }>(url, 'GET', '/state')).counts;

  // 1. The orders, imported into NetSuite before the warehouse starts.
  let service = await startService();
  const placed = await placeOrders(urls.tiktok, creds.shops);
  await waitFor(
    async () => (await counts(urls.netsuite)).salesOrder ?? 0,
    (n) => n >= ORDERS,
    undefined,
    250,
  );

  // 2. The warehouse fulfils them in waves while TikTok answers slowly; each of the first three
  // waves ends with a SIGKILL while ship calls of the running service are in flight.
  const ns = warehouseClient(urls.netsuite, nsCreds);
  await tt('PUT', '/faults', { latencyMs: { min: 300, max: 1500 } });
  const t0 = Date.now();
  const shipments: Shipment[] = [];
  const kills: Array<{ upSince: number; at: number; inFlight: number; packages: number }> = [];
  let upSince = Date.now();
  for (let wave = 0; wave < WAVES; wave++) {
    const warehouse = fulfil(ns, placed, wave, shipments);
    if (wave === WAVES - 1) {
      await warehouse;
      break;
    }
    const inFlight = await waitFor(
      async () => tap!.inFlight(upSince),
      (n) => n >= IN_FLIGHT_AT_KILL,
      undefined,
      10,
    );
    const at = Date.now();
    service.child.kill('SIGKILL');
    expect((await service.done).signal).toBe('SIGKILL');
    kills.push({ upSince, at, inFlight, packages: (await counts(urls.tiktok)).packages ?? 0 });
    await warehouse;
    service = await startService();
    upSince = Date.now();
  }

  // 3. Everything ships and TikSuite has settled every record; then the service stops and nothing
  // is left in flight.
  try {
    await waitFor(
      async () => [(await counts(urls.tiktok)).packages ?? 0, await settled(service.url)],
      ([packages, records]) => packages! >= shipments.length && records! >= shipments.length,
      undefined,
      250,
    );
  } catch (err) {
    service.child.kill('SIGKILL');
    await service.done;
    await diagnose(env, shipments);
    throw err;
  }
  const elapsed = Date.now() - t0;
  service.child.kill('SIGTERM');
  expect((await service.done).code).toBe(0);
  await waitFor(
    async () => tap!.inFlight(),
    (n) => n === 0,
    undefined,
    50,
  );
  await tt('PUT', '/faults', { latencyMs: { min: 0, max: 0 } });

  // The verdict from the sandboxes' own state.
  expect(await verdict(urls, creds, ns, placed, shipments)).toEqual([]);
  expect((await counts(urls.tiktok)).packages).toBe(shipments.length);

  // Each kill landed between TikTok's answer and TikSuite's checkpoint: ship calls the dead process
  // had sent were accepted by TikTok after it died (answers never heard), and those fulfillments
  // are still on exactly one package each (above). Every accepted ship call made a package of its
  // own: calls beyond the packages can only be refusals, which made none.
  const calls = tap.calls;
  const unheard = kills.map(
    (k) =>
      calls.filter((c) => c.unheard && c.code === 0 && c.startedAt >= k.upSince && c.startedAt < k.at).length,
  );
  for (const n of unheard) expect(n).toBeGreaterThanOrEqual(1);
  const accepted = calls.filter((c) => c.code === 0).length;
  expect(accepted).toBe(shipments.length);
  const books = await serviceBooks(env, shipments);
  expect(books.problems).toEqual([]);
  console.info(
    `fulfillment crash run: ${shipments.length} fulfillments of ${ORDERS} orders, ${kills.length} SIGKILLs, shipped in ${elapsed} ms; ship calls ${calls.length}: ${accepted} accepted (${unheard.join('+')} after their caller was killed), ${calls.length - accepted} refused`,
    kills.map((k) => ({ inFlight: k.inFlight, packages: k.packages })),
  );

  sandbox.child.kill('SIGTERM');
  await sandbox.done;
}, 600_000);

/** Buyers place the orders over both shops: one to four SKUs, one or two units each, some discounted. */
async function placeOrders(tiktokUrl: string, shops: SandboxShop[]): Promise<Placed[]> {
  const placed = new Array<Placed>(ORDERS);
  let next = 0;
  const buyer = async () => {
    for (let i = next++; i < ORDERS; i = next++) {
      const shop = shops[i % shops.length]!;
      const skus = CATALOG.filter((c) => c.region === (shop.region === 'GB' ? 'GB' : 'US'));
      const r = await admin<{ order_id: string }>(tiktokUrl, 'POST', '/orders', {
        shop_id: shop.id,
        lines: skus
          .slice(0, 1 + (i % skus.length))
          .map((c, k) => ({ seller_sku: c.sku, quantity: 1 + ((i + k) % 2) })),
        shipping_fee: ['0.00', '4.99'][i % 2],
        ...(i % 5 === 0 ? { seller_discount: '1.00' } : {}),
      });
      placed[i] = { orderId: r.order_id, shopId: shop.id };
    }
  };
  await Promise.all(Array.from({ length: 16 }, buyer));
  return placed;
}

function warehouseClient(netsuiteUrl: string, ns: Record<string, string>): NetSuiteClient {
  return new NetSuiteClient({
    accountId: ns.account_id!,
    baseUrl: netsuiteUrl,
    auth: {
      type: 'tba',
      consumerKey: ns.consumer_key!,
      consumerSecret: ns.consumer_secret!,
      tokenId: ns.token_id!,
      tokenSecret: ns.token_secret!,
    },
    concurrency: 4,
  });
}

/**
 * The warehouse ships one wave of orders: every third order in two partial fulfillments (the
 * first takes one unit of the first line, so a two-unit line is split between them), the others
 * whole. A transform takes every open line unless told otherwise, so each body lists all open
 * lines, the ones not shipped with `itemReceive: false` (discount lines included: not goods).
 */
async function fulfil(ns: NetSuiteClient, placed: Placed[], wave: number, out: Shipment[]): Promise<void> {
  const mine = placed.map((p, i) => ({ ...p, i })).filter((p) => p.i % WAVES === wave);
  let next = 0;
  const worker = async () => {
    for (let k = next++; k < mine.length; k = next++) {
      const p = mine[k]!;
      const eid = salesOrderExternalId(p.shopId, p.orderId);
      const first = await openLines(ns, eid);
      const units = first.lines.reduce((n, l) => n + (l.sku ? l.open : 0), 0);
      const split = p.i % 3 === 0 && units >= 2;
      const goods = first.lines.filter((l) => l.sku && l.open > 0);
      const plans = split ? [new Map([[goods[0]!.line, 1]]), undefined] : [undefined];
      for (const [n, plan] of plans.entries()) {
        const so = n === 0 ? first : await openLines(ns, eid);
        const shipped: Record<string, number> = {};
        const items = so.lines
          .filter((l) => l.open > 0)
          .map((l) => {
            const q = l.sku ? (plan ? (plan.get(l.line) ?? 0) : l.open) : 0;
            if (q === 0) return { orderLine: l.line, itemReceive: false };
            shipped[l.sku!] = (shipped[l.sku!] ?? 0) + q;
            return { orderLine: l.line, quantity: q, itemReceive: true };
          });
        const tracking = `1ZCR${String(p.i).padStart(4, '0')}X${n + 1}`;
        const id = await ns.records.transform('salesOrder', so.id, 'itemFulfillment', {
          externalId: `wh-${p.orderId}-${n + 1}`,
          shipStatus: { id: 'C' },
          shipMethod: { externalId: SHIP_METHODS[(p.i + n) % SHIP_METHODS.length]! },
          item: { items },
          package: { items: [{ packageTrackingNumber: tracking }] },
        });
        out.push({ orderId: p.orderId, shopId: p.shopId, fulfillmentId: id, tracking, units: shipped });
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

async function openLines(ns: NetSuiteClient, externalId: string) {
  const so = await ns.records.get('salesOrder', { externalId });
  return {
    id: so.id!,
    lines: (so.item?.items ?? []).map((l) => {
      const name = l.item?.refName ?? '';
      return {
        line: l.line!,
        sku: SKUS.has(name) ? name : undefined,
        open: (l.quantity ?? 0) - (l.quantityFulfilled ?? 0),
      };
    }),
  };
}

interface RenderedOrder {
  packages: Array<{ id: string }>;
  line_items: Array<{ id: string; seller_sku: string; package_id?: string; tracking_number: string }>;
}

/**
 * What NetSuite and TikTok hold now, compared: NetSuite's item fulfillments (SuiteQL) are the
 * warehouse's; each tracking number is on exactly one shipped TikTok package of its order, holding
 * exactly the units the fulfillment shipped; no line item is in two packages; no package carries
 * a number NetSuite does not have. Returns the discrepancies.
 */
async function verdict(
  urls: { tiktok: string; netsuite: string },
  creds: { app_key: string; app_secret: string; shops: SandboxShop[] },
  ns: NetSuiteClient,
  placed: Placed[],
  shipments: Shipment[],
): Promise<string[]> {
  const problems: string[] = [];
  const inNetSuite = new Map<string, string>();
  for await (const row of ns.suiteql.rows(
    "SELECT id, linkedtrackingnumberlist AS tracking FROM transaction WHERE type = 'ItemShip'",
    [],
  ))
    inNetSuite.set(row['id']!, row['tracking'] ?? '');
  if (inNetSuite.size !== shipments.length)
    problems.push(`NetSuite has ${inNetSuite.size} fulfillments, the warehouse made ${shipments.length}`);
  for (const s of shipments)
    if (inNetSuite.get(s.fulfillmentId) !== s.tracking)
      problems.push(`fulfillment ${s.fulfillmentId}: NetSuite tracking ${inNetSuite.get(s.fulfillmentId)}`);

  const store = new MemoryTokenStore();
  for (const s of creds.shops) await store.save(s.id, tokensOf(s));
  const tiktok = createTikTokShopClient({
    appKey: creds.app_key,
    appSecret: creds.app_secret,
    tokenStore: store,
    baseUrl: urls.tiktok,
    authBaseUrl: urls.tiktok,
    rateLimitPerSec: 200,
  });
  for (const p of placed) {
    const shop = creds.shops.find((s) => s.id === p.shopId)!;
    const api = tiktok.shop({ id: shop.id, cipher: shop.cipher });
    const order = await admin<RenderedOrder>(urls.tiktok, 'GET', `/orders/${p.orderId}`);
    const packages = await Promise.all(order.packages.map((x) => api.fulfillment.getPackage(x.id)));
    const expected = shipments.filter((s) => s.orderId === p.orderId);
    const seen = new Map<string, string>();
    for (const pkg of packages) {
      const at = `order ${p.orderId} package ${pkg.package_id}`;
      const s = expected.find((e) => e.tracking === pkg.tracking_number);
      if (!s) problems.push(`${at}: tracking ${pkg.tracking_number} is on no NetSuite fulfillment`);
      if (pkg.package_status === 'PROCESSING' || pkg.package_status === 'CANCELLED')
        problems.push(`${at}: ${pkg.package_status}`);
      const units: Record<string, number> = {};
      for (const id of pkg.order_line_item_ids) {
        if (seen.has(id)) problems.push(`${at}: line ${id} is also in package ${seen.get(id)}`);
        seen.set(id, pkg.package_id);
        const line = order.line_items.find((l) => l.id === id);
        if (line?.package_id !== pkg.package_id) problems.push(`${at}: line ${id} names ${line?.package_id}`);
        if (line) units[line.seller_sku] = (units[line.seller_sku] ?? 0) + 1;
      }
      if (s && JSON.stringify(sorted(units)) !== JSON.stringify(sorted(s.units)))
        problems.push(
          `${at}: units ${JSON.stringify(units)}, fulfillment ${s.fulfillmentId} shipped ${JSON.stringify(s.units)}`,
        );
    }
    for (const e of expected) {
      const n = packages.filter((x) => x.tracking_number === e.tracking).length;
      if (n !== 1)
        problems.push(
          `fulfillment ${e.fulfillmentId} (${e.tracking}) is on ${n} packages of order ${p.orderId}`,
        );
    }
  }
  return problems;
}

function sorted(r: Record<string, number>): Array<[string, number]> {
  return Object.entries(r).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * TikSuite's own books, read once the service has stopped: every fulfillment record succeeded
 * with its package as the target, no error record is open.
 */
async function serviceBooks(env: TestEnv, shipments: Shipment[]) {
  const rt = await openRuntime(env.config(), { log: silentLogger(), flows: [], schedule: false });
  try {
    const db = rt.stores.db;
    const outcomes = await db
      .selectFrom('record_outcomes')
      .selectAll()
      .where('flow_id', '=', 'fulfillment.tracking')
      .execute();
    const errors = await db.selectFrom('errors').selectAll().where('status', '!=', 'resolved').execute();
    const problems: string[] = errors.map((e) => `open error ${e.code} on ${e.record_key}: ${e.message}`);
    for (const s of shipments) {
      const o = outcomes.find((x) => x.record_key === `netsuite:itemfulfillment:${s.fulfillmentId}`);
      if (o?.status !== 'succeeded' || !o.target_id)
        problems.push(`fulfillment ${s.fulfillmentId}: outcome ${o?.status ?? 'none'}`);
    }
    return { problems };
  } finally {
    await rt.close({ graceMs: 0 });
  }
}

async function diagnose(env: TestEnv, shipments: Shipment[]) {
  const books = await serviceBooks(env, shipments);
  console.error(JSON.stringify(books, null, 1));
}
