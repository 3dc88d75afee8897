/**
 * Daily settlement (accounting reference §3.1, API reference §8): at each 00:00 UTC of simulated
 * time, every shop gets one statement covering the orders completed (and adjustments booked) the
 * day before, and one payment. Each line's figures satisfy, to the cent,
 *   settlement = net_sales + shipping_cost + fee + adjustment      (UK/US local sellers)
 * with fees and costs negative (202309 convention). Refunds (frozen on the lines when they
 * completed, refunds.ts) enter as negative sales, tax and shipping figures of the same lines.
 */
import { allocateMoney, parseMoney } from '../../../shared/money.ts';
import { applyRate, type Ctx } from './context.ts';
import type {
  Adjustment,
  LineSettlement,
  Order,
  OrderLine,
  OrderSettlement,
  Shop,
  Statement,
} from './model.ts';
import { lineGoods, refundTotal } from './refunds.ts';
import { ID_PREFIX } from './rng.ts';

const DAY_MS = 86_400_000;

/** A line's refund as the statement books it: negative amounts are money back to the buyer. */
function refundFigures(l: OrderLine) {
  const r = l.refund;
  // A line refunded in full reverses its sale and its discounts; a partial refund comes out of
  // the seller's sales and leaves the discounts (UNCONFIRMED, see docs/sandbox-tiktok.md).
  const whole = r !== undefined && r.subtotal === lineGoods(l);
  return {
    whole,
    grossSalesRefund: whole ? -l.original : -(r?.subtotal ?? 0n),
    sellerDiscountRefund: whole ? l.sellerDiscount : 0n,
    platformDiscountRefund: whole ? -l.platformDiscount : 0n,
    customerRefund: r ? -refundTotal(r) : 0n,
    salesTaxRefund: -(r?.tax ?? 0n),
    customerShippingFeeRefund: -(r?.shipping ?? 0n),
  };
}

export function settleLines(ctx: Ctx, order: Order): LineSettlement[] {
  const b = ctx.settings.business;
  const lines = order.lines.filter((l) => !l.cancelled);
  const weights = lines.map((l) => (l.original > 0n ? l.original : 1n));
  const label =
    order.shippingType === 'TIKTOK' ? parseMoney(b.labelCost, order.currency, 'labelCost').minor : 0n;
  const shipShares = allocateMoney({ minor: order.shippingFee, currency: order.currency }, weights);
  const labelShares = allocateMoney({ minor: label, currency: order.currency }, weights);
  const cap = parseMoney(b.refundAdminCap, order.currency, 'refundAdminCap').minor;
  return lines.map((l, i) => {
    const ship = shipShares[i]!.minor;
    const customerPayment = lineGoods(l) + l.tax + ship;
    // Referral base: customer payment + platform discount - tax (accounting §3.2).
    const referral = applyRate(customerPayment + l.platformDiscount - l.tax, b.referralFeeRate);
    const { whole, ...refund } = refundFigures(l);
    return {
      lineId: l.id,
      skuId: l.skuId,
      grossSales: l.original,
      sellerDiscount: -l.sellerDiscount,
      platformDiscount: l.platformDiscount,
      customerPayment,
      salesTax: l.tax,
      customerShippingFee: ship,
      ...refund,
      actualShippingFee: -labelShares[i]!.minor,
      referralFee: whole ? 0n : -referral,
      transactionFee: whole ? 0n : -applyRate(customerPayment, b.transactionFeeRate),
      refundAdminFee: whole ? -minBig(applyRate(referral, b.refundAdminRate), cap) : 0n,
    };
  });
}

function minBig(a: bigint, b: bigint): bigint {
  if (a < b) return a;
  return b;
}

export interface Totals {
  netSales: bigint;
  shippingCost: bigint;
  fee: bigint;
  adjustment: bigint;
  settlement: bigint;
}

export function lineTotals(l: LineSettlement): Totals {
  const netSales = l.grossSales + l.grossSalesRefund + l.sellerDiscount + l.sellerDiscountRefund;
  const shippingCost = l.customerShippingFee + l.customerShippingFeeRefund + l.actualShippingFee;
  const fee = l.referralFee + l.transactionFee + l.refundAdminFee;
  return { netSales, shippingCost, fee, adjustment: 0n, settlement: netSales + shippingCost + fee };
}

export function sumTotals(items: Totals[]): Totals {
  const t: Totals = { netSales: 0n, shippingCost: 0n, fee: 0n, adjustment: 0n, settlement: 0n };
  for (const x of items) {
    t.netSales += x.netSales;
    t.shippingCost += x.shippingCost;
    t.fee += x.fee;
    t.adjustment += x.adjustment;
    t.settlement += x.settlement;
  }
  return t;
}

export function orderTotals(o: OrderSettlement): Totals {
  return sumTotals(o.lines.map(lineTotals));
}

export function adjustmentTotals(a: Adjustment): Totals {
  return { netSales: 0n, shippingCost: 0n, fee: 0n, adjustment: a.amount, settlement: a.amount };
}

export function statementTotals(s: Statement): Totals {
  return sumTotals([...s.orders.map(orderTotals), ...s.adjustments.map(adjustmentTotals)]);
}

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
    if (expires > now && expires - now <= 30 * 86_400) {
      ctx.emit(shop.id, 7, { message: 'authorization expires soon', expiration_time: String(expires) });
    }
  }
}

export function runSettlement(ctx: Ctx, boundaryMs: number): Statement[] {
  const out: Statement[] = [];
  for (const shop of ctx.state.shops.values()) {
    const s = settleShop(ctx, shop, boundaryMs);
    if (s) out.push(s);
  }
  return out;
}

function settleShop(ctx: Ctx, shop: Shop, boundaryMs: number): Statement | undefined {
  const pending = ctx.state.pendingSettlement(shop.id);
  if (pending.orders.length === 0 && pending.adjustments.length === 0) return undefined;
  const boundary = Math.floor(boundaryMs / 1000);
  const statement: Statement = {
    id: ctx.ids.next(ID_PREFIX.statement),
    shopId: shop.id,
    currency: shop.currency,
    statementTime: ctx.settings.business.statementTimeIs === 'period_end' ? boundary : boundary - 86_400,
    paymentId: ctx.ids.next(ID_PREFIX.payment),
    orders: pending.orders.map((o) => ({
      orderId: o.id,
      transactionId: ctx.ids.next(ID_PREFIX.transaction),
      orderCreateTime: o.createTime,
      lines: settleLines(ctx, o),
    })),
    adjustments: pending.adjustments,
  };
  for (const o of pending.orders) o.statementId = statement.id;
  for (const a of pending.adjustments) a.statementId = statement.id;
  pending.orders = [];
  pending.adjustments = [];
  ctx.state.statements.add(statement);
  ctx.state.payments.add({
    id: statement.paymentId,
    shopId: shop.id,
    currency: shop.currency,
    statementId: statement.id,
    amount: statementTotals(statement).settlement,
    createTime: boundary,
    paidTime: boundary + 86_400,
  });
  return statement;
}

/** Admin: a chargeback/compensation booked into the next statement. */
export function addAdjustment(
  ctx: Ctx,
  shop: Shop,
  input: { amount: string; type?: string | undefined; order_id?: string | undefined },
): Adjustment {
  const a: Adjustment = {
    id: ctx.ids.next(ID_PREFIX.adjustment),
    shopId: shop.id,
    type: input.type ?? 'OTHER_ADJUSTMENT',
    amount: parseMoney(input.amount, shop.currency, 'amount').minor,
    orderId: input.order_id ?? '',
    createTime: ctx.sim.nowSeconds(),
    statementId: undefined,
  };
  ctx.state.pendingSettlement(shop.id).adjustments.push(a);
  return a;
}
