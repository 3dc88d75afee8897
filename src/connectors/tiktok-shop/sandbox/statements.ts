/**
 * The daily run (accounting reference §3.1, API reference §8): at each 00:00 UTC of simulated
 * time every shop with something to settle gets one statement covering the day before: orders
 * completed, refunds that completed after their order settled, adjustments booked, reserves due
 * for release. Then each shop's unpaid statements are paid when they reach the minimum payout
 * (payouts.ts). Figures: settlement.ts.
 */
import { parseMoney } from '../../../shared/money.ts';
import { applyRate, type Ctx, invalidState, SandboxError } from './context.ts';
import type { Adjustment, Order, OrderSettlement, ReserveEntry, Shop, Statement } from './model.ts';
import { payShop, statementPaymentStatus } from './payouts.ts';
import { ID_PREFIX } from './rng.ts';
import { lateRefundLines, settleLines, statementTotals } from './settlement.ts';

const DAY_MS = 86_400_000;
const DAY = 86_400;

/** Schedules the first daily run at the next 00:00 UTC of simulated time. */
export function scheduleDailySettlement(ctx: Ctx): void {
  const next = (Math.floor(ctx.sim.now() / DAY_MS) + 1) * DAY_MS;
  ctx.sim.at(next, () => {
    runSettlement(ctx, next);
    warnExpiringAuthorizations(ctx);
    scheduleDailySettlement(ctx);
  });
}

/** §3.3: UPCOMING_AUTHORIZATION_EXPIRATION (type 7) 30 days ahead, then daily. */
function warnExpiringAuthorizations(ctx: Ctx): void {
  const now = Math.floor(ctx.wall.now() / 1000);
  for (const shop of ctx.state.shops.values()) {
    const expires = shop.authorization.refreshExpiresAt;
    if (expires > now && expires - now <= 30 * DAY) {
      ctx.emit(shop.id, 7, { message: 'authorization expires soon', expiration_time: String(expires) });
    }
  }
}

export function runSettlement(ctx: Ctx, boundaryMs: number): Statement[] {
  const boundary = Math.floor(boundaryMs / 1000);
  const out: Statement[] = [];
  for (const shop of ctx.state.shops.values()) {
    const s = settleShop(ctx, shop, boundary);
    if (s) out.push(s);
  }
  for (const shop of ctx.state.shops.values()) payShop(ctx, shop, boundary);
  return out;
}

function settleShop(ctx: Ctx, shop: Shop, boundary: number): Statement | undefined {
  const pending = ctx.state.pendingSettlement(shop.id);
  const releases = dueReleases(ctx, shop, boundary);
  const idle = pending.orders.length + pending.adjustments.length + pending.refunds.length === 0;
  if (idle && releases.length === 0) return undefined;
  const statement: Statement = {
    id: ctx.ids.next(ID_PREFIX.statement),
    shopId: shop.id,
    currency: shop.currency,
    statementTime: ctx.settings.business.statementTimeIs === 'period_end' ? boundary : boundary - DAY,
    boundary,
    paymentId: '',
    orders: [...pending.orders.map((o) => saleOf(ctx, o)), ...lateRefunds(ctx, pending.refunds)],
    adjustments: pending.adjustments,
    reserves: releases,
  };
  for (const o of pending.orders) o.statementId = statement.id;
  for (const a of pending.adjustments) a.statementId = statement.id;
  for (const o of statement.orders) ctx.state.listOf(ctx.state.orderStatements, o.orderId).push(statement.id);
  pending.orders = [];
  pending.adjustments = [];
  pending.refunds = [];
  withholdReserve(ctx, statement);
  ctx.state.statements.add(statement);
  ctx.state.listOf(ctx.state.unpaid, shop.id).push(statement);
  return statement;
}

function saleOf(ctx: Ctx, o: Order): OrderSettlement {
  return {
    kind: 'SALE',
    orderId: o.id,
    transactionId: ctx.ids.next(ID_PREFIX.transaction),
    orderCreateTime: o.createTime,
    lines: settleLines(ctx, o),
  };
}

/** One REFUND transaction per order, however many of its refunds completed that day. */
function lateRefunds(ctx: Ctx, refunds: Array<{ order: Order; lineIds: string[] }>): OrderSettlement[] {
  const byOrder = new Map<string, { order: Order; lineIds: string[] }>();
  for (const r of refunds) {
    const e = byOrder.get(r.order.id) ?? { order: r.order, lineIds: [] };
    e.lineIds.push(...r.lineIds);
    byOrder.set(r.order.id, e);
  }
  return [...byOrder.values()].map(({ order, lineIds }) => {
    const sale = ctx.state.statements
      .get(order.statementId!)!
      .orders.find((o) => o.kind === 'SALE' && o.orderId === order.id)!;
    return {
      kind: 'REFUND',
      orderId: order.id,
      transactionId: ctx.ids.next(ID_PREFIX.transaction),
      orderCreateTime: order.createTime,
      lines: lateRefundLines(ctx, order, lineIds, sale),
    };
  });
}

/** A refund of these lines completed: after the order settled it waits for the next statement. */
export function noteRefund(ctx: Ctx, order: Order, lineIds: readonly string[]): void {
  if (order.statementId === undefined) return;
  ctx.state.pendingSettlement(order.shopId).refunds.push({ order, lineIds: [...lineIds] });
}

/** Reserves whose release time has come, given back in this statement (same reserve id). */
function dueReleases(ctx: Ctx, shop: Shop, boundary: number): ReserveEntry[] {
  const holds = ctx.state.listOf(ctx.state.reserveHolds, shop.id);
  const due = holds.filter((h) => h.releaseTime <= boundary);
  if (due.length === 0) return [];
  ctx.state.reserveHolds.set(
    shop.id,
    holds.filter((h) => h.releaseTime > boundary),
  );
  return due.map((h) => ({
    transactionId: ctx.ids.next(ID_PREFIX.transaction),
    reserveId: h.reserveId,
    amount: h.amount,
    status: 'RELEASED',
    estimatedReleaseTime: h.releaseTime,
  }));
}

/** `reserveRate` of a positive settlement, withheld until `reserveHoldDays` after the boundary. */
function withholdReserve(ctx: Ctx, s: Statement): void {
  const b = ctx.settings.business;
  const settlement = statementTotals(s).settlement;
  if (settlement <= 0n) return;
  const held = applyRate(settlement, b.reserveRate);
  if (held <= 0n) return;
  const reserveId = ctx.ids.next(ID_PREFIX.reserve);
  const releaseTime = s.boundary + b.reserveHoldDays * DAY;
  s.reserves.push({
    transactionId: ctx.ids.next(ID_PREFIX.transaction),
    reserveId,
    amount: -held,
    status: 'COLLECTED',
    estimatedReleaseTime: releaseTime,
  });
  ctx.state.listOf(ctx.state.reserveHolds, s.shopId).push({ reserveId, amount: held, releaseTime });
}

export interface AdjustmentInput {
  amount: string;
  type?: string | undefined;
  order_id?: string | undefined;
}

function newAdjustment(ctx: Ctx, shop: Shop, input: AdjustmentInput): Adjustment {
  return {
    id: ctx.ids.next(ID_PREFIX.adjustment),
    shopId: shop.id,
    type: input.type ?? 'OTHER_ADJUSTMENT',
    amount: parseMoney(input.amount, shop.currency, 'body.amount').minor,
    orderId: input.order_id ?? '',
    createTime: ctx.sim.nowSeconds(),
    statementId: undefined,
  };
}

/** Admin: a chargeback/compensation booked into the next statement. */
export function addAdjustment(ctx: Ctx, shop: Shop, input: AdjustmentInput): Adjustment {
  const a = newAdjustment(ctx, shop, input);
  ctx.state.pendingSettlement(shop.id).adjustments.push(a);
  return a;
}

/**
 * Admin: TikTok republishes a statement with one more adjustment (same id; its totals and its
 * payment's amounts change). A statement already paid out cannot change (HTTP 409).
 */
export function republishStatement(ctx: Ctx, s: Statement, input: AdjustmentInput): Adjustment {
  if (statementPaymentStatus(ctx, s) === 'PAID') {
    const e = invalidState(ctx, `statement ${s.id} is already PAID (payment ${s.paymentId})`);
    throw new SandboxError(e.code, e.message, 409);
  }
  const a = newAdjustment(ctx, ctx.state.shops.get(s.shopId)!, input);
  a.statementId = s.id;
  s.adjustments.push(a);
  return a;
}
