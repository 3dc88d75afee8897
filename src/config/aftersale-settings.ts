/**
 * The `aftersale:` block of tiksuite.yaml (docs/returns.md): TikTok cancellations, returns and
 * refunds into NetSuite (accounting reference section 3.3 items 6-7, API reference section 7).
 */
import { z } from 'zod';
import { NsRefSetting } from './order-settings.ts';

const Decimal = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal amount string like "25.00"');

export const AftersaleSettings = z
  .object({
    /** Follow TikTok cancellations, returns and refunds into NetSuite. */
    enabled: z.boolean().default(true),
    /** How often each shop's cancellations and returns are searched by update time (a push polls at once). */
    pollIntervalSeconds: z.number().min(0.2).max(3600).default(15),
    /** Each poll re-reads this many seconds before the saved cursor (same-second updates, clock skew). */
    overlapSeconds: z.number().int().min(0).max(3600).default(60),
    /** The first poll of a shop looks back this far. */
    lookbackHours: z
      .number()
      .min(0)
      .max(24 * 90)
      .default(72),
    /** Polls that find changes join one open run until this long after it opened (ADR 5). */
    pollRunMaxSeconds: z.number().int().min(1).max(86_400).default(900),
    cancellations: z
      .object({
        /**
         * Buyer cancellation requests waiting for the seller: `approve_unfulfilled` approves while
         * NetSuite shows none of the cancelled lines fulfilled (else `whenFulfilled`); `manual`
         * leaves every request to a human in Seller Center.
         */
        requests: z.enum(['approve_unfulfilled', 'manual']).default('approve_unfulfilled'),
        /** A request for lines NetSuite already fulfilled: reject it (with `rejectReason`) or leave it to a human. */
        whenFulfilled: z.enum(['reject', 'manual']).default('reject'),
        /** A reason name TikTok's reject_reasons lists for the request (API reference section 7.2). */
        rejectReason: z.string().min(1).default('seller_reject_apply_product_has_been_packed'),
      })
      .strict()
      .prefault({}),
    returns: z
      .object({
        /** Where returned goods are received (restocked); unset: the sales order line's location. */
        location: NsRefSetting.optional(),
        /**
         * Return reasons (TikTok `return_reason` names) whose goods are lost or damaged: no item receipt
         * into stock, or a receipt into `damagedLocation` when that is set.
         */
        notRestockedReasons: z.array(z.string().min(1)).default([]),
        damagedLocation: NsRefSetting.optional(),
      })
      .strict()
      .prefault({}),
    refunds: z
      .object({
        /**
         * `credit_memo_and_refund`: a credit memo (from the invoice or return authorization, standalone
         * otherwise) and a customer refund paid from `account`; `cash_refund`: one cash refund (from the
         * cash sale or return authorization, standalone otherwise); `credit_memo`: the credit memo only,
         * the money settled with the payout (settlements).
         */
        model: z.enum(['credit_memo_and_refund', 'cash_refund', 'credit_memo']).default('credit_memo'),
        /** The account a customer refund or cash refund is paid from (e.g. the TikTok clearing account). */
        account: NsRefSetting.optional(),
        /** Item of a partial refund (goods kept, part of the price refunded): e.g. a sales-allowance item. */
        partialRefundItem: NsRefSetting.optional(),
        /** Item of a refunded buyer service fee. */
        feeItem: NsRefSetting.optional(),
      })
      .strict()
      .prefault({}),
    /**
     * Approve return and refund requests on TikTok by rule (off by default). A request is approved
     * when its refund is at most `maxAmount` (order currency) and, when `reasons` is not empty, its
     * reason is listed; a returned parcel's receipt is approved when `receivedPackages` is on.
     */
    autoApprove: z
      .object({
        enabled: z.boolean().default(false),
        maxAmount: Decimal.default('0'),
        reasons: z.array(z.string().min(1)).default([]),
        types: z.array(z.enum(['REFUND', 'RETURN_AND_REFUND'])).default(['REFUND', 'RETURN_AND_REFUND']),
        receivedPackages: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type AftersaleSettings = z.infer<typeof AftersaleSettings>;
