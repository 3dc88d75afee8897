/**
 * `tiksuite demo --scenario lifecycle`: a compressed business week from the same one command, on
 * the embedded database. Orders placed in two TikTok shops (seller-shipped and TikTok-shipped,
 * multi-line) and imported by TikSuite; the demo's warehouse ships them by creating item
 * fulfillments in the NetSuite sandbox through its REST API (whole and partial, one and several per
 * order, some tracking numbers corrected later); TikSuite pushes the tracking to TikTok; carriers
 * collect and deliver in the TikTok sandbox. Some buyers cancel (whole orders and some units,
 * before and after import) and, the week after, return some delivered orders (refund only, return
 * and refund, a partial refund) while the seller answers on TikTok; TikSuite books the refunds in
 * NetSuite. The summary comes from the sandboxes' own state; the command exits 1 when it finds
 * anything missing, duplicated or mismatched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { salesOrderExternalId } from '../../flows/orders/index.ts';
import { createLogger } from '../../shared/log.ts';
import { untilInterrupted } from './demo.ts';
import { DEMO_SETTLEMENTS, type DemoEnv, startDemoEnv } from './demo-env.ts';
import { percentile } from './demo-summary.ts';
import { type FulfillmentVerdict, fulfillmentVerdict } from './fulfillment-summary.ts';
import { WEEKDAYS } from './lifecycle-event.ts';
import { playReturns, type ReturnsPlay } from './lifecycle-returns.ts';
import { playSettlements, type SettlementsPlay } from './lifecycle-settlements.ts';
import { playWeek, type WeekResult } from './lifecycle-week.ts';
import { type ReturnsSection, renderReturns, returnsPassed, returnsSection } from './returns-section.ts';
import type { ReturnsVerdict } from './returns-summary.ts';
import { type SettlementsSection, settlementsPassed, settlementsSection } from './settlements-section.ts';
import { carrierMapping, shipMethodRefs, Warehouse, warehouseClient } from './warehouse.ts';

export interface LifecycleDemoOptions {
  orders: number;
  json: boolean;
  hold: boolean;
  tiktokPort: number;
  netsuitePort: number;
  port: number;
  /** Stop waiting for a step of the week after this long without progress (default 45 s). */
  stallSeconds?: number;
}

type Ms = { count: number; p50: number | null; p99: number | null };

export interface LifecycleSummary {
  scenario: 'lifecycle';
  days: number;
  shops: number;
  ordersPlaced: number;
  sellerShippedOrders: number;
  tiktokShippedOrders: number;
  salesOrders: number;
  fulfillment: Omit<FulfillmentVerdict, 'examples'> & {
    /** Orders the warehouse shipped in several fulfillments (partial shipments). */
    ordersShippedInParts: number;
    /** Fulfillments of TikTok-shipped orders (each waits for TikTok's number written back). */
    tiktokShippingFulfillments: number;
    trackingCorrections: number;
    /** NetSuite fulfillment created -> its tracking number on TikTok. */
    toTikTokMs: Ms;
    /** Tracking number corrected in NetSuite -> the corrected number on TikTok. */
    correctionToTikTokMs: Ms;
    /** TikTok shipping: NetSuite fulfillment created -> TikTok's tracking number on it in NetSuite. */
    writtenBackMs: Ms;
  };
  /** Cancellations, returns and refunds: what buyers and the seller did, and the verdict. */
  returns: ReturnsSection;
  /** Statements and payouts: booked in NetSuite, and the tie-out (docs/settlements.md). */
  settlements: SettlementsSection;
  /**
   * No fulfillment or refund missing, duplicated or mismatched, no cancelled unit still open, every
   * statement and payout booked once and the tie-out with nothing unmatched or unexplained.
   */
  passed: boolean;
  /** The placed orders' TikTok status at the end (carriers collect and deliver on the sandbox clock). */
  tiktokOrderStatus: Record<string, number>;
  errorsByClass: Record<string, number>;
  /** Steps of the week given up after the stall time (empty when everything arrived). */
  stalled: string[];
  durationSeconds: number;
  urls: { api: string; dashboard: string; tiktokSandbox: string; netsuiteSandbox: string };
  examples: FulfillmentVerdict['examples'] & {
    returns: ReturnsVerdict['examples'];
    warehouseErrors: string[];
    /** Buyer and seller actions the TikTok sandbox refused. */
    buyerErrors: string[];
    /** The largest groups of open error records: count, code and a message. */
    errors: string[];
  };
}

/** Runs the scenario; resolves with the summary once printed (and, with --hold, after Ctrl-C). */
export async function runLifecycleDemo(
  o: LifecycleDemoOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<LifecycleSummary> {
  const home = mkdtempSync(join(tmpdir(), 'tiksuite-demo-lifecycle-'));
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const startedAt = Date.now();
  say(
    `demo: starting the TikTok and NetSuite sandboxes and TikSuite with the fulfillment flow (data in ${home})`,
  );
  const env = await startDemoEnv({
    env: { TIKSUITE_HOME: home, LOG_LEVEL: 'warn' },
    log: createLogger({ level: 'warn' }),
    tiktokPort: o.tiktokPort,
    netsuitePort: o.netsuitePort,
    port: o.port,
    // The clock is moved by hand, day by day (lifecycle-week.ts).
    speed: 0,
    business: DEMO_FINANCE_BUSINESS,
    fulfillment: { carriers: carrierMapping() },
    config: { settlements: DEMO_SETTLEMENTS },
  });
  try {
    say(
      `demo: TikSuite on ${env.url}, TikTok sandbox ${env.tiktok.url}, NetSuite sandbox ${env.netsuite.url}`,
    );
    say(`demo: a business week (${WEEKDAYS.join(' ')}): ${o.orders} orders over ${env.shops.length} shops`);
    const warehouse = new Warehouse({
      netsuite: warehouseClient(env.config.netsuite!),
      shipMethods: await shipMethodRefs(env),
    });
    const week = await playWeek(env, warehouse, {
      orders: o.orders,
      stallMs: (o.stallSeconds ?? 45) * 1000,
      say,
    });
    const after = await playReturns(env, week, { stallMs: (o.stallSeconds ?? 45) * 1000, say });
    const money = await playSettlements(env, week, { stallMs: (o.stallSeconds ?? 45) * 1000, say });
    const summary = await lifecycleSummary(env, week, after, money, startedAt);
    out.write(o.json ? `${JSON.stringify(summary)}\n` : render(summary));
    if (o.hold) await untilInterrupted(say, env.url);
    return summary;
  } finally {
    await env.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * The TikTok sandbox's business settings for the week: carriers collect after 4 h and deliver 2 days
 * later; TikTok withholds 10 % of each positive statement for 3 days and charges a 5 % creator
 * commission (affiliate_commission) on every line, so the statements show reserves and a fee key of
 * their own.
 */
export const DEMO_FINANCE_BUSINESS = {
  autoCollectSeconds: 4 * 3600,
  autoDeliverSeconds: 2 * 86_400,
  reserveRate: '0.10',
  reserveHoldDays: 3,
  extraFees: [{ key: 'affiliate_commission', rate: '0.05' }],
};

const ms = (xs: number[]): Ms => ({
  count: xs.length,
  p50: percentile(xs, 50),
  p99: percentile(xs, 99),
});

export async function lifecycleSummary(
  env: DemoEnv,
  week: WeekResult,
  after: ReturnsPlay,
  money: SettlementsPlay,
  startedAt: number,
): Promise<LifecycleSummary> {
  const placed = new Map(week.orders.map((x) => [x.orderId, x.shopId]));
  const { examples, ...verdict } = fulfillmentVerdict(env, placed);
  const { examples: returnExamples, ...returns } = returnsSection(env, placed, week, after);
  const store = env.netsuite.state.engine.store;
  const tiktokOrders = week.orders.flatMap((x) => env.tiktok.ctx.state.orders.get(x.orderId) ?? []);
  const salesOrders = week.orders.filter((x) =>
    store.byExternalId('salesOrder', salesOrderExternalId(x.shopId, x.orderId)),
  );
  const shippedInParts = Map.groupBy(week.fulfillments, (f) => f.order.orderId);
  const settlements = await settlementsSection(env, money);
  return {
    scenario: 'lifecycle',
    days: WEEKDAYS.length,
    shops: env.shops.length,
    ordersPlaced: week.orders.length,
    sellerShippedOrders: week.orders.filter((x) => x.shipping === 'SELLER').length,
    tiktokShippedOrders: week.orders.filter((x) => x.shipping === 'TIKTOK').length,
    salesOrders: salesOrders.length,
    fulfillment: {
      ...verdict,
      ordersShippedInParts: [...shippedInParts.values()].filter((fs) => fs.length > 1).length,
      tiktokShippingFulfillments: week.fulfillments.filter((f) => f.order.shipping === 'TIKTOK').length,
      trackingCorrections: week.corrections,
      toTikTokMs: ms(week.watch.toTikTokMs),
      correctionToTikTokMs: ms(week.watch.correctionToTikTokMs),
      writtenBackMs: ms(week.watch.writtenBackMs),
    },
    returns,
    settlements,
    passed:
      verdict.missing === 0 &&
      verdict.shippedTwice === 0 &&
      verdict.trackingMismatches === 0 &&
      returnsPassed(returns) &&
      settlementsPassed(settlements),
    tiktokOrderStatus: Object.fromEntries(
      [...Map.groupBy(tiktokOrders, (t) => t.status)].map(([k, v]) => [k, v.length]),
    ),
    errorsByClass: await env.rt.stores.errors.countsByClass(),
    stalled: [...week.stalled, ...after.stalled, ...money.stalled],
    durationSeconds: Math.round((Date.now() - startedAt) / 100) / 10,
    urls: {
      api: env.url,
      dashboard: env.loginUrl,
      tiktokSandbox: env.tiktok.url,
      netsuiteSandbox: env.netsuite.url,
    },
    examples: {
      ...examples,
      returns: returnExamples,
      warehouseErrors: week.warehouseErrors.slice(0, 5),
      buyerErrors: [...week.buyerErrors, ...after.errors, ...money.errors].slice(0, 5),
      errors: (await env.rt.stores.errors.groups())
        .slice(0, 5)
        .map((g) => `${g.count} x ${g.code} (${g.flow_id}): ${g.message}`),
    },
  };
}

function render(s: LifecycleSummary): string {
  const f = s.fulfillment;
  const t = (m: Ms) => (m.p50 === null ? '-' : `p50 ${m.p50} ms, p99 ${m.p99} ms (${m.count})`);
  const kv = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  return [
    '',
    `TikSuite lifecycle demo: a business week (${s.days} days, ${s.shops} shops), from the sandboxes' own state`,
    `  orders placed in TikTok        ${s.ordersPlaced} (${s.sellerShippedOrders} seller-shipped, ${s.tiktokShippedOrders} shipped by TikTok)`,
    `  sales orders in NetSuite       ${s.salesOrders}`,
    `  NetSuite fulfillments          ${f.netsuiteFulfillments} (${f.ordersShippedInParts} orders shipped in parts, ${f.trackingCorrections} tracking numbers corrected)`,
    `  packages shipped on TikTok     ${f.packagesShippedOnTikTok}`,
    `  tracking mismatches            ${f.trackingMismatches}`,
    `  missing on TikTok              ${f.missing}`,
    `  shipped twice                  ${f.shippedTwice}`,
    `  NetSuite -> TikTok tracking    ${t(f.toTikTokMs)}`,
    `  correction -> TikTok           ${t(f.correctionToTikTokMs)}`,
    `  TikTok's number -> NetSuite    ${t(f.writtenBackMs)} (TikTok shipping)`,
    ...renderReturns(s.returns),
    ...Object.values(s.examples.returns)
      .flat()
      .map((e) => `    ${e}`),
    ...renderSettlements(s.settlements),
    `  TikTok orders now              ${kv(s.tiktokOrderStatus)}`,
    `  error records                  ${kv(s.errorsByClass)}`,
    ...s.examples.errors.map((e) => `    ${e}`),
    ...(s.stalled.length ? [`  gave up waiting               ${s.stalled.join('; ')}`] : []),
    ...(s.examples.warehouseErrors.length
      ? [`  warehouse errors               ${s.examples.warehouseErrors.join('; ')}`]
      : []),
    ...(s.examples.buyerErrors.length
      ? [`  refused by TikTok              ${s.examples.buyerErrors.join('; ')}`]
      : []),
    `  verdict                        ${s.passed ? 'passed' : 'FAILED (exit code 1): something is missing, duplicated or mismatched'}`,
    `  dashboard                      ${s.urls.dashboard}`,
    '',
  ].join('\n');
}

function renderSettlements(m: SettlementsSection): string[] {
  const reserves = Object.entries(m.reserves)
    .map(([cur, r]) => `${r.withheld} ${cur} withheld, ${r.released} ${cur} released`)
    .join('; ');
  const t = m.tieOut;
  return [
    `  TikTok statements              ${m.statements} (${m.currencies.join(', ')}; ${m.negativeStatements} negative, ${m.republished} republished, ${m.adjustments} adjustments, ${m.lateRefunds} refunds after settlement)`,
    `  booked in NetSuite             ${m.booked} journal entries as TikTok states them, ${m.unbalancedEntries} unbalanced`,
    `  payouts                        ${m.payouts} (${m.paid} paid, ${m.payoutsMatched} deposited to the cent)`,
    `  reserves                       ${reserves || 'none'}`,
    `  tie-out                        ${t.ordersMatched} orders matched, ${t.unmatched} unmatched, ${t.unexplainedCents} cents unexplained, ${t.findings} findings`,
    ...m.examples.findings.map((f) => `    ${f}`),
  ];
}
