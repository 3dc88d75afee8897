/** The sandbox's finance entities (reference §8): settlement figures, statements, reserves, payments. */

/** Per line settlement figures (minor units, signed as in 202309: deductions negative). */
export interface LineSettlement {
  lineId: string;
  skuId: string;
  grossSales: bigint;
  grossSalesRefund: bigint;
  sellerDiscount: bigint;
  sellerDiscountRefund: bigint;
  platformDiscount: bigint;
  platformDiscountRefund: bigint;
  customerPayment: bigint;
  /** Everything the buyer got back for this line (negative), and its tax and shipping parts. */
  customerRefund: bigint;
  salesTaxRefund: bigint;
  customerShippingFeeRefund: bigint;
  salesTax: bigint;
  customerShippingFee: bigint;
  actualShippingFee: bigint;
  referralFee: bigint;
  transactionFee: bigint;
  refundAdminFee: bigint;
  /** business.extraFees key -> amount (negative charged, positive reversed). */
  extraFees: Record<string, bigint>;
}

/**
 * One ORDER transaction: the sale (with the refunds that completed before it settled), or a
 * refund that completed after the sale settled (refund figures and fee reversals only).
 */
export interface OrderSettlement {
  kind: 'SALE' | 'REFUND';
  orderId: string;
  transactionId: string;
  orderCreateTime: number;
  lines: LineSettlement[];
}

export interface Adjustment {
  id: string;
  shopId: string;
  type: string;
  amount: bigint;
  orderId: string;
  createTime: number;
  statementId: string | undefined;
}

/** A statement's reserve entry: withheld (negative, COLLECTED) or given back (positive, RELEASED). */
export interface ReserveEntry {
  transactionId: string;
  reserveId: string;
  amount: bigint;
  status: 'COLLECTED' | 'RELEASED';
  estimatedReleaseTime: number;
}

/** A reserve withheld and not yet released (amount positive: what will come back). */
export interface ReserveHold {
  reserveId: string;
  amount: bigint;
  releaseTime: number;
}

export interface Statement {
  id: string;
  shopId: string;
  currency: string;
  statementTime: number;
  /** The 00:00 UTC (Unix seconds) at which it was created. */
  boundary: number;
  /** "" until a payment pays it (the balance may be below the minimum payout). */
  paymentId: string;
  orders: OrderSettlement[];
  adjustments: Adjustment[];
  reserves: ReserveEntry[];
}

/** A payout of one or more statements; amounts are computed from them when rendered. */
export interface Payment {
  id: string;
  shopId: string;
  /** The statements' currency; `payoutCurrency` and `exchangeRate` were fixed at creation. */
  currency: string;
  payoutCurrency: string;
  exchangeRate: string;
  statementIds: string[];
  createTime: number;
  /** PROCESSING until simulated time reaches it, then PAID. */
  paidTime: number;
}
