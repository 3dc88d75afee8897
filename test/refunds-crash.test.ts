/**
 * Issue 13 "Prove it": a SIGKILL during a burst of 300 refunds, every refund booked once. Orders
 * are imported into NetSuite, shipped by the warehouse there, pushed to TikTok by TikSuite and
 * delivered; then buyers ask for 300 refunds at once (returns of goods shipped back and received,
 * partial refunds asked or offered, full refunds of a unit or of the whole order) and the seller
 * approves them. NetSuite answers slowly, and the service (`tiksuite serve`, its own process) is
 * killed with SIGKILL three times while its NetSuite writes are in flight, and restarted. The
 * sandboxes run in a process of their own (`tiksuite sandbox`) and outlive every kill; the verdict
 * comes from their own state: every completed TikTok refund is exactly one credit memo (to the
 * cent: refund_total less the tax TikTok collects) paid by exactly one customer refund, every return
 * of goods exactly one return authorization and one item receipt, and nothing else of those kinds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { NetSuiteClient } from '../src/connectors/netsuite/index.ts';
import type { Return, TikTokShopApi } from '../src/connectors/tiktok-shop/index.ts';
import { RETURN_FLOW, returnExternalId, returnKey } from '../src/flows/aftersale/deps.ts';
import { admin, DEMO_AFTERSALE, DEMO_FULFILLMENT, seedCatalog } from '../src/main/demo/demo-env.ts';
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
import { type NetSuiteTap, startNetSuiteTap, type WriteCall } from './support/netsuite-tap.ts';
import { adminHeaders, type Started, serverUrl, startCli, waitFor } from './support/proc.ts';
import {
  deliverAll,
  each,
  kindOf,
  netsuiteClient,
  placeOrders,
  type Refund,
  refund,
  sellerApis,
  shipInNetSuite,
} from './support/refunds.ts';

const ORDERS = 300;
/** Credit memos in NetSuite at which the service is killed (once its own writes are in flight). */
const KILL_AT = [40, 110, 180];
/** NetSuite writes of the running service in flight when it is killed. */
const WRITES_IN_FLIGHT_AT_KILL = 3;
const RETURNS = Array.from({ length: ORDERS }, (_, i) => kindOf(i)).filter((k) => k === 'return').length;

let env: TestEnv | undefined;
let tap: NetSuiteTap | undefined;
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

type Counts = Record<string, number>;
type Creds = { app_key: string; app_secret: string; shops: SandboxShop[] };

/**
 * Both sandboxes in their own process, the catalog seeded, the shops' tokens saved, the service's
 * tiksuite.yaml written (NetSuite through the tap) and TikTok's webhooks pointed at its port.
 */
async function crashWorld(env: TestEnv) {
  const sandbox = startCli(['sandbox', '--tiktok-port', '0', '--netsuite-port', '0'], {
    env: env.childEnv,
    cwd: env.home,
    timeoutMs: 600_000, // outlives the whole test (afterEach kills it)
  });
  started.push(sandbox);
  const urls = await sandboxUrls(sandbox);
  const tt = <T = Record<string, unknown>>(m: string, p: string, b?: unknown) =>
    admin<T>(urls.tiktok, m, p, b);
  const creds = await tt<Creds>('GET', '/credentials');
  const nsCreds = await admin<Record<string, string>>(urls.netsuite, 'GET', '/credentials');
  await tt('PUT', '/settings', {
    business: { onHoldSeconds: 2 },
    webhooks: { retryScheduleMs: [500, 1000, 2000, 4000, 8000, 15_000] },
  });
  await tt('PUT', '/faults', { rateLimit: null });
  await seedCatalog(urls.tiktok, urls.netsuite, creds.shops);
  await saveShopTokens(env, creds.shops);
  // TikSuite reaches NetSuite through the tap, which only watches the writes go by.
  const tap = await startNetSuiteTap(urls.netsuite);
  const config = crashServiceConfig({
    tiktokUrl: urls.tiktok,
    netsuiteUrl: tap.url,
    tt: creds,
    ns: nsCreds,
    shops: creds.shops,
    // A killed step's job comes back after one missed heartbeat; its siblings retry meanwhile.
    queue: { retryLimit: 7 },
    // The warehouse's own client takes a few of the sandbox's 15 slots before the burst.
    netsuiteConcurrency: 11,
    extra: {
      fulfillment: { ...DEMO_FULFILLMENT, pollIntervalSeconds: 0.5, overlapSeconds: 5 },
      aftersale: { ...DEMO_AFTERSALE, pollIntervalSeconds: 1, overlapSeconds: 10 },
    },
  });
  writeFileSync(join(env.home, 'tiksuite.yaml'), JSON.stringify(config));
  const port = await freePort();
  await tt('POST', '/webhooks', { address: `http://127.0.0.1:${port}/webhooks/tiktok` });
  return { sandbox, urls, creds, nsCreds, tap, port };
}

/** `tiksuite serve` on the port the webhooks go to, once it listens. */
async function startService(env: TestEnv, port: number) {
  const p = startCli(['serve', '--port', String(port)], {
    env: env.childEnv,
    cwd: env.home,
    timeoutMs: 600_000, // outlives the whole test (afterEach kills it)
  });
  started.push(p);
  return { ...p, url: await serverUrl(env.home, p) };
}

/** Records of the returns flow TikSuite has queued and not settled yet (succeeded, failed or skipped). */
async function outstanding(env: TestEnv, url: string): Promise<number> {
  const res = await fetch(`${url}/api/runs?flow=${RETURN_FLOW}&limit=500`, {
    headers: adminHeaders(env.home),
  });
  const { runs } = (await res.json()) as {
    runs: Array<Record<'received' | 'succeeded' | 'failed' | 'skipped', number>>;
  };
  return runs.reduce((n, r) => n + r.received - r.succeeded - r.failed - r.skipped, 0);
}

it('SIGKILL three times during a burst of 300 refunds: every refund booked once, to the cent', async () => {
  env = testEnv('refunds-crash');
  const { sandbox, urls, creds, nsCreds, port, ...w } = await crashWorld(env);
  tap = w.tap;
  const nsAdmin = <T = Record<string, unknown>>(m: string, p: string, b?: unknown) =>
    admin<T>(urls.netsuite, m, p, b);
  const nsCounts = async () => (await nsAdmin<{ counts: Counts }>('GET', '/state')).counts;

  // 1. Orders imported, shipped by the warehouse in NetSuite, pushed to TikTok by TikSuite, delivered.
  let service = await startService(env, port);
  const t0 = Date.now();
  const placed = await placeOrders(urls.tiktok, creds.shops, ORDERS);
  await waitFor(nsCounts, (c) => (c.salesOrder ?? 0) >= ORDERS, undefined, 250);
  const ns = netsuiteClient(urls.netsuite, nsCreds);
  await shipInNetSuite(ns, placed);
  await deliverAll(urls.tiktok, placed);
  const delivered = Date.now() - t0;

  // 2. The burst, while NetSuite answers slowly (a record write takes 0.13-0.38 s); each of the three
  // kills lands once the running service has booked credit memos and has writes in flight.
  await nsAdmin('PATCH', '/settings', { latency: { baseMs: 250, jitter: 0.5 } });
  const apis = await sellerApis(urls.tiktok, creds);
  const refunds: Refund[] = [];
  const t1 = Date.now();
  const burst = each(placed, 16, async (p) => {
    refunds.push(await refund(urls.tiktok, apis.get(p.shopId)!, p));
  }).then(() => Date.now() - t1);
  const kills: Array<{ credits: number; caught: WriteCall[] }> = [];
  let upSince = Date.now();
  for (const at of KILL_AT) {
    const since = upSince;
    const credits = await waitFor(
      async () => (await nsCounts()).creditMemo ?? 0,
      (n) => n >= at,
      undefined,
      10,
    );
    await waitFor(
      async () => tap!.inFlight(since).length,
      (n) => n >= WRITES_IN_FLIGHT_AT_KILL,
      undefined,
      5,
    );
    // Taken with no I/O in between, then the kill: the tap answers none of these before it.
    const caught = tap.inFlight(since);
    service.child.kill('SIGKILL');
    expect((await service.done).signal).toBe('SIGKILL');
    kills.push({ credits, caught });
    service = await startService(env, port);
    upSince = Date.now();
  }
  const requested = await burst;
  expect(refunds).toHaveLength(ORDERS);

  // 3. Everything booked and TikSuite has settled every record (a killed step's job comes back
  // after one missed heartbeat); then the service stops and nothing is left in flight.
  const booked = (c: Counts) =>
    (c.creditMemo ?? 0) >= ORDERS &&
    (c.customerRefund ?? 0) >= ORDERS &&
    (c.returnAuthorization ?? 0) >= RETURNS &&
    (c.itemReceipt ?? 0) >= RETURNS;
  try {
    await waitFor(
      async () => booked(await nsCounts()) && (await outstanding(env!, service.url)) === 0,
      (done) => done,
      undefined,
      250,
    );
  } catch (err) {
    service.child.kill('SIGKILL');
    await service.done;
    console.error(JSON.stringify(await serviceBooks(env, refunds, new Map()), null, 1));
    throw err;
  }
  const drained = Date.now() - t1;
  service.child.kill('SIGTERM');
  expect((await service.done).code).toBe(0);
  await waitFor(
    async () => [tap!.inFlight().length, (await nsAdmin<{ in_flight: number }>('GET', '/stats')).in_flight],
    ([mine, all]) => mine === 0 && all === 0,
    undefined,
    50,
  );
  await nsAdmin('PATCH', '/settings', { latency: { baseMs: 0, jitter: 0 } });

  // The verdict from the sandboxes' own state.
  const books = await netsuiteBooks(ns, refunds, apis);
  expect(books.problems).toEqual([]);
  expect(await nsCounts()).toMatchObject({
    creditMemo: ORDERS,
    customerRefund: ORDERS,
    returnAuthorization: RETURNS,
    itemReceipt: RETURNS,
  });
  const own = await serviceBooks(env, refunds, books.credits);
  expect(own.problems).toEqual([]);

  // Each kill landed on NetSuite writes the dead process had sent: NetSuite committed some of them
  // after it died (answers never heard), and those documents are still there once each (above).
  const committed = kills.map((k) => k.caught.filter((w) => w.status! >= 200 && w.status! < 300).length);
  for (const n of committed) expect(n).toBeGreaterThanOrEqual(1);
  console.info(
    `refund crash run: ${ORDERS} refunds (${RETURNS} returns of goods), ${kills.length} SIGKILLs; delivered in ${delivered} ms; requested in ${requested} ms, booked in ${drained} ms; NetSuite writes ${tap.writes.length}, ${committed.join('+')} committed after their caller was killed`,
    kills.map((k) => ({ credits: k.credits, inFlight: k.caught.length })),
  );

  sandbox.child.kill('SIGTERM');
  await sandbox.done;
}, 600_000);

type DocKind = 'ra' | 'rcpt' | 'cm' | 'rf';
const DOC_OF = { ra: 'returnAuthorization', rcpt: 'itemReceipt', cm: 'credit', rf: 'refund' } as const;

interface TxRow {
  id: string;
  externalid?: string;
  type: string;
  createdfrom?: string;
}

const KIND_OF_TYPE: Record<string, DocKind> = {
  RtnAuth: 'ra',
  ItemRcpt: 'rcpt',
  CustCred: 'cm',
  CustRfnd: 'rf',
};

/**
 * NetSuite's return documents, every one of them by kind and external id: SuiteQL over all
 * transactions of those types, so a twin under any external id (or none) shows.
 */
async function documentsOf(ns: NetSuiteClient): Promise<Map<string, TxRow[]>> {
  const byEid = new Map<string, TxRow[]>();
  const q = `SELECT id, externalid, type, createdfrom FROM transaction WHERE type IN ('RtnAuth', 'ItemRcpt', 'CustCred', 'CustRfnd')`;
  for await (const row of ns.suiteql.rows(q, [])) {
    const r: TxRow = {
      id: row['id']!,
      type: row['type']!,
      externalid: row['externalid'],
      createdfrom: row['createdfrom'],
    };
    const key = `${KIND_OF_TYPE[r.type]}|${r.externalid ?? `(none: ${r.id})`}`;
    byEid.set(key, [...(byEid.get(key) ?? []), r]);
  }
  return byEid;
}

/**
 * NetSuite's return documents against TikTok's refunds: each refund exactly one credit memo
 * totalling refund_total - refund_tax - retail_delivery_fee to the cent and one customer refund of
 * the same amount paying it; each return of goods exactly one authorization of its units, the
 * credit made from it, and one receipt of it; no other document of those kinds. Returns the
 * discrepancies and the credit memo of each return.
 */
async function netsuiteBooks(ns: NetSuiteClient, refunds: Refund[], apis: Map<string, TikTokShopApi>) {
  const problems: string[] = [];
  const byEid = await documentsOf(ns);
  const expected = new Set<string>();
  const credits = new Map<string, string>();
  const one = (kind: DocKind, r: Refund) => {
    const key = `${kind}|${returnExternalId('tiktok', r.shopId, DOC_OF[kind], r.returnId)}`;
    expected.add(key);
    const rows = byEid.get(key) ?? [];
    if (rows.length !== 1)
      problems.push(`return ${r.returnId} (${r.kind}): ${rows.length} ${kind} documents`);
    return rows[0];
  };
  await each(refunds, 8, async (r) => {
    const docs = { cm: one('cm', r), rf: one('rf', r) };
    const goods = r.kind === 'return' ? { ra: one('ra', r), rcpt: one('rcpt', r) } : {};
    if (docs.cm) credits.set(r.returnId, docs.cm.id);
    const ret = await apis.get(r.shopId)!.returns.getReturn(r.returnId);
    problems.push(...(await checkRefund(ns, r, ret, { ...docs, ...goods })));
  });
  for (const [key, rows] of byEid)
    if (!expected.has(key)) problems.push(`${rows.length} document(s) ${key} belong to no refund`);
  return { problems, credits };
}

/** One refund's documents, read in full, against TikTok's figures. */
async function checkRefund(
  ns: NetSuiteClient,
  r: Refund,
  ret: Return | null,
  d: Partial<Record<DocKind, TxRow>>,
): Promise<string[]> {
  if (ret?.return_status !== 'RETURN_OR_REFUND_REQUEST_COMPLETE' || !ret.refund_amount)
    return [`return ${r.returnId}: TikTok shows ${ret?.return_status} without a completed refund`];
  const problems: string[] = [];
  const a = ret.refund_amount;
  const cents = (v: string | undefined) => parseMoney(v ?? '0', a.currency).minor;
  const want = cents(a.refund_total) - cents(a.refund_tax) - cents(a.retail_delivery_fee);
  const at = `return ${r.returnId} (${r.kind})`;
  if (d.cm) {
    const memo = await ns.records.get('creditMemo', d.cm.id);
    if (cents(memo.total) !== want)
      problems.push(`${at}: credit memo ${memo.total}, TikTok refunds ${want} cents`);
    if (d.ra && d.cm.createdfrom !== d.ra.id)
      problems.push(`${at}: credit memo made from ${d.cm.createdfrom}, not authorization ${d.ra.id}`);
  }
  if (d.rf && d.cm) {
    const paid = await ns.records.get('customerRefund', d.rf.id);
    const applied = paid.apply?.items?.filter((l) => l.apply !== false).map((l) => l.doc?.id);
    if (cents(paid.total) !== want || JSON.stringify(applied) !== JSON.stringify([d.cm.id]))
      problems.push(`${at}: customer refund ${paid.total} applied to ${applied}`);
  }
  if (d.ra) {
    const auth = await ns.records.get('returnAuthorization', d.ra.id);
    const units = (auth.item?.items ?? []).reduce((n, l) => n + (l.quantity ?? 0), 0);
    if (units !== r.units) problems.push(`${at}: authorization of ${units} units, not ${r.units}`);
    if (d.rcpt && d.rcpt.createdfrom !== d.ra.id)
      problems.push(`${at}: receipt made from ${d.rcpt.createdfrom}, not ${d.ra.id}`);
  }
  return problems;
}

/**
 * TikSuite's own books, read once the service has stopped: no error record of the returns flow is
 * open, and each return's record succeeded with its credit memo as the target.
 */
async function serviceBooks(env: TestEnv, refunds: Refund[], credits: Map<string, string>) {
  const rt = await openRuntime(env.config(), { log: silentLogger(), flows: [], schedule: false });
  try {
    const db = rt.stores.db;
    const outcomes = await db
      .selectFrom('record_outcomes')
      .selectAll()
      .where('flow_id', '=', RETURN_FLOW)
      .execute();
    const errors = await db
      .selectFrom('errors')
      .selectAll()
      .where('flow_id', '=', RETURN_FLOW)
      .where('status', '!=', 'resolved')
      .execute();
    const problems: string[] = errors.map((e) => `open error ${e.code} on ${e.record_key}: ${e.message}`);
    for (const r of refunds) {
      const o = outcomes.find((x) => x.record_key === returnKey(r.shopId, r.returnId));
      if (o?.status !== 'succeeded' || o.target_id !== credits.get(r.returnId))
        problems.push(
          `return ${r.returnId}: outcome ${o?.status ?? 'none'} -> ${o?.target_id} (${o?.version})`,
        );
    }
    return { problems };
  } finally {
    await rt.close({ graceMs: 0 });
  }
}
