/**
 * The lifecycle scenario's money (docs/demo-lifecycle.md "Settlements"): after the returns week, the
 * TikTok sandbox's clock runs on day by day; each 00:00 UTC closes the day's statement per shop (the
 * orders completed 7 days after delivery, reserves withheld and released, adjustments) and pays the
 * balance a day later. On the way:
 *   - a chargeback on a US order and a compensation on a GB order (adjustments);
 *   - a statement republished by TikTok while its payout is still processing (TikSuite must update
 *     its journal entry, not book a second);
 *   - buyers refunded after their orders settled, on a day with nothing else to settle: a negative
 *     statement, netted into a later payout.
 * After each day the demo waits until TikSuite booked every statement as TikTok now states it and
 * every paid payout (read from the NetSuite sandbox), waking TikSuite's poller when progress pauses.
 */
import type { TikTokShopApi } from '../../connectors/tiktok-shop/index.ts';
import { paymentStatus } from '../../connectors/tiktok-shop/sandbox/payouts.ts';
import { returnExternalId } from '../../flows/aftersale/index.ts';
import { financeExternalId } from '../../flows/settlements/index.ts';
import { admin, type DemoEnv } from './demo-env.ts';
import { clockTo, DAY, HOUR, type LifecycleOrder } from './lifecycle-event.ts';
import type { WeekResult } from './lifecycle-week.ts';
import { entryClearing, entryPayable } from './settlements-section.ts';

export interface SettlementsPlay {
  adjustments: number;
  republished: string[];
  lateRefunds: string[];
  /** The TikTok returns of those refunds. */
  lateReturns: Array<{ shopId: string; returnId: string }>;
  stalled: string[];
  errors: string[];
}

/** The first day after the returns week the clock moves to, and the last (statements of day-1 closed). */
const FIRST_DAY = 13;
const REPUBLISH_DAY = 15;
const QUIET_DAY = 20;
const LAST_DAY = 26;

export async function playSettlements(
  env: DemoEnv,
  week: Pick<WeekResult, 't0' | 'orders'>,
  o: { stallMs: number; say?: (line: string) => void },
): Promise<SettlementsPlay> {
  const say = o.say ?? (() => {});
  const play: SettlementsPlay = {
    adjustments: 0,
    republished: [],
    lateRefunds: [],
    lateReturns: [],
    stalled: [],
    errors: [],
  };
  const act = (what: string, p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (err: unknown) => void play.errors.push(`${what}: ${String(err)}`),
    );
  const at = (day: number, hour: number) => clockTo(env, week.t0, day * DAY + hour * HOUR);
  const book = async (label: string) => {
    if (!(await booked(env, o.stallMs))) play.stalled.push(`settlements: ${label}`);
  };
  for (let day = FIRST_DAY; day <= LAST_DAY; day++) {
    at(day, 1);
    await book(`day ${day}`);
    const state = env.tiktok.ctx.state;
    say(`demo: settlements: day ${day}: ${state.statements.size} statements, ${state.payments.size} payouts`);
    if (day === FIRST_DAY + 1) await adjustments(env, week.orders, play, act);
    if (day === REPUBLISH_DAY) {
      at(day, 10);
      await republish(env, play, act);
      await book(`day ${day}, after the republished statement`);
    }
    if (day === QUIET_DAY) {
      at(day, 10);
      await lateRefunds(env, week.orders, play, act);
      if (!(await credited(env, play, o.stallMs)))
        play.stalled.push('settlements: refunds after settlement in NetSuite');
      await book(`day ${day}, after the late refunds`);
    }
  }
  return play;
}

/** A chargeback on a US order and a compensation on a GB order, booked into the next statements. */
async function adjustments(
  env: DemoEnv,
  orders: readonly LifecycleOrder[],
  play: SettlementsPlay,
  act: (what: string, p: Promise<unknown>) => Promise<void>,
): Promise<void> {
  for (const [region, amount, type] of [
    ['US', '-12.00', 'CHARGE_BACK'],
    ['GB', '3.50', 'PLATFORM_COMPENSATION'],
  ] as const) {
    const shop = env.shops.find((s) => s.region === region);
    const order = orders.find((x) => x.shopId === shop?.id);
    if (!shop || !order) continue;
    const body = { shop_id: shop.id, amount, type, order_id: order.orderId };
    await act(`${type} on ${order.orderId}`, admin(env.tiktok.url, 'POST', '/adjustments', body));
    play.adjustments++;
  }
}

/** TikTok republishes the newest statement whose payout is still processing: one more adjustment line. */
async function republish(
  env: DemoEnv,
  play: SettlementsPlay,
  act: (what: string, p: Promise<unknown>) => Promise<void>,
): Promise<void> {
  const { ctx } = env.tiktok;
  const open = [...ctx.state.statements.byId.values()].filter((s) => {
    const p = s.paymentId ? ctx.state.payments.get(s.paymentId) : undefined;
    return p && paymentStatus(ctx, p) === 'PROCESSING';
  });
  const s = open.at(-1);
  if (!s) return;
  await act(
    `republish ${s.id}`,
    admin(env.tiktok.url, 'POST', `/statements/${s.id}/republish`, {
      amount: '-2.25',
      type: 'PLATFORM_COMMISSION_ADJUSTMENT',
    }),
  );
  play.republished.push(s.id);
}

/** Buyers of two settled US orders get a refund (refund only, approved by the seller on TikTok). */
async function lateRefunds(
  env: DemoEnv,
  orders: readonly LifecycleOrder[],
  play: SettlementsPlay,
  act: (what: string, p: Promise<unknown>) => Promise<void>,
): Promise<void> {
  const state = env.tiktok.ctx.state;
  const us = env.shops.find((s) => s.region === 'US');
  const settled = orders.filter((x) => {
    const o = state.orders.get(x.orderId);
    return x.shopId === us?.id && o?.status === 'COMPLETED' && o.statementId && o.openReturnIds.size === 0;
  });
  const picks = settled
    .filter((x) => ![...state.returns.byId.values()].some((r) => r.orderId === x.orderId))
    .slice(0, 2);
  const services = env.rt.orders?.services;
  if (!services) return;
  for (const x of picks) {
    const api: TikTokShopApi = await services.shops.api(x.shopId);
    await act(
      `late refund on ${x.orderId}`,
      admin<{ return_id: string }>(env.tiktok.url, 'POST', `/orders/${x.orderId}/return`, {
        return_type: 'REFUND',
      }).then(async (r) => {
        await api.returns.approveReturn(r.return_id, { decision: 'APPROVE_REFUND' });
        play.lateRefunds.push(x.orderId);
        play.lateReturns.push({ shopId: x.shopId, returnId: r.return_id });
      }),
    );
  }
}

/** Waits until TikSuite credited the refunds after settlement (returns flow), or nothing moved for stallMs. */
async function credited(env: DemoEnv, play: SettlementsPlay, stallMs: number): Promise<boolean> {
  const store = env.netsuite.state.engine.store;
  const prefix = env.config.mappings.externalIdPrefix;
  const start = Date.now();
  env.rt.aftersale?.poller.wake();
  for (;;) {
    const open = play.lateReturns.filter(
      (r) => !store.byExternalId('creditMemo', returnExternalId(prefix, r.shopId, 'credit', r.returnId)),
    );
    if (open.length === 0) return true;
    if (Date.now() - start > stallMs) return false;
    if (Date.now() - start > 2000) env.rt.aftersale?.poller.wake();
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Statements and paid payouts TikTok has that NetSuite does not show booked as TikTok now states them. */
export function unbookedFinance(env: DemoEnv): number {
  const { ctx } = env.tiktok;
  const store = env.netsuite.state.engine.store;
  const prefix = env.config.mappings.externalIdPrefix;
  let n = 0;
  for (const s of ctx.state.statements.byId.values()) {
    const je = store.byExternalId('journalEntry', financeExternalId(prefix, s.shopId, 'stmt', s.id));
    if (!je || entryClearing(je, s.currency) !== entryPayable(env, s)) n++;
  }
  for (const p of ctx.state.payments.byId.values()) {
    if (paymentStatus(ctx, p) !== 'PAID') continue;
    if (!store.byExternalId('deposit', financeExternalId(prefix, p.shopId, 'pay', p.id))) n++;
  }
  return n;
}

/** Waits until every statement and paid payout is booked, or nothing moved for stallMs. */
async function booked(env: DemoEnv, stallMs: number): Promise<boolean> {
  let last = -1;
  let lastChange = Date.now();
  env.rt.settlements?.poller.wake();
  for (;;) {
    const failed = await env.rt.stores.errors.list({ status: 'open', limit: 10_000 });
    const held = failed.filter((e) => e.flowId.startsWith('finance.')).length;
    const n = unbookedFinance(env) - held;
    if (n <= 0) return true;
    if (n !== last) {
      last = n;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) return false;
    if (Date.now() - lastChange > 1000) env.rt.settlements?.poller.wake();
    await new Promise((r) => setTimeout(r, 100));
  }
}
