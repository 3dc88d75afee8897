/**
 * `npm run bench:settlements` (issue 14): a month of TikTok statements for a shop with 100,000 orders
 * booked in NetSuite and reconciled, on this machine. Both sandboxes and TikSuite in one process
 * (embedded PGlite unless DATABASE_URL), the settlements flows as the lifecycle demo configures them
 * (DEMO_SETTLEMENTS: journal entry per statement, 202501 transactions, polled every 2 s,
 * SETTLEMENT_POLL_SECONDS to change it), TikTok at the demo's 40 requests/s, NetSuite with C = 15 and
 * L = 250 ms (the demo's defaults). The order import, fulfillment and aftersale flows and the stall
 * watchdog are off.
 *
 * Seeded in-process, not measured (bench/support/settlement-seed.ts): one US shop, BENCH_ORDERS
 * (default 100,000) orders over BENCH_DAYS (30) simulated days, completed and settled by the TikTok
 * sandbox's own daily run into one statement a day (refunds before and after settlement,
 * adjustments, 10 % reserves held 7 days, each statement paid out 12 h later), the matching NetSuite
 * sales orders and credit memos, and TikSuite's order_sync rows. The settlement poller is stopped
 * while seeding. Figures:
 *  - time to book: from waking the poller until NetSuite (the sandbox's store) holds every
 *    statement's journal entry as TikTok states it and every paid payout's deposit; each statement's
 *    and payout's booking time since the wake from the flows' onBooked, p50/p99/max;
 *  - NetSuite requests (the sandbox's counter, by record type / suiteql) and TikTok requests (undici's
 *    request channel, by endpoint) per statement over the booking phase;
 *  - time to reconcile every statement (`reconcile(services)`) and the SuiteQL requests it made;
 *  - the verdict of the lifecycle demo's settlements section: every statement booked, no unbalanced
 *    entry, every paid payout matched, tie-out with nothing unmatched, unexplained or found (exit 1 if not);
 *  - RSS: after seeding, and the process's peak.
 * Prints one table (stdout), then one JSON line.
 *
 * measured on the 2-core development machine (two runs, load average 1.1-1.5), PGlite, 2026-12-08:
 * 100,000 orders in 30 statements (4,026 lines refunded whole and 1,969 in part before settlement,
 * 957 after, 90 adjustments), seeded in 11 s; booked in 41.5-42.3 s (statements p50 29.6-31.5 s / p99
 * 34.5-36.4 s after the wake, payouts p50 40.7-41.4 s / p99 41.5-42.2 s; each at its first attempt),
 * bound by TikTok's 40 requests/s: 34.8 TikTok requests per statement (34 pages of 100 transactions,
 * the rest polls) and 2.2 NetSuite (its journal entry, its payout's deposit, currency and subsidiary
 * look-ups); reconciled in 40.2-40.4 s with 480 SuiteQL requests (16 per statement); verdict passed
 * (30/30 booked, 0 unbalanced, 30/30 payouts matched, 100,000 orders matched, 0 unmatched, 0 cents
 * unexplained, no finding, no error record); RSS 1,239-1,288 MB after seeding, peak 1,566-1,644 MB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Statement } from '../src/connectors/tiktok-shop/sandbox/model-finance.ts';
import { paymentStatus } from '../src/connectors/tiktok-shop/sandbox/payouts.ts';
import { ORDER_IMPORT_FLOW } from '../src/flows/orders/index.ts';
import {
  financeExternalId,
  PAYMENT_FLOW,
  reconcile,
  STATEMENT_FLOW,
} from '../src/flows/settlements/index.ts';
import { DEMO_SETTLEMENTS, startDemoEnv } from '../src/main/demo/demo-env.ts';
import { percentile } from '../src/main/demo/demo-summary.ts';
import {
  entryClearing,
  entryPayable,
  settlementsPassed,
  settlementsSection,
} from '../src/main/demo/settlements-section.ts';
import { silentLogger } from '../src/shared/log.ts';
import { countDelta, RequestCount } from './support/request-count.ts';
import { BENCH_BUSINESS, monthStart, seedMonth } from './support/settlement-seed.ts';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const POLL = Number(process.env.SETTLEMENT_POLL_SECONDS ?? 2);
/** Give up when nothing was booked for this long. */
const STALL_MS = Number(process.env.BENCH_STALL_SECONDS ?? 300) * 1000;
const C = 15;
const L = 250;
const say = (line: string) => process.stderr.write(`bench:settlements: ${line}\n`);
const mb = (bytes: number) => Math.round(bytes / 1_048_576);

const home = mkdtempSync(join(tmpdir(), 'tiksuite-bench-settlements-'));
const requests = new RequestCount();
const bookedAt = { statement: new Map<string, number>(), payment: new Map<string, number>() };
let wokeAt: number | undefined;
const env = await startDemoEnv({
  env: { ...process.env, TIKSUITE_HOME: home, LOG_LEVEL: 'silent' },
  log: silentLogger(),
  shops: 1,
  netsuiteConcurrency: C,
  netsuiteLatencyMs: L,
  speed: 0,
  startTime: monthStart(DAYS),
  subscribe: false,
  business: BENCH_BUSINESS,
  onSettled: (m) => {
    if (wokeAt !== undefined) bookedAt[m.kind].set(m.id, performance.now() - wokeAt);
  },
  config: {
    settlements: { ...DEMO_SETTLEMENTS, pollIntervalSeconds: POLL, lookbackDays: DAYS + 5 },
    fulfillment: { enabled: false },
    aftersale: { enabled: false },
    flows: { [ORDER_IMPORT_FLOW]: { enabled: false } },
    // The bench stops the settlement poller while it seeds and reconciles: not a stall to report.
    watchdog: { enabled: false },
  },
});
const settlements = env.rt.settlements;
if (!settlements) throw new Error('settlements are not enabled');

/** The sandboxes' own counters and the TikTok requests by endpoint. */
function counters() {
  const ns = env.netsuite.state.governance.stats();
  return {
    at: performance.now(),
    tiktok: env.tiktok.ctx.state.requestSeq,
    tiktokByKind: requests.of(env.tiktok.url),
    netsuite: ns.requests,
    netsuiteByKind: ns.by_type,
    rejected429: ns.rejected_429,
  };
}
type Counters = ReturnType<typeof counters>;
const delta = (a: Counters, b: Counters) => ({
  seconds: Math.round((b.at - a.at) / 100) / 10,
  tiktok: b.tiktok - a.tiktok,
  tiktokByKind: countDelta(a.tiktokByKind, b.tiktokByKind),
  netsuite: b.netsuite - a.netsuite,
  netsuiteByKind: countDelta(a.netsuiteByKind, b.netsuiteByKind),
  rejected429: b.rejected429 - a.rejected429,
});

/** What NetSuite must hold: each statement's entry (clearing = TikTok's payable) and each paid payout's deposit. */
function expectations(statements: readonly Statement[]) {
  const { ctx } = env.tiktok;
  const prefix = env.config.mappings.externalIdPrefix;
  return {
    statements: statements.map((s) => ({
      externalId: financeExternalId(prefix, s.shopId, 'stmt', s.id),
      currency: s.currency,
      payable: entryPayable(env, s),
    })),
    deposits: [...ctx.state.payments.byId.values()]
      .filter((p) => paymentStatus(ctx, p) === 'PAID')
      .map((p) => financeExternalId(prefix, p.shopId, 'pay', p.id)),
  };
}

function unbooked(want: ReturnType<typeof expectations>): number {
  const store = env.netsuite.state.engine.store;
  let n = 0;
  for (const s of want.statements) {
    const je = store.byExternalId('journalEntry', s.externalId);
    if (!je || entryClearing(je, s.currency) !== s.payable) n++;
  }
  for (const d of want.deposits) if (!store.byExternalId('deposit', d)) n++;
  return n;
}

let rssPeak = process.memoryUsage.rss();
const sampleRss = () => {
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
};

/** Waits (checking every 100 ms) until nothing is left to book, or nothing moved for STALL_MS. */
async function untilBooked(want: ReturnType<typeof expectations>): Promise<number> {
  let left = unbooked(want);
  let lastChange = performance.now();
  let lastSaid = performance.now();
  while (left > 0 && performance.now() - lastChange < STALL_MS) {
    await new Promise((r) => setTimeout(r, 100));
    sampleRss();
    const now = unbooked(want);
    if (now !== left) lastChange = performance.now();
    left = now;
    if (performance.now() - lastSaid > 10_000) {
      lastSaid = performance.now();
      say(`booking: ${left} of ${want.statements.length + want.deposits.length} entries and deposits to go`);
    }
  }
  return left;
}

async function outcomes() {
  const rows = await env.rt.handle.db
    .selectFrom('record_outcomes')
    .select(['flow_id', 'status', 'attempts'])
    .where('flow_id', 'in', [STATEMENT_FLOW, PAYMENT_FLOW])
    .execute();
  const of = (flow: string) => rows.filter((r) => r.flow_id === flow);
  const sum = (flow: string) => ({
    records: of(flow).length,
    failed: of(flow).filter((r) => r.status === 'failed').length,
    maxAttempts: Math.max(0, ...of(flow).map((r) => Number(r.attempts))),
  });
  return { statements: sum(STATEMENT_FLOW), payments: sum(PAYMENT_FLOW) };
}

const ms = (xs: number[]) => ({
  count: xs.length,
  p50: percentile(xs, 50),
  p99: percentile(xs, 99),
  max: percentile(xs, 100),
});
const per = (v: number, n: number) => Math.round((v / Math.max(1, n)) * 10) / 10;

let exitCode = 1;
try {
  await settlements.poller.stop();
  say(`seeding ${ORDERS} orders over ${DAYS} days`);
  const seeded = await seedMonth(env, { orders: ORDERS, days: DAYS, say });
  const statements = [...env.tiktok.ctx.state.statements.byId.values()];
  const want = expectations(statements);
  const rssAfterSeed = process.memoryUsage.rss();
  sampleRss();
  say(
    `seeded in ${Math.round(seeded.seconds.tiktok + seeded.seconds.netsuite + seeded.seconds.orderSync)} s; waking the settlement poller`,
  );

  // --- book ---
  const b0 = counters();
  wokeAt = performance.now();
  settlements.poller.start();
  const left = await untilBooked(want);
  const book = delta(b0, counters());
  say(`booked in ${book.seconds} s (${left} left); reconciling`);
  // Alone: the poller's reads would count as the tie-out's.
  await settlements.poller.stop();

  // --- reconcile ---
  const r0 = counters();
  const rec = await reconcile(settlements.services);
  const rc = delta(r0, counters());
  sampleRss();
  say(`reconciled in ${rc.seconds} s`);

  const play = { adjustments: seeded.adjustments, republished: [], lateRefunds: [], lateReturns: [] };
  const section = await settlementsSection(env, { ...play, stalled: [], errors: [] }, rec);
  const passed = left === 0 && settlementsPassed(section);
  const n = statements.length;
  const result = {
    bench: 'settlements',
    database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
    pollIntervalSeconds: POLL,
    netsuite: { concurrency: C, latencyMs: L },
    seeded,
    book: {
      seconds: book.seconds,
      left,
      statementMs: ms([...bookedAt.statement.values()]),
      payoutMs: ms([...bookedAt.payment.values()]),
      outcomes: await outcomes(),
      requests: {
        tiktokPerStatement: per(book.tiktok, n),
        netsuitePerStatement: per(book.netsuite, n),
        tiktok: book.tiktok,
        tiktokByKind: book.tiktokByKind,
        netsuite: book.netsuite,
        netsuiteByKind: book.netsuiteByKind,
        netsuite429: book.rejected429,
      },
    },
    reconcile: {
      seconds: rc.seconds,
      suiteql: rc.netsuiteByKind['suiteql'] ?? 0,
      netsuite: rc.netsuite,
      tiktok: rc.tiktok,
      summary: rec.summary,
    },
    verdict: {
      passed,
      statements: section.statements,
      booked: section.booked,
      unbalancedEntries: section.unbalancedEntries,
      paid: section.paid,
      payoutsMatched: section.payoutsMatched,
      tieOut: section.tieOut,
      findings: section.examples.findings,
    },
    errorsByClass: await env.rt.stores.errors.countsByClass(),
    errors: (await env.rt.stores.errors.list({ limit: 3 })).map((e) => `${e.flowId} ${e.code}: ${e.message}`),
    rssMb: {
      afterSeed: mb(rssAfterSeed),
      peak: mb(Math.max(rssPeak, process.resourceUsage().maxRSS * 1024)),
    },
  };
  console.log(table(result));
  console.log(JSON.stringify(result));
  exitCode = passed ? 0 : 1;
} finally {
  requests.stop();
  await env.close();
  rmSync(home, { recursive: true, force: true });
}
process.exit(exitCode);

type Result = {
  seeded: { orders: number; statements: number; payments: number };
  book: {
    seconds: number;
    statementMs: ReturnType<typeof ms>;
    payoutMs: ReturnType<typeof ms>;
    requests: { tiktokPerStatement: number; netsuitePerStatement: number; tiktok: number; netsuite: number };
  };
  reconcile: { seconds: number; suiteql: number };
  verdict: {
    passed: boolean;
    booked: number;
    statements: number;
    unbalancedEntries: number;
    paid: number;
    payoutsMatched: number;
    tieOut: { ordersMatched: number; unmatched: number; unexplainedCents: number; findings: number };
  };
  rssMb: { afterSeed: number; peak: number };
};

function table(r: Result): string {
  const b = r.book;
  const v = r.verdict;
  const rows: Array<[string, string]> = [
    ['orders / statements / payouts', `${r.seeded.orders} / ${r.seeded.statements} / ${r.seeded.payments}`],
    ['time to book (all)', `${b.seconds} s`],
    ['statement booked after wake', `p50 ${b.statementMs.p50} ms, p99 ${b.statementMs.p99} ms`],
    ['payout booked after wake', `p50 ${b.payoutMs.p50} ms, p99 ${b.payoutMs.p99} ms`],
    ['TikTok requests / statement', `${b.requests.tiktokPerStatement} (${b.requests.tiktok})`],
    ['NetSuite requests / statement', `${b.requests.netsuitePerStatement} (${b.requests.netsuite})`],
    ['time to reconcile', `${r.reconcile.seconds} s, ${r.reconcile.suiteql} SuiteQL requests`],
    ['booked / statements', `${v.booked} / ${v.statements}`],
    ['unbalanced entries', String(v.unbalancedEntries)],
    ['payouts matched / paid', `${v.payoutsMatched} / ${v.paid}`],
    ['tie-out matched / unmatched', `${v.tieOut.ordersMatched} / ${v.tieOut.unmatched}`],
    ['unexplained (cents) / findings', `${v.tieOut.unexplainedCents} / ${v.tieOut.findings}`],
    ['RSS after seed / peak', `${r.rssMb.afterSeed} MB / ${r.rssMb.peak} MB`],
    ['verdict', v.passed ? 'PASS' : 'FAIL'],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, x]) => `${k.padEnd(w)}  ${x}`).join('\n');
}
