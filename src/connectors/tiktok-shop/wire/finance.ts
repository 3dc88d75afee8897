/**
 * Finance (reference §8). Objects are loose: TikTok adds fee keys often and the accounting
 * reference says unknown keys must be carried, not dropped.
 */
import { z } from 'zod';
import { Amount, Id, pageOf, UnixSeconds } from './common.ts';

export const Statement = z.looseObject({
  id: Id,
  statement_time: UnixSeconds,
  currency: z.string(),
  settlement_amount: Amount,
  revenue_amount: Amount.optional(),
  net_sales_amount: Amount.optional(),
  fee_amount: Amount,
  shipping_cost_amount: Amount.optional(),
  adjustment_amount: Amount,
  payment_status: z.string().optional(),
  payment_id: z.string().optional(),
  payment_time: UnixSeconds.optional(),
});
export type Statement = z.infer<typeof Statement>;
export const StatementsPage = pageOf('statements', Statement);

const MoneyValue = z.looseObject({ value: Amount, currency: z.string() });
export const Payment = z.looseObject({
  id: Id,
  status: z.string(),
  create_time: UnixSeconds,
  paid_time: UnixSeconds.optional(),
  amount: MoneyValue,
  settlement_amount: MoneyValue.optional(),
  reserve_amount: MoneyValue.optional(),
  payment_amount_before_exchange: MoneyValue.optional(),
  exchange_rate: z.string().optional(),
  bank_account: z.string().optional(),
});
export type Payment = z.infer<typeof Payment>;
export const PaymentsPage = pageOf('payments', Payment);

/** Amount fields of a 202309 transaction (flat); all optional, all decimal strings. */
const amountFields = {
  settlement_amount: Amount,
  revenue_amount: Amount.optional(),
  fee_amount: Amount.optional(),
  adjustment_amount: Amount.optional(),
  net_sales_amount: Amount.optional(),
  shipping_cost_amount: Amount.optional(),
  gross_sales_amount: Amount.optional(),
  gross_sales_refund_amount: Amount.optional(),
  seller_discount_amount: Amount.optional(),
  seller_discount_refund_amount: Amount.optional(),
  customer_payment_amount: Amount.optional(),
  platform_discount_amount: Amount.optional(),
  platform_discount_refund_amount: Amount.optional(),
  customer_refund_amount: Amount.optional(),
  sales_tax_refund_amount: Amount.optional(),
  customer_paid_shipping_fee_amount: Amount.optional(),
  customer_paid_shipping_fee_refund_amount: Amount.optional(),
  referral_fee_amount: Amount.optional(),
  transaction_fee_amount: Amount.optional(),
  refund_administration_fee_amount: Amount.optional(),
  affiliate_commission_amount: Amount.optional(),
  sales_tax_amount: Amount.optional(),
};

export const Transaction202309 = z.looseObject({
  id: Id.optional(),
  type: z.string().optional(),
  currency: z.string().optional(),
  order_id: z.string().optional(),
  order_create_time: UnixSeconds.optional(),
  adjustment_id: z.string().optional(),
  adjustment_order_id: z.string().optional(),
  statement_id: z.string().optional(),
  ...amountFields,
});
export type Transaction202309 = z.infer<typeof Transaction202309>;

export const StatementTransactions202309 = z.looseObject({
  statement_id: Id,
  statement_time: UnixSeconds.optional(),
  currency: z.string(),
  settlement_amount: Amount,
  revenue_amount: Amount.optional(),
  fee_amount: Amount.optional(),
  adjustment_amount: Amount.optional(),
  net_sales_amount: Amount.optional(),
  shipping_cost_amount: Amount.optional(),
  total_count: z.number().int().optional(),
  next_page_token: z.string().default(''),
  statement_transactions: z.array(Transaction202309).default([]),
});
export type StatementTransactions202309 = z.infer<typeof StatementTransactions202309>;

export const SkuTransaction202309 = z.looseObject({
  sku_id: z.string().optional(),
  quantity: z.number().int().optional(),
  ...amountFields,
});

export const OrderTransactions202309 = z.looseObject({
  order_id: Id,
  order_create_time: UnixSeconds.optional(),
  statement_transactions: z
    .array(
      Transaction202309.extend({
        statement_time: UnixSeconds.optional(),
        status: z.string().optional(),
        sku_statement_transactions: z.array(SkuTransaction202309).default([]),
      }),
    )
    .default([]),
});
export type OrderTransactions202309 = z.infer<typeof OrderTransactions202309>;

const Breakdown = z.record(z.string(), z.unknown());

/** 202501 transaction: totals plus nested breakdowns (§8.4); sign convention UNCONFIRMED. */
export const Transaction202501 = z.looseObject({
  id: Id,
  type: z.string(),
  order_id: z.string().optional(),
  order_create_time: UnixSeconds.optional(),
  adjustment_id: z.string().optional(),
  adjustment_order_id: z.string().optional(),
  /** type RESERVE: the reserve withheld (negative, COLLECTED) or released (positive, RELEASED). */
  reserve_id: z.string().optional(),
  reserve_amount: Amount.optional(),
  reserve_status: z.string().optional(),
  estimated_release_time: UnixSeconds.optional(),
  settlement_amount: Amount,
  adjustment_amount: Amount.optional(),
  revenue_amount: Amount.optional(),
  revenue_breakdown: Breakdown.optional(),
  shipping_cost_amount: Amount.optional(),
  shipping_cost_breakdown: Breakdown.optional(),
  fee_tax_amount: Amount.optional(),
  fee_tax_breakdown: z.looseObject({ fee: Breakdown.optional(), tax: Breakdown.optional() }).optional(),
  supplementary_component: Breakdown.optional(),
});
export type Transaction202501 = z.infer<typeof Transaction202501>;

export const StatementTransactions202501 = z.looseObject({
  id: Id,
  create_time: UnixSeconds.optional(),
  status: z.string().optional(),
  currency: z.string(),
  payable_amount: Amount.optional(),
  total_settlement_amount: Amount,
  total_reserve_amount: Amount.optional(),
  total_settlement_breakdown: z.looseObject({
    total_revenue_amount: Amount.optional(),
    total_shipping_cost_amount: Amount.optional(),
    total_fee_tax_amount: Amount.optional(),
    total_adjustment_amount: Amount.optional(),
  }),
  total_count: z.number().int().optional(),
  next_page_token: z.string().default(''),
  transactions: z.array(Transaction202501).default([]),
});
export type StatementTransactions202501 = z.infer<typeof StatementTransactions202501>;

export const SkuTransaction202501 = z.looseObject({
  sku_id: z.string().optional(),
  quantity: z.string().optional(),
  statement_id: z.string().optional(),
  settlement_amount: Amount,
  revenue_amount: Amount.optional(),
  revenue_breakdown: Breakdown.optional(),
  shipping_cost_amount: Amount.optional(),
  shipping_cost_breakdown: Breakdown.optional(),
  fee_tax_amount: Amount.optional(),
  fee_tax_breakdown: z.looseObject({ fee: Breakdown.optional(), tax: Breakdown.optional() }).optional(),
});

export const OrderTransactions202501 = z.looseObject({
  order_id: Id,
  order_create_time: UnixSeconds.optional(),
  currency: z.string(),
  revenue_amount: Amount.optional(),
  shipping_cost_amount: Amount.optional(),
  fee_and_tax_amount: Amount.optional(),
  settlement_amount: Amount,
  sku_transactions: z.array(SkuTransaction202501).default([]),
});
export type OrderTransactions202501 = z.infer<typeof OrderTransactions202501>;

/**
 * 202507 unsettled transaction (§8.1): an order delivered or completed and not yet in a statement,
 * with estimates. The shape is UNCONFIRMED in the reference (the sandbox's guess), hence loose.
 */
export const UnsettledTransaction = z.looseObject({
  id: Id,
  order_id: z.string(),
  order_create_time: UnixSeconds.optional(),
  status: z.string().optional(),
  currency: z.string(),
  est_settlement_amount: Amount.optional(),
  est_revenue_amount: Amount.optional(),
  est_fee_tax_amount: Amount.optional(),
});
export type UnsettledTransaction = z.infer<typeof UnsettledTransaction>;
export const UnsettledPage = pageOf('transactions', UnsettledTransaction);
