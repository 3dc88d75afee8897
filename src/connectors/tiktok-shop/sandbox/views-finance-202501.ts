/** Finance wire shapes of 202501 (reference §8.4): nested breakdowns, reserves, payable amount. */
import type { Ctx } from './context.ts';
import type { Adjustment, LineSettlement, OrderSettlement, ReserveEntry, Statement } from './model.ts';
import { lineTotals, reserveTotal, statementTotals, sumTotals } from './settlement.ts';
import { money } from './views.ts';
import { bySku, extraFields, sumLines } from './views-finance.ts';

/** 202501 nested breakdowns; the sign setting flips fee/cost amounts to positive magnitudes. */
export function nested(ctx: Ctx, lines: LineSettlement[], currency: string): Record<string, unknown> {
  const flip = ctx.settings.business.finance202501Sign === 'positive' ? -1n : 1n;
  const m = (x: bigint) => money(x, currency);
  const c = (x: bigint) => money(x * flip, currency);
  const t = sumTotals(lines.map(lineTotals));
  const s = (f: (l: LineSettlement) => bigint) => sumLines(lines, f);
  return {
    settlement_amount: m(t.settlement),
    revenue_amount: m(t.netSales),
    revenue_breakdown: {
      subtotal_before_discount_amount: m(s((l) => l.grossSales)),
      seller_discount_amount: m(s((l) => l.sellerDiscount)),
      refund_subtotal_before_discount_amount: m(s((l) => l.grossSalesRefund)),
      seller_discount_refund_amount: m(s((l) => l.sellerDiscountRefund)),
    },
    shipping_cost_amount: c(t.shippingCost),
    shipping_cost_breakdown: {
      actual_shipping_fee_amount: c(s((l) => l.actualShippingFee)),
      customer_paid_shipping_fee_amount: c(s((l) => l.customerShippingFee)),
      supplementary_component: {
        refunded_customer_shipping_fee_amount: c(s((l) => l.customerShippingFeeRefund)),
      },
    },
    fee_tax_amount: c(t.fee),
    fee_tax_breakdown: {
      fee: {
        referral_fee_amount: c(s((l) => l.referralFee)),
        transaction_fee_amount: c(s((l) => l.transactionFee)),
        refund_administration_fee_amount: c(s((l) => l.refundAdminFee)),
        ...extraFields(lines, c),
      },
      tax: {},
    },
  };
}

export function tx202501(ctx: Ctx, s: Statement, o: OrderSettlement): Record<string, unknown> {
  const lines = o.lines;
  const sum = (f: (l: LineSettlement) => bigint) => money(sumLines(lines, f), s.currency);
  return {
    id: o.transactionId,
    type: 'ORDER',
    order_id: o.orderId,
    order_create_time: o.orderCreateTime,
    adjustment_amount: money(0n, s.currency),
    ...nested(ctx, lines, s.currency),
    supplementary_component: {
      customer_payment_amount: sum((l) => l.customerPayment),
      customer_refund_amount: sum((l) => l.customerRefund),
      platform_discount_amount: sum((l) => l.platformDiscount),
      platform_discount_refund_amount: sum((l) => l.platformDiscountRefund),
      sales_tax_amount: sum((l) => l.salesTax),
      sales_tax_refund_amount: sum((l) => l.salesTaxRefund),
    },
  };
}

export function adjustmentTx202501(s: Statement, a: Adjustment): Record<string, unknown> {
  return {
    id: a.id,
    type: a.type,
    adjustment_id: a.id,
    adjustment_order_id: a.orderId,
    settlement_amount: money(a.amount, s.currency),
    adjustment_amount: money(a.amount, s.currency),
  };
}

/** A reserve withheld (negative, COLLECTED) or released (positive, RELEASED); no settlement. */
export function reserveTx202501(s: Statement, r: ReserveEntry): Record<string, unknown> {
  return {
    id: r.transactionId,
    type: 'RESERVE',
    reserve_id: r.reserveId,
    reserve_amount: money(r.amount, s.currency),
    reserve_status: r.status,
    estimated_release_time: r.estimatedReleaseTime,
    settlement_amount: money(0n, s.currency),
  };
}

export function statementHeader202501(ctx: Ctx, s: Statement): Record<string, unknown> {
  const flip = ctx.settings.business.finance202501Sign === 'positive' ? -1n : 1n;
  const t = statementTotals(s);
  const reserve = reserveTotal(s);
  const m = (x: bigint) => money(x, s.currency);
  return {
    id: s.id,
    create_time: s.statementTime,
    status: 'SETTLED',
    currency: s.currency,
    payable_amount: m(t.settlement + reserve),
    total_settlement_amount: m(t.settlement),
    total_reserve_amount: m(reserve),
    total_settlement_breakdown: {
      total_revenue_amount: m(t.netSales),
      total_shipping_cost_amount: m(t.shippingCost * flip),
      total_fee_tax_amount: m(t.fee * flip),
      total_adjustment_amount: m(t.adjustment),
    },
  };
}

export function skuTxs202501(ctx: Ctx, s: Statement, o: OrderSettlement): Record<string, unknown>[] {
  return bySku(o.lines).map(([skuId, lines]) => ({
    sku_id: skuId,
    quantity: String(lines.length),
    statement_id: s.id,
    ...nested(ctx, lines, s.currency),
  }));
}
