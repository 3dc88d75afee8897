/** Returns, refunds and cancellations (reference §7). */
import { z } from 'zod';
import { Amount, Id, pageOf, UnixSeconds } from './common.ts';

export const RefundAmount = z.looseObject({
  currency: z.string(),
  refund_total: Amount,
  refund_subtotal: Amount.optional(),
  refund_shipping_fee: Amount.optional(),
  refund_tax: Amount.optional(),
  retail_delivery_fee: Amount.optional(),
  buyer_service_fee: Amount.optional(),
});
export type RefundAmount = z.infer<typeof RefundAmount>;

export const NextAction = z.looseObject({ action: z.string(), deadline: UnixSeconds.optional() });

export const ReturnLineItem = z.looseObject({
  return_line_item_id: Id,
  order_line_item_id: Id,
  sku_id: Id.optional(),
  seller_sku: z.string().optional(),
  product_name: z.string().optional(),
  refund_amount: RefundAmount.optional(),
});

/** `partial_refund` of a return and of an OFFER_PARTIAL_REFUND decision (§7.1, §7.3). */
export const PartialRefund = z.looseObject({ amount: Amount, currency: z.string() });
export type PartialRefund = z.infer<typeof PartialRefund>;

export const Return = z.looseObject({
  return_id: Id,
  order_id: Id,
  return_type: z.string(),
  return_status: z.string(),
  role: z.string().optional(),
  return_reason: z.string().optional(),
  return_reason_text: z.string().optional(),
  create_time: UnixSeconds,
  update_time: UnixSeconds,
  refund_amount: RefundAmount.optional(),
  /** The amount the buyer asked for or the seller offered; "0" when neither (TikTok's sample). */
  partial_refund: PartialRefund.optional(),
  return_tracking_number: z.string().optional(),
  return_provider_name: z.string().optional(),
  can_buyer_keep_item: z.boolean().optional(),
  seller_next_action_response: z.array(NextAction).optional(),
  return_line_items: z.array(ReturnLineItem).default([]),
});
export type Return = z.infer<typeof Return>;
export const ReturnSearchPage = pageOf('return_orders', Return);
/** The same page with each return unchecked: a flow reads them one by one (one bad return alone fails). */
export const ReturnSearchPageRaw = pageOf('return_orders', z.unknown());

export const ReturnSearchBody = z.object({
  return_ids: z.array(z.string()).optional(),
  order_ids: z.array(z.string()).optional(),
  return_types: z.array(z.string()).optional(),
  return_status: z.array(z.string()).optional(),
  create_time_ge: UnixSeconds.optional(),
  create_time_lt: UnixSeconds.optional(),
  update_time_ge: UnixSeconds.optional(),
  update_time_lt: UnixSeconds.optional(),
});
export type ReturnSearchBody = z.infer<typeof ReturnSearchBody>;

export const APPROVE_DECISIONS = [
  'APPROVE_REFUND',
  'APPROVE_RETURN',
  'APPROVE_RECEIVED_PACKAGE',
  'APPROVE_REPLACEMENT',
  'ISSUE_REPLACEMENT_REFUND',
  'OFFER_PARTIAL_REFUND',
] as const;
export const REJECT_DECISIONS = [
  'REJECT_REFUND',
  'REJECT_RETURN',
  'REJECT_RECEIVED_PACKAGE',
  'REJECT_REPLACEMENT',
] as const;

export const ApproveReturnBody = z.object({
  decision: z.enum(APPROVE_DECISIONS),
  buyer_keep_item: z.boolean().optional(),
  /** With OFFER_PARTIAL_REFUND only: what the seller offers instead of the full refund. */
  partial_refund: z.object({ amount: Amount, currency: z.string().min(1) }).optional(),
});
export type ApproveReturnBody = z.infer<typeof ApproveReturnBody>;
export const RejectReturnBody = z.object({
  decision: z.enum(REJECT_DECISIONS),
  reject_reason: z.string().min(1),
  comment: z.string().optional(),
});
export type RejectReturnBody = z.infer<typeof RejectReturnBody>;

/** GET …/reject_reasons `data` (§7.1): the `reject_reason` values the seller may send. */
export const RejectReasons = z.looseObject({
  reasons: z.array(z.looseObject({ name: z.string().min(1), text: z.string().default('') })).default([]),
});
export type RejectReasons = z.infer<typeof RejectReasons>;

/** Cancelled-cancellation spelling differs between docs (§7.2): both are accepted. */
export const CANCEL_STATUSES = [
  'CANCELLATION_REQUEST_PENDING',
  'CANCELLATION_REQUEST_SUCCESS',
  'CANCELLATION_REQUEST_COMPLETE',
  'CANCELLATION_REQUEST_CANCEL',
  'CANCELLATION_REQUEST_CANCELLED',
] as const;

export const CancelLineItem = z.looseObject({
  cancel_line_item_id: Id,
  order_line_item_id: Id,
  sku_id: Id.optional(),
  seller_sku: z.string().optional(),
  refund_amount: RefundAmount.optional(),
});

export const Cancellation = z.looseObject({
  cancel_id: Id,
  order_id: Id,
  cancel_type: z.string(),
  cancel_status: z.string(),
  cancel_reason: z.string().optional(),
  role: z.string().optional(),
  create_time: UnixSeconds,
  update_time: UnixSeconds,
  refund_amount: RefundAmount.optional(),
  seller_next_action_response: z.array(NextAction).optional(),
  cancel_line_items: z.array(CancelLineItem).default([]),
});
export type Cancellation = z.infer<typeof Cancellation>;
export const CancellationSearchPage = pageOf('cancellations', Cancellation);
export const CancellationSearchPageRaw = pageOf('cancellations', z.unknown());

export const CancellationSearchBody = z.object({
  cancel_ids: z.array(z.string()).optional(),
  order_ids: z.array(z.string()).optional(),
  cancel_types: z.array(z.string()).optional(),
  cancel_status: z.array(z.string()).optional(),
  create_time_ge: UnixSeconds.optional(),
  create_time_lt: UnixSeconds.optional(),
  update_time_ge: UnixSeconds.optional(),
  update_time_lt: UnixSeconds.optional(),
});
export type CancellationSearchBody = z.infer<typeof CancellationSearchBody>;

export const RejectCancellationBody = z.object({
  reject_reason: z.string().min(1),
  comment: z.string().optional(),
});
export type RejectCancellationBody = z.infer<typeof RejectCancellationBody>;

/** Seller cancels an order, or some of its lines (§7.1 "Seller cancels order"). */
export const CancelOrderBody = z.object({
  order_id: z.string().min(1),
  cancel_reason: z.string().min(1),
  order_line_item_ids: z.array(z.string()).optional(),
});
export type CancelOrderBody = z.infer<typeof CancelOrderBody>;
export const CancelOrderData = z.looseObject({ cancel_id: Id, cancel_status: z.string() });
export type CancelOrderData = z.infer<typeof CancelOrderData>;
