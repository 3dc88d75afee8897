/**
 * The finance part of the `business` settings (options.ts): payouts, reserves, exchange and extra
 * fee keys. The reference gives the fields (§8.2-8.4) but not the rules (minimum payout, payout
 * delay, reserve rate and hold, which fees a shop pays), hence settings.
 */
import { z } from 'zod';
import { Duration } from './options-aftersale.ts';

const Rate = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal rate like "0.06"');
const Currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code like "USD"');

/**
 * Amount fields the statements already render: an extra fee key must not shadow one
 * (`<key>_amount`). `affiliate_commission` is rendered "0.00" unless a fee of that key is set.
 */
export const RESERVED_FEE_KEYS: ReadonlySet<string> = new Set([
  'settlement',
  'revenue',
  'net_sales',
  'shipping_cost',
  'fee',
  'fee_tax',
  'adjustment',
  'reserve',
  'payable',
  'gross_sales',
  'gross_sales_refund',
  'seller_discount',
  'seller_discount_refund',
  'platform_discount',
  'platform_discount_refund',
  'customer_payment',
  'customer_refund',
  'sales_tax',
  'sales_tax_payment',
  'sales_tax_refund',
  'customer_paid_shipping_fee',
  'customer_paid_shipping_fee_refund',
  'actual_shipping_fee',
  'referral_fee',
  'transaction_fee',
  'refund_administration_fee',
]);

const ExtraFee = z
  .object({
    /** Rendered `<key>_amount` (202309) and `fee_tax_breakdown.fee.<key>_amount` (202501). */
    key: z
      .string()
      .max(64)
      .regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, 'lower snake case like "affiliate_commission"')
      .refine((k) => !RESERVED_FEE_KEYS.has(k), 'names an amount the statements already carry'),
    /** Charged on each settled line's goods after seller discount (original - seller discount). */
    rate: Rate,
  })
  .strict();

const Exchange = z
  .object({
    currency: Currency,
    /** Six decimals, like the payment's `exchange_rate` (§8.2). */
    rate: z.string().regex(/^\d+\.\d{6}$/, 'a rate with six decimals like "1.270000"'),
  })
  .strict();

export const FinanceSettings = {
  /** A shop is paid once its unpaid statements add up to this much (accounting §3.1: $1 in the US). */
  minPayout: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'a decimal amount like "1.00"')
    .default('1.00'),
  /** A payment is created at the day boundary and PAID this many simulated seconds later. */
  payoutDelaySeconds: Duration.default(86_400),
  /** Share of a statement's positive settlement withheld as a reserve (0 = none). */
  reserveRate: Rate.default('0'),
  /** Days a reserve is held; it is released in the first statement after that. */
  reserveHoldDays: z.number().int().min(0).max(3660).default(30),
  /** Statement currency -> payout currency and rate; a currency not listed is paid as is. */
  payoutExchange: z.record(Currency, Exchange).default({}),
  /** More fee keys charged on every settled line (e.g. affiliate_commission, live_specials_fee). */
  extraFees: z
    .array(ExtraFee)
    .max(50)
    .refine((fees) => new Set(fees.map((f) => f.key)).size === fees.length, 'each key at most once')
    .default([]),
  /**
   * Whether a buyer may open a return on a COMPLETED order (the refund then settles in the
   * statement of the day it completes). TikTok's after-sale window is UNCONFIRMED.
   */
  returnsAfterCompletion: z.boolean().default(true),
};
