/**
 * Settlement figures (accounting reference §3.1, API reference §8). Each line's figures satisfy, to
 * the cent,
 *   settlement = net_sales + shipping_cost + fee + adjustment      (UK/US local sellers)
 * with fees and costs negative (202309 convention); orders and statements are sums of lines, so the
 * identity holds at every level. A refund that completed before the order settled (frozen on the
 * line, refunds.ts) enters the sale's own figures; one that completed after enters a later
 * statement as refund figures and fee reversals only (lateRefundLines). The daily run is
 * statements.ts, payouts payouts.ts.
 */
import { allocateMoney, parseMoney } from '../../../shared/money.ts';
import { applyRate, type Ctx } from './context.ts';
import type { Adjustment, LineSettlement, Order, OrderLine, OrderSettlement, Statement } from './model.ts';
import { lineGoods, refundTotal } from './refunds.ts';

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

/** business.extraFees on a line: -rate x (original - seller discount), or 0 when not charged. */
function extraFees(ctx: Ctx, l: OrderLine, charged: boolean): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const f of ctx.settings.business.extraFees) {
    out[f.key] = charged ? -applyRate(l.original - l.sellerDiscount, f.rate) : 0n;
  }
  return out;
}

function refundAdminFee(ctx: Ctx, referral: bigint, currency: string): bigint {
  const b = ctx.settings.business;
  const cap = parseMoney(b.refundAdminCap, currency, 'refundAdminCap').minor;
  return -minBig(applyRate(referral, b.refundAdminRate), cap);
}

/** The sale of an order's active lines, with the refunds frozen on them so far. */
export function settleLines(ctx: Ctx, order: Order): LineSettlement[] {
  const b = ctx.settings.business;
  const lines = order.lines.filter((l) => !l.cancelled);
  const weights = lines.map((l) => (l.original > 0n ? l.original : 1n));
  const label =
    order.shippingType === 'TIKTOK' ? parseMoney(b.labelCost, order.currency, 'labelCost').minor : 0n;
  const shipShares = allocateMoney({ minor: order.shippingFee, currency: order.currency }, weights);
  const labelShares = allocateMoney({ minor: label, currency: order.currency }, weights);
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
      refundAdminFee: whole ? refundAdminFee(ctx, referral, order.currency) : 0n,
      extraFees: extraFees(ctx, l, !whole),
    };
  });
}

/**
 * Refunds that completed after `sale` settled: only the refund figures of these lines. A line
 * refunded in full gets back the referral, transaction and extra fees its sale paid (positive) and
 * pays the refund administration fee; a partial refund keeps the fees, like before settlement.
 */
export function lateRefundLines(
  ctx: Ctx,
  order: Order,
  lineIds: readonly string[],
  sale: OrderSettlement,
): LineSettlement[] {
  return lineIds.map((id) => {
    const l = order.lines.find((x) => x.id === id)!;
    const sold = sale.lines.find((x) => x.lineId === id);
    const { whole, ...refund } = refundFigures(l);
    const back = (x: bigint | undefined) => (whole ? -(x ?? 0n) : 0n);
    const extra: Record<string, bigint> = {};
    for (const [key, amount] of Object.entries(sold?.extraFees ?? {})) extra[key] = back(amount);
    return {
      lineId: l.id,
      skuId: l.skuId,
      grossSales: 0n,
      sellerDiscount: 0n,
      platformDiscount: 0n,
      customerPayment: 0n,
      salesTax: 0n,
      customerShippingFee: 0n,
      ...refund,
      actualShippingFee: 0n,
      referralFee: back(sold?.referralFee),
      transactionFee: back(sold?.transactionFee),
      refundAdminFee: whole ? refundAdminFee(ctx, -(sold?.referralFee ?? 0n), order.currency) : 0n,
      extraFees: extra,
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

export function extraFeeTotal(l: LineSettlement): bigint {
  let t = 0n;
  for (const x of Object.values(l.extraFees)) t += x;
  return t;
}

export function lineTotals(l: LineSettlement): Totals {
  const netSales = l.grossSales + l.grossSalesRefund + l.sellerDiscount + l.sellerDiscountRefund;
  const shippingCost = l.customerShippingFee + l.customerShippingFeeRefund + l.actualShippingFee;
  const fee = l.referralFee + l.transactionFee + l.refundAdminFee + extraFeeTotal(l);
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

/** The statement's reserve entries, signed (withheld negative, released positive). */
export function reserveTotal(s: Statement): bigint {
  let t = 0n;
  for (const r of s.reserves) t += r.amount;
  return t;
}

/** What the statement pays out: settlement + reserves (reference §8.4 `payable_amount`). */
export function statementPayable(s: Statement): bigint {
  return statementTotals(s).settlement + reserveTotal(s);
}
