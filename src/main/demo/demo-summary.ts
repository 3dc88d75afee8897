/**
 * The demo's verdict, computed from the sandboxes' own state (not from what the engine believes):
 * every placed TikTok order is looked up in the NetSuite sandbox's store by its external id and by
 * otherRefNum (a duplicate would be a second sales order for one TikTok order), and its total is
 * compared to the cent with what the buyer paid less the facilitator tax TikTok remits.
 */
import { salesOrderExternalId } from '../../flows/orders/index.ts';
import { parseMoney } from '../../shared/money.ts';
import { admin, type DemoEnv } from './demo-env.ts';
import type { PlacedOrder } from './demo-event.ts';

export interface DemoSummary {
  ordersPlaced: number;
  salesOrders: number;
  missing: number;
  duplicates: number;
  amountMismatches: number;
  errorsByClass: Record<string, number>;
  throughput: {
    salesOrdersPerSec: number;
    peakPerSec5s: number;
    boundPerSec: number | null;
    ratio: number | null;
  };
  netsuite: {
    concurrency: number;
    latencyMs: number;
    /** The NetSuite sandbox's own counters. */
    requests: number;
    rejected429: number;
    maxInFlight: number;
  };
  webhookAnswerMs: { count: number; p50: number | null; p99: number | null };
  placedToSalesOrderMs: { p50: number | null; p95: number | null; p99: number | null };
  holdSeconds: number;
  durationSeconds: number;
  urls: { api: string; dashboard: string; tiktokSandbox: string; netsuiteSandbox: string };
  examples: { missing: string[]; mismatches: Array<{ orderId: string; expected: string; got: string }> };
}

interface RenderedOrder {
  payment: { currency: string; total_amount: string; tax?: string; retail_delivery_fee?: string };
}

interface StoredSo {
  externalId: string | undefined;
  otherRefNum: string;
  total: string;
  createdMs: number;
}

const text = (v: unknown): string =>
  v && typeof v === 'object' && 'text' in v ? String(v.text) : String(v ?? '');

function salesOrders(env: DemoEnv): StoredSo[] {
  return [...env.netsuite.state.engine.store.ofType('salesOrder')].map((r) => ({
    externalId: r.externalId,
    otherRefNum: text(r.body.otherRefNum),
    total: text(r.body.total),
    createdMs: r.createdMs,
  }));
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i]! * 10) / 10;
}

/** The buyer's total less the marketplace-facilitator tax (kept off the sales order by default). */
function expectedTotal(o: RenderedOrder): bigint {
  const c = o.payment.currency;
  const m = (v: string | undefined) => parseMoney(v ?? '0', c).minor;
  return m(o.payment.total_amount) - m(o.payment.tax) - m(o.payment.retail_delivery_fee);
}

function peakPerSec(created: number[], windowMs: number): number {
  const t = [...created].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j]! - t[i]! > windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return Math.round((best / (windowMs / 1000)) * 10) / 10;
}

function netsuiteStats(env: DemoEnv) {
  const st = env.netsuite.state.governance.stats();
  return { requests: st.requests, rejected429: st.rejected_429, maxInFlight: st.max_in_flight };
}

export async function summarize(
  env: DemoEnv,
  run: {
    placed: PlacedOrder[];
    webhookMs: number[];
    concurrency: number;
    latencyMs: number;
    holdSeconds: number;
    startedAt: number;
  },
): Promise<DemoSummary> {
  const all = salesOrders(env);
  const byEid = new Map(all.map((s) => [s.externalId, s]));
  const perRef = Map.groupBy(all, (s) => s.otherRefNum);
  const missing: string[] = [];
  const mismatches: DemoSummary['examples']['mismatches'] = [];
  const latencies: number[] = [];
  let duplicates = 0;
  for (const p of run.placed) {
    const so = byEid.get(salesOrderExternalId(p.shopId, p.orderId));
    duplicates += Math.max(0, (perRef.get(p.orderId)?.length ?? 0) - 1);
    if (!so) {
      missing.push(p.orderId);
      continue;
    }
    latencies.push(so.createdMs - p.placedAt);
    const order = await admin<RenderedOrder>(env.tiktok.url, 'GET', `/orders/${p.orderId}`);
    const got = parseMoney(so.total, order.payment.currency).minor;
    if (got !== expectedTotal(order))
      mismatches.push({ orderId: p.orderId, expected: String(expectedTotal(order)), got: String(got) });
  }
  const placedIds = new Set(run.placed.map((p) => p.orderId));
  const ours = all.filter((s) => placedIds.has(s.otherRefNum));
  const created = ours.map((s) => s.createdMs);
  const span = created.length > 1 ? (Math.max(...created) - Math.min(...created)) / 1000 : 0;
  const bound = run.latencyMs > 0 ? run.concurrency / (run.latencyMs / 1000) : null;
  const peak = peakPerSec(created, 5000);
  return {
    ordersPlaced: run.placed.length,
    salesOrders: ours.length,
    missing: missing.length,
    duplicates,
    amountMismatches: mismatches.length,
    errorsByClass: await env.rt.stores.errors.countsByClass(),
    throughput: {
      salesOrdersPerSec: span > 0 ? Math.round(((created.length - 1) / span) * 10) / 10 : 0,
      peakPerSec5s: peak,
      boundPerSec: bound,
      ratio: bound ? Math.round((peak / bound) * 1000) / 1000 : null,
    },
    netsuite: { concurrency: run.concurrency, latencyMs: run.latencyMs, ...netsuiteStats(env) },
    webhookAnswerMs: {
      count: run.webhookMs.length,
      p50: percentile(run.webhookMs, 50),
      p99: percentile(run.webhookMs, 99),
    },
    placedToSalesOrderMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    },
    holdSeconds: run.holdSeconds,
    durationSeconds: Math.round((Date.now() - run.startedAt) / 100) / 10,
    urls: {
      api: env.url,
      dashboard: env.loginUrl,
      tiktokSandbox: env.tiktok.url,
      netsuiteSandbox: env.netsuite.url,
    },
    examples: { missing: missing.slice(0, 5), mismatches: mismatches.slice(0, 5) },
  };
}
