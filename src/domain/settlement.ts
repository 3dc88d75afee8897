/**
 * A TikTok statement as TikSuite books it, whichever API version it was read from (API reference
 * section 8.3/8.4, accounting reference section 3.1). Amounts are signed minor units in the
 * statement's currency, money to the seller positive and deductions negative (202309's
 * convention). Component keys are TikTok's amount field names without `_amount`
 * (`gross_sales`, `referral_fee`, `actual_shipping_fee` ...); keys TikSuite does not know are
 * carried, never dropped.
 */

/** Where a component goes in the books. */
export type ComponentGroup =
  /** Sales side: gross sales, seller discounts, customer shipping fees (what invoices claim). */
  | 'sales'
  /** Refunds netted in the statement (sales and discounts given back). */
  | 'refunds'
  /** A fee (referral, transaction, affiliate ... or a key TikSuite does not know yet). */
  | 'fee'
  /** A shipping cost (labels, FBT fulfilment, subsidies and clawbacks). */
  | 'shipping'
  /** An adjustment transaction (chargeback, compensation, correction), by its type. */
  | 'adjustment'
  /** A reserve withheld (negative) or released (positive). */
  | 'reserve';

export interface StatementComponent {
  /** The component key, e.g. `referral_fee`; for an adjustment its TikTok type; for a reserve `reserve`. */
  key: string;
  group: ComponentGroup;
  /** Signed minor units (202309 convention). */
  amount: bigint;
}

export interface SettledTransaction {
  /** TikTok's transaction id. */
  id: string;
  kind: 'order' | 'adjustment' | 'reserve';
  /** TikTok's type: ORDER, CHARGE_BACK, RESERVE ... */
  type: string;
  /** The order it settles (order transactions), or the order an adjustment relates to. */
  orderId?: string | undefined;
  /** What TikTok says the transaction settles (reserves: 0). */
  settlement: bigint;
  /** The parts that add up to `settlement` (reserves: one `reserve` part). */
  components: StatementComponent[];
  /** Amounts read for information only, not part of the settlement (customer payment, sales tax ...). */
  info: Record<string, bigint>;
}

export interface SettledStatement {
  shopId: string;
  id: string;
  /** Unix seconds, a 00:00 UTC boundary (reference section 8.2). */
  statementTime: number;
  currency: string;
  /** The statement's settlement as TikTok states it in its header. */
  settlement: bigint;
  /** Reserves withheld (negative) and released (positive) with this statement; 0 when unknown. */
  reserve: bigint;
  paymentId: string | undefined;
  paymentStatus: string | undefined;
  transactions: SettledTransaction[];
}

export interface SettledPayment {
  shopId: string;
  id: string;
  status: string;
  createTime: number;
  paidTime: number | undefined;
  /** Statement currency: settlement amount and reserve (signed) before exchange. */
  currency: string;
  settlement: bigint;
  reserve: bigint;
  beforeExchange: bigint;
  /** Payout currency and amount after exchange. */
  payoutCurrency: string;
  amount: bigint;
  /** The exchange rate as TikTok states it (6 decimals). */
  exchangeRate: string;
}
