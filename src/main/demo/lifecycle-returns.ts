/**
 * The lifecycle scenario's week after: buyers return some delivered orders and the seller answers
 * on TikTok, on the TikTok sandbox's hand-moved clock; TikSuite books each refund in NetSuite
 * (docs/returns.md). About 20 % of the delivered orders (at least four, so a small run shows every
 * kind), drawn from the demo's seed, in turn:
 *   - refund only (no parcel): the seller approves it;
 *   - return and refund: the seller approves, the buyer ships the parcel back, the seller accepts it;
 *   - a partial refund: the buyer asks for a refund of one unit, the seller offers a quarter of its
 *     price instead (goods kept), the buyer accepts;
 * some or all of an order's units. Every fourth return of the first two kinds is left to TikTok's
 * deadlines instead (the request approved by the system after 2 days, the parcel accepted 2 days
 * after it was shipped). Buyers act through the admin API, the seller through the real TikTok
 * client (TikSuite's own, with the shop's tokens).
 */
import { z } from 'zod';
import type { TikTokShopApi } from '../../connectors/tiktok-shop/index.ts';
import { RETURN_FLOW, returnExternalId, returnKey } from '../../flows/aftersale/index.ts';
import { formatMoney, parseMoney } from '../../shared/money.ts';
import { admin, type DemoEnv } from './demo-env.ts';
import { clockTo, DAY, HOUR, type LifecycleOrder, rng } from './lifecycle-event.ts';
import type { WeekResult } from './lifecycle-week.ts';
import { openCancelledUnits, REFUND_COMPLETE } from './returns-summary.ts';

export type ReturnKind = 'refund' | 'return' | 'partial';
const KINDS: readonly ReturnKind[] = ['refund', 'return', 'partial'];
const RETURN_SHARE = 0.2;

export interface DemoReturn {
  order: LifecycleOrder;
  kind: ReturnKind;
  /** Left to TikTok's deadlines instead of the seller's decisions. */
  byDeadline: boolean;
  returnId?: string;
  /** TikTok line items (units) returned. */
  lineIds: string[];
}

export interface ReturnsPlay {
  returns: DemoReturn[];
  stalled: string[];
  /** Buyer or seller actions TikTok refused. */
  errors: string[];
}

/** The delivered orders returned, each with its kind, from a seeded shuffle. */
export function pickReturns<O>(
  delivered: readonly O[],
  random: () => number,
): Array<{ order: O; kind: ReturnKind; byDeadline: boolean }> {
  const list = [...delivered];
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  const count = Math.min(list.length, Math.max(KINDS.length + 1, Math.round(list.length * RETURN_SHARE)));
  return list.slice(0, count).map((order, i) => {
    const kind = KINDS[i % KINDS.length]!;
    return { order, kind, byDeadline: i % 4 === 3 && kind !== 'partial' };
  });
}

const AdminOrder = z.looseObject({
  line_items: z.array(
    z.looseObject({
      id: z.string(),
      display_status: z.string(),
      sale_price: z.string(),
      currency: z.string(),
    }),
  ),
});
type Line = z.infer<typeof AdminOrder>['line_items'][number];

/** A partial refund is one unit; otherwise every unit, or (half the time) some of them. */
function pickLines(lines: Line[], kind: ReturnKind, random: () => number): Line[] {
  const start = Math.floor(random() * lines.length);
  if (kind === 'partial') return [lines[start]!];
  if (lines.length < 2 || random() < 0.5) return lines;
  const n = 1 + Math.floor(random() * (lines.length - 1));
  return Array.from({ length: n }, (_, k) => lines[(start + k) % lines.length]!);
}

/** A quarter of the unit's price, in the order currency. */
function quarterOf(l: Line): { amount: string; currency: string } {
  const price = parseMoney(l.sale_price, l.currency, 'sale_price');
  return { amount: formatMoney({ minor: price.minor / 4n, currency: l.currency }), currency: l.currency };
}

/** What the phases share: the world, the seller's client, the clock and the play so far. */
interface Phase {
  env: DemoEnv;
  seller: (shopId: string) => Promise<TikTokShopApi>;
  play: ReturnsPlay;
  /** Runs one buyer or seller action; one TikTok refuses is noted and the week goes on. */
  act: (what: string, p: Promise<unknown>) => Promise<void>;
  /** The seller's partial refund offers. */
  offers: Map<DemoReturn, { amount: string; currency: string }>;
}

export async function playReturns(
  env: DemoEnv,
  week: Pick<WeekResult, 't0' | 'orders'>,
  o: { stallMs: number; seed?: number; say?: (line: string) => void },
): Promise<ReturnsPlay> {
  const say = o.say ?? (() => {});
  const services = env.rt.orders?.services;
  if (!services) throw new Error('demo: TikSuite runs without the order flows, so no seller client');
  const play: ReturnsPlay = { returns: [], stalled: [], errors: [] };
  const x: Phase = {
    env,
    seller: (shopId) => services.shops.api(shopId),
    play,
    act: (what, p) =>
      p.then(
        () => undefined,
        (err: unknown) => void play.errors.push(`${what}: ${String(err)}`),
      ),
    offers: new Map(),
  };
  const at = (day: number, hour: number) => clockTo(env, week.t0, day * DAY + hour * HOUR);
  // Tuesday of the next week, 09:00: buyers of delivered orders open returns.
  at(8, 9);
  await openReturns(x, week.orders, rng((o.seed ?? 12) * 104_729 + 2));
  const opened = play.returns.filter((r) => r.returnId);
  say(`demo: next week: ${opened.length} returns opened`);
  // 11:00: the seller answers in Seller Center; the buyers accept offers and ship parcels.
  at(8, 11);
  for (const r of opened.filter((r) => !r.byDeadline)) await sellerAnswers(x, r);
  // Wednesday: the parcels arrive and the seller accepts them.
  at(9, 11);
  for (const r of opened.filter((r) => !r.byDeadline && r.kind === 'return')) {
    const api = await x.seller(r.order.shopId);
    const receive = api.returns.approveReturn(r.returnId!, { decision: 'APPROVE_RECEIVED_PACKAGE' });
    await x.act(`seller receives ${r.returnId}`, receive);
  }
  // Thursday, past the 2-day deadline: TikTok approved the requests left; those buyers ship parcels.
  at(10, 10);
  for (const r of opened.filter((r) => r.byDeadline && r.kind === 'return'))
    await x.act(
      `buyer ships ${r.returnId}`,
      admin(env.tiktok.url, 'POST', `/returns/${r.returnId}/ship`, {}),
    );
  // Saturday, 2 days later: TikTok accepted the parcels left unanswered.
  at(12, 11);
  if (!(await settleReturns(env, week, play, o.stallMs, say)))
    play.stalled.push('next week: refunds in NetSuite');
  return play;
}

/** Buyers of delivered orders open their returns (admin API). */
async function openReturns(x: Phase, orders: readonly LifecycleOrder[], random: () => number): Promise<void> {
  const { env } = x;
  const state = env.tiktok.ctx.state;
  const delivered = orders.filter((o) => state.orders.get(o.orderId)?.status === 'DELIVERED');
  for (const pick of pickReturns(delivered, random)) {
    const view = AdminOrder.parse(await admin(env.tiktok.url, 'GET', `/orders/${pick.order.orderId}`));
    const open = view.line_items.filter((l) => l.display_status !== 'CANCELLED');
    const lines = pickLines(open, pick.kind, random);
    const r: DemoReturn = { ...pick, lineIds: lines.map((l) => l.id) };
    x.play.returns.push(r);
    if (pick.kind === 'partial') x.offers.set(r, quarterOf(lines[0]!));
    const body = {
      line_item_ids: r.lineIds,
      return_type: pick.kind === 'return' ? 'RETURN_AND_REFUND' : 'REFUND',
    };
    await x.act(
      `return on ${pick.order.orderId}`,
      admin<{ return_id: string }>(env.tiktok.url, 'POST', `/orders/${pick.order.orderId}/return`, body).then(
        (res) => {
          r.returnId = res.return_id;
        },
      ),
    );
  }
}

/** The seller approves (or offers a partial refund) through the client; the buyer answers. */
async function sellerAnswers(x: Phase, r: DemoReturn): Promise<void> {
  const api = await x.seller(r.order.shopId);
  const id = r.returnId!;
  const offer = x.offers.get(r);
  const body = offer
    ? { decision: 'OFFER_PARTIAL_REFUND' as const, partial_refund: offer }
    : { decision: r.kind === 'return' ? ('APPROVE_RETURN' as const) : ('APPROVE_REFUND' as const) };
  await x.act(`seller decides ${id}`, api.returns.approveReturn(id, body));
  const url = x.env.tiktok.url;
  if (offer)
    await x.act(`buyer accepts ${id}`, admin(url, 'POST', `/returns/${id}/offer_response`, { accept: true }));
  if (r.kind === 'return') await x.act(`buyer ships ${id}`, admin(url, 'POST', `/returns/${id}/ship`, {}));
}

/** Completed refunds still without their credit memo or customer refund in NetSuite. */
function unbooked(env: DemoEnv, play: ReturnsPlay, failed: ReadonlySet<string | null>): DemoReturn[] {
  const store = env.netsuite.state.engine.store;
  const prefix = env.config.mappings.externalIdPrefix;
  return play.returns.filter((r) => {
    const id = r.returnId;
    if (!id || env.tiktok.ctx.state.returns.get(id)?.status !== REFUND_COMPLETE) return false;
    if (failed.has(returnKey(r.order.shopId, id))) return false;
    const eid = (kind: 'credit' | 'refund') => returnExternalId(prefix, r.order.shopId, kind, id);
    return (
      !store.byExternalId('creditMemo', eid('credit')) || !store.byExternalId('customerRefund', eid('refund'))
    );
  });
}

/**
 * Waits until every refund TikTok completed has its credit memo and customer refund in NetSuite
 * (or TikSuite holds an open error record for the return), and no cancelled order's sales order
 * still sells cancelled units, or nothing moved for stallMs. When progress pauses it wakes
 * TikSuite's aftersale poller.
 */
async function settleReturns(
  env: DemoEnv,
  week: Pick<WeekResult, 'orders'>,
  play: ReturnsPlay,
  stallMs: number,
  say: (line: string) => void,
): Promise<boolean> {
  let last = -1;
  let lastChange = Date.now();
  let lastSay = 0;
  for (;;) {
    const open = await env.rt.stores.errors.list({ flowId: RETURN_FLOW, limit: 10_000 });
    const waiting = unbooked(env, play, new Set(open.map((e) => e.recordKey)));
    const openLines = week.orders.filter(
      (x) => x.cancelId && openCancelledUnits(env, x.shopId, x.orderId) > 0,
    );
    const n = waiting.length + openLines.length;
    if (Date.now() - lastSay > 1000) {
      lastSay = Date.now();
      say(
        `demo: next week: ${play.returns.length} returns, ${n} refunds or cancellations not yet in NetSuite`,
      );
    }
    if (n === 0) return true;
    if (n !== last) {
      last = n;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) return false;
    if (Date.now() - lastChange > 3000) env.rt.aftersale?.poller.wake();
    await new Promise((r) => setTimeout(r, 200));
  }
}
