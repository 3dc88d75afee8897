/**
 * `tiksuite demo`: the live-shopping event end to end on one machine. An embedded database in a
 * temporary home, both sandboxes, TikSuite wired to them, a ramp and a flash-deal burst of orders
 * placed as buyers would, progress while it runs, and a summary from the sandboxes' own state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../shared/log.ts';
import { type DemoEnv, startDemoEnv } from './demo-env.ts';
import { type PlacedOrder, playLiveEvent } from './demo-event.ts';
import { type DemoSummary, summarize } from './demo-summary.ts';

export interface DemoOptions {
  orders: number;
  rate: number;
  shops: number;
  netsuiteConcurrency: number;
  netsuiteLatencyMs: number;
  tiktokPort: number;
  netsuitePort: number;
  port: number;
  json: boolean;
  hold: boolean;
  /** Real seconds the one-hour TikTok hold takes (the sandbox clock runs 3600/holdSeconds times fast). */
  holdSeconds: number;
  /** Give up waiting for sales orders after this many seconds without progress. */
  stallSeconds: number;
  /** Inject the faults (see DemoEnvOptions.faults). */
  faults?: boolean;
  /** Where the embedded database lives (default: a fresh temporary directory, removed at the end). */
  home?: string;
}

/** Runs the demo; resolves with the summary once printed (and, with --hold, after Ctrl-C). */
export async function runDemo(
  o: DemoOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<DemoSummary> {
  const home = o.home ?? mkdtempSync(join(tmpdir(), 'tiksuite-demo-'));
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const webhookMs: number[] = [];
  const startedAt = Date.now();
  say(`demo: starting the TikTok and NetSuite sandboxes and TikSuite (data in ${home})`);
  const env = await startDemoEnv({
    env: { TIKSUITE_HOME: home, LOG_LEVEL: 'warn' },
    log: createLogger({ level: 'warn' }),
    shops: o.shops,
    netsuiteConcurrency: o.netsuiteConcurrency,
    netsuiteLatencyMs: o.netsuiteLatencyMs,
    tiktokPort: o.tiktokPort,
    netsuitePort: o.netsuitePort,
    port: o.port,
    speed: 3600 / Math.max(0.05, o.holdSeconds),
    onWebhookAnswer: (ms) => webhookMs.push(ms),
    faults: !!o.faults,
  });
  try {
    say(
      `demo: TikSuite on ${env.url}, TikTok sandbox ${env.tiktok.url}, NetSuite sandbox ${env.netsuite.url}`,
    );
    say(`demo: live event: ${o.orders} orders over ${env.shops.length} shop(s), peak ${o.rate}/s`);
    const progress = setInterval(() => say(`demo: ${status(env, placedCount, o.orders)}`), 1000);
    let placedCount = 0;
    let placed: PlacedOrder[] = [];
    try {
      placed = await playLiveEvent(env, {
        orders: o.orders,
        rate: o.rate,
        onPlaced: (n) => (placedCount = n),
      });
      await drain(env, placed, o.stallSeconds);
    } finally {
      clearInterval(progress);
    }
    const summary = await summarize(env, {
      placed,
      webhookMs,
      concurrency: o.netsuiteConcurrency,
      latencyMs: o.netsuiteLatencyMs,
      holdSeconds: o.holdSeconds,
      startedAt,
    });
    out.write(o.json ? `${JSON.stringify(summary)}\n` : render(summary));
    if (o.hold) await untilInterrupted(say, env.url);
    return summary;
  } finally {
    await env.close();
    if (!o.home) rmSync(home, { recursive: true, force: true });
  }
}

function status(env: DemoEnv, placed: number, total: number): string {
  const sos = [...env.netsuite.state.engine.store.ofType('salesOrder')].length;
  return `placed ${placed}/${total}  sales orders in NetSuite ${sos}`;
}

/**
 * Waits until every placed order has a sales order or an error record, or nothing moved for
 * `stallSeconds`. When progress pauses it runs the polling backstop at once instead of waiting for
 * its 2-minute schedule, so orders whose webhooks were lost are found within the demo.
 */
async function drain(env: DemoEnv, placed: PlacedOrder[], stallSeconds: number): Promise<void> {
  let last = -1;
  let lastChange = Date.now();
  let lastPoll = Date.now();
  for (;;) {
    const n = [...env.netsuite.state.engine.store.ofType('salesOrder')].length;
    const open = await env.rt.stores.errors.countsByClass();
    const failed = Object.values(open).reduce((a, b) => a + b, 0);
    if (n + failed >= placed.length) return;
    if (n !== last) {
      last = n;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallSeconds * 1000) return;
    if (Date.now() - lastChange > 3000 && Date.now() - lastPoll > 5000) {
      lastPoll = Date.now();
      await env.rt.engine.trigger('orders.import', 'schedule');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** --hold: everything stays up after the summary, to look around, until SIGINT/SIGTERM. */
export function untilInterrupted(say: (l: string) => void, url: string): Promise<void> {
  say(`demo: holding; the sandboxes and the dashboard (${url}) stay up until Ctrl-C`);
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

function render(s: DemoSummary): string {
  const ms = (v: number | null) => (v === null ? '-' : `${v} ms`);
  const errors =
    Object.entries(s.errorsByClass)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  return [
    '',
    "TikSuite live-event demo: summary (from the sandboxes' own state)",
    `  orders placed in TikTok        ${s.ordersPlaced}`,
    `  sales orders in NetSuite       ${s.salesOrders}`,
    `  missing                        ${s.missing}`,
    `  duplicate sales orders         ${s.duplicates}`,
    `  amount mismatches              ${s.amountMismatches}`,
    `  error records                  ${errors}`,
    `  throughput                     ${s.throughput.salesOrdersPerSec}/s overall, ${s.throughput.peakPerSec5s}/s peak (5 s)` +
      (s.throughput.boundPerSec
        ? ` = ${s.throughput.ratio} of the NetSuite bound C/L = ${s.netsuite.concurrency}/${s.netsuite.latencyMs} ms = ${s.throughput.boundPerSec}/s`
        : ''),
    `  NetSuite requests              ${s.netsuite.requests} (${s.netsuite.rejected429} answered 429, at most ${s.netsuite.maxInFlight} in flight)`,
    `  webhook answer                 p50 ${ms(s.webhookAnswerMs.p50)}, p99 ${ms(s.webhookAnswerMs.p99)} (${s.webhookAnswerMs.count} pushes)`,
    `  placed -> sales order          p50 ${ms(s.placedToSalesOrderMs.p50)}, p95 ${ms(s.placedToSalesOrderMs.p95)}, p99 ${ms(s.placedToSalesOrderMs.p99)} (includes the ${s.holdSeconds} s on-hold window)`,
    `  dashboard                      ${s.urls.dashboard}`,
    '',
  ].join('\n');
}
