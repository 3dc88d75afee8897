/** Finance wire shapes (reference §8.2-8.4) rendered from settled statements. */
import type { Ctx } from './context.ts';
import type { Adjustment, LineSettlement, OrderSettlement, Payment, Statement } from './model.ts';
import {
  adjustmentTotals,
  lineTotals,
  orderTotals,
  statementTotals,
  sumTotals,
  type Totals,
} from './settlement.ts';
import { money } from './views.ts';

function sumLines(lines: LineSettlement[], pick: (l: LineSettlement) => bigint): bigint {
  let t = 0n;
  for (const l of lines) t += pick(l);
  return t;
}

function totalsFields(t: Totals, m: (x: bigint) => string): Record<string, string> {
  return {
    settlement_amount: m(t.settlement),
    // UK/US local sellers: revenue is reported as net sales (assumption, see docs/sandbox-tiktok.md).
    revenue_amount: m(t.netSales),
    net_sales_amount: m(t.netSales),
    shipping_cost_amount: m(t.shippingCost),
    fee_amount: m(t.fee),
    adjustment_amount: m(t.adjustment),
  };
}

/** Flat 202309 amount fields for a set of lines (an order or one SKU of it). */
function flatFields(lines: LineSettlement[], m: (x: bigint) => string): Record<string, string> {
  const s = (f: (l: LineSettlement) => bigint) => m(sumLines(lines, f));
  return {
    ...totalsFields(sumTotals(lines.map(lineTotals)), m),
    gross_sales_amount: s((l) => l.grossSales),
    gross_sales_refund_amount: s((l) => l.grossSalesRefund),
    seller_discount_amount: s((l) => l.sellerDiscount),
    seller_discount_refund_amount: s((l) => l.sellerDiscountRefund),
    platform_discount_amount: s((l) => l.platformDiscount),
    platform_discount_refund_amount: s((l) => l.platformDiscountRefund),
    customer_payment_amount: s((l) => l.customerPayment),
    customer_refund_amount: s((l) => l.customerRefund),
    sales_tax_amount: s((l) => l.salesTax),
    sales_tax_payment_amount: s((l) => l.salesTax),
    sales_tax_refund_amount: s((l) => l.salesTaxRefund),
    customer_paid_shipping_fee_amount: s((l) => l.customerShippingFee),
    customer_paid_shipping_fee_refund_amount: s((l) => l.customerShippingFeeRefund),
    actual_shipping_fee_amount: s((l) => l.actualShippingFee),
    referral_fee_amount: s((l) => l.referralFee),
    transaction_fee_amount: s((l) => l.transactionFee),
    refund_administration_fee_amount: s((l) => l.refundAdminFee),
    affiliate_commission_amount: m(0n),
  };
}

export function renderStatement(ctx: Ctx, s: Statement): Record<string, unknown> {
  const m = (x: bigint) => money(x, s.currency);
  const payment = ctx.state.payments.get(s.paymentId);
  return {
    id: s.id,
    statement_time: s.statementTime,
    currency: s.currency,
    ...totalsFields(statementTotals(s), m),
    payment_status: 'PAID',
    payment_id: s.paymentId,
    ...(payment ? { payment_time: payment.paidTime } : {}),
  };
}

export function renderPayment(p: Payment): Record<string, unknown> {
  const v = (x: bigint) => ({ value: money(x, p.currency), currency: p.currency });
  return {
    id: p.id,
    status: 'PAID',
    create_time: p.createTime,
    paid_time: p.paidTime,
    amount: v(p.amount),
    settlement_amount: v(p.amount),
    reserve_amount: v(0n),
    payment_amount_before_exchange: v(p.amount),
    exchange_rate: '1.000000',
    bank_account: '***********1234',
  };
}

export function orderTx202309(s: Statement, o: OrderSettlement): Record<string, unknown> {
  return {
    id: o.transactionId,
    type: 'ORDER',
    currency: s.currency,
    order_id: o.orderId,
    order_create_time: o.orderCreateTime,
    ...flatFields(o.lines, (x) => money(x, s.currency)),
  };
}

export function adjustmentTx202309(s: Statement, a: Adjustment): Record<string, unknown> {
  return {
    id: a.id,
    type: a.type,
    currency: s.currency,
    adjustment_id: a.id,
    adjustment_order_id: a.orderId,
    ...totalsFields(adjustmentTotals(a), (x) => money(x, s.currency)),
  };
}

export function skuTxs202309(s: Statement, o: OrderSettlement): Record<string, unknown>[] {
  const bySku = new Map<string, LineSettlement[]>();
  for (const l of o.lines) bySku.set(l.skuId, [...(bySku.get(l.skuId) ?? []), l]);
  return [...bySku].map(([skuId, lines]) => ({
    sku_id: skuId,
    quantity: lines.length,
    ...flatFields(lines, (x) => money(x, s.currency)),
  }));
}

/** 202501 nested breakdowns; the sign setting flips fee/cost amounts to positive magnitudes. */
function nested(ctx: Ctx, lines: LineSettlement[], currency: string): Record<string, unknown> {
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

export function statementHeader202501(ctx: Ctx, s: Statement): Record<string, unknown> {
  const flip = ctx.settings.business.finance202501Sign === 'positive' ? -1n : 1n;
  const t = statementTotals(s);
  const m = (x: bigint) => money(x, s.currency);
  return {
    id: s.id,
    create_time: s.statementTime,
    status: 'SETTLED',
    currency: s.currency,
    payable_amount: m(t.settlement),
    total_settlement_amount: m(t.settlement),
    total_reserve_amount: m(0n),
    total_settlement_breakdown: {
      total_revenue_amount: m(t.netSales),
      total_shipping_cost_amount: m(t.shippingCost * flip),
      total_fee_tax_amount: m(t.fee * flip),
      total_adjustment_amount: m(t.adjustment),
    },
  };
}

export function skuTxs202501(ctx: Ctx, s: Statement, o: OrderSettlement): Record<string, unknown>[] {
  const bySku = new Map<string, LineSettlement[]>();
  for (const l of o.lines) bySku.set(l.skuId, [...(bySku.get(l.skuId) ?? []), l]);
  return [...bySku].map(([skuId, lines]) => ({
    sku_id: skuId,
    quantity: String(lines.length),
    statement_id: s.id,
    ...nested(ctx, lines, s.currency),
  }));
}

export { orderTotals };
