/**
 * The after-sale part of the `business` settings (options.ts): refunds, request deadlines and
 * reject reasons. What TikTok does here is UNCONFIRMED in the reference (§7), hence settings.
 */
import { z } from 'zod';

/** Simulated seconds, at most ten years (a deadline past that is no test of anything). */
export const Duration = z
  .number()
  .int()
  .min(0)
  .max(10 * 366 * 86_400);

const RejectReason = z
  .object({
    /** The machine name sent back as `reject_reason` (reference §7.2). */
    name: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and underscores'),
    text: z.string().max(500).default(''),
  })
  .strict();

/**
 * Only `seller_reject_apply_product_has_been_packed` is a name seen in the reference (§7.2); the
 * others are made up in the same style. Set the real list once it is known.
 */
const DEFAULT_REJECT_REASONS = [
  { name: 'seller_reject_apply_product_has_been_packed', text: 'The product has already been packed' },
  { name: 'seller_reject_apply_product_has_been_shipped', text: 'The product has already been shipped' },
  { name: 'seller_reject_refund_buyer_has_received_product', text: 'The buyer has received the product' },
  { name: 'seller_reject_return_product_damaged_by_buyer', text: 'The returned product was damaged' },
  { name: 'seller_reject_return_package_not_received', text: 'The return package has not arrived' },
];

export const AftersaleSettings = {
  /**
   * When a refund leaves nothing of the order unrefunded, the buyer also gets the order-level
   * parts back (shipping fee paid). Which parts TikTok refunds is UNCONFIRMED.
   */
  refundShippingOnFullRefund: z.boolean().default(true),
  /** A buyer cancellation request the seller leaves pending is approved by the system after this. */
  cancelRequestTimeoutSeconds: Duration.default(86_400),
  /** A return/refund/replacement request left pending is approved by the system after this. */
  returnRequestTimeoutSeconds: Duration.default(2 * 86_400),
  /** A returned parcel the seller neither accepts nor refuses is accepted after this. */
  receivePackageTimeoutSeconds: Duration.default(2 * 86_400),
  /** `can_buyer_keep_item` of a new return (TikTok's sample shows true); the admin may override. */
  canBuyerKeepItem: z.boolean().default(true),
  /** What GET …/reject_reasons lists and the reject endpoints accept as `reject_reason`. */
  rejectReasons: z.array(RejectReason).min(1).default(DEFAULT_REJECT_REASONS),
};
