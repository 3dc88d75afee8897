/** Finance wire shapes of 202309 (reference §8.2-8.3) rendered from statements; 202501: views-finance-202501.ts. */
import type { Ctx } from './context.ts';
import type { Adjustment, LineSettlement, OrderSettlement, Payment, Statement } from './model.ts';
import { paymentAmounts, paymentStatus, statementPaymentStatus } from './payouts.ts';
import { adjustmentTotals, lineTotals, statementTotals, sumTotals, type Totals } from './settlement.ts';
import { money } from './views.ts';

export function sumLines(lines: LineSettlement[], pick: (l: LineSettlement) => bigint): bigint {
  let t = 0n;
  for (const l of lines) t += pick(l);
  return t;
}

/** The extra fee keys these lines carry (business.extraFees when they settled), in first-seen order. */
export function extraKeys(lines: LineSettlement[]): string[] {
  const keys = new Set<string>();
  for (const l of lines) for (const k of Object.keys(l.extraFees)) keys.add(k);
  return [...keys];
}

/** `<key>_amount` for each extra fee key of these lines, rendered with `m`. */
export function extraFields(lines: LineSettlement[], m: (x: bigint) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of extraKeys(lines))
    out[`${key}_amount`] = m(sumLines(lines, (l) => l.extraFees[key] ?? 0n));
  return out;
}

export function totalsFields(t: Totals, m: (x: bigint) => string): Record<string, string> {
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
    // "0.00" unless business.extraFees has an affiliate_commission key (then overwritten below).
    affiliate_commission_amount: m(0n),
    ...extraFields(lines, m),
  };
}

export function renderStatement(ctx: Ctx, s: Statement): Record<string, unknown> {
  const m = (x: bigint) => money(x, s.currency);
  const payment = s.paymentId ? ctx.state.payments.get(s.paymentId) : undefined;
  const status = statementPaymentStatus(ctx, s);
  return {
    id: s.id,
    statement_time: s.statementTime,
    currency: s.currency,
    ...totalsFields(statementTotals(s), m),
    payment_status: status,
    payment_id: s.paymentId,
    ...(payment && status === 'PAID' ? { payment_time: payment.paidTime } : {}),
  };
}

export function renderPayment(ctx: Ctx, p: Payment): Record<string, unknown> {
  const a = paymentAmounts(ctx, p);
  const v = (x: bigint, currency = p.currency) => ({ value: money(x, currency), currency });
  return {
    id: p.id,
    status: paymentStatus(ctx, p),
    create_time: p.createTime,
    paid_time: p.paidTime,
    amount: v(a.amount, p.payoutCurrency),
    settlement_amount: v(a.settlement),
    reserve_amount: v(a.reserve),
    payment_amount_before_exchange: v(a.beforeExchange),
    exchange_rate: p.exchangeRate,
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

export function bySku(lines: LineSettlement[]): Array<[string, LineSettlement[]]> {
  const out = new Map<string, LineSettlement[]>();
  for (const l of lines) out.set(l.skuId, [...(out.get(l.skuId) ?? []), l]);
  return [...out];
}

export function skuTxs202309(s: Statement, o: OrderSettlement): Record<string, unknown>[] {
  return bySku(o.lines).map(([skuId, lines]) => ({
    sku_id: skuId,
    quantity: lines.length,
    ...flatFields(lines, (x) => money(x, s.currency)),
  }));
}
