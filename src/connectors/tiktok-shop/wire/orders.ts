/** Orders (reference §4): search body, order object, line items, payment. */
import { z } from 'zod';
import { Amount, Id, pageOf, UnixSeconds } from './common.ts';

/** §4.3 order status. */
export const ORDER_STATUSES = [
  'UNPAID',
  'ON_HOLD',
  'AWAITING_SHIPMENT',
  'PARTIALLY_SHIPPING',
  'AWAITING_COLLECTION',
  'IN_TRANSIT',
  'DELIVERED',
  'COMPLETED',
  'CANCELLED',
] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** §4.3 fulfillment_type; kept a plain string on the order, since TikTok adds values. */
export const FULFILLMENT_TYPES = [
  'FULFILLMENT_BY_SELLER',
  'FULFILLMENT_BY_TIKTOK',
  'FULFILLMENT_BY_DILAYANI_TOKOPEDIA',
] as const;

/** §4.1 search body (all optional). */
export const OrderSearchBody = z.object({
  order_status: OrderStatus.optional(),
  create_time_ge: UnixSeconds.optional(),
  create_time_lt: UnixSeconds.optional(),
  update_time_ge: UnixSeconds.optional(),
  update_time_lt: UnixSeconds.optional(),
  shipping_type: z.enum(['TIKTOK', 'SELLER']).optional(),
  buyer_user_id: z.string().optional(),
  is_buyer_request_cancel: z.boolean().optional(),
  warehouse_ids: z.array(z.string()).max(100).optional(),
});
export type OrderSearchBody = z.infer<typeof OrderSearchBody>;

export const ItemTax = z.looseObject({
  tax_type: z.string().optional(),
  tax_amount: Amount.optional(),
  tax_rate: z.string().optional(),
});

/** §4.4 line item: one per unit (there is no quantity field). */
export const OrderLineItem = z.looseObject({
  id: Id,
  product_id: Id,
  product_name: z.string().optional(),
  sku_id: Id,
  sku_name: z.string().optional(),
  seller_sku: z.string().optional(),
  currency: z.string(),
  original_price: Amount,
  sale_price: Amount,
  seller_discount: Amount.optional(),
  platform_discount: Amount.optional(),
  display_status: z.string().optional(),
  /** Absent until the line's package has shipped (US/UK local sellers, §4.4). */
  package_id: z.string().optional(),
  /** TO_FULFILL, PROCESSING, FULFILLING, COMPLETED, CANCELLED (§4.3). */
  package_status: z.string().optional(),
  rts_time: UnixSeconds.optional(),
  cancel_user: z.string().optional(),
  cancel_reason: z.string().optional(),
  shipping_provider_id: z.string().optional(),
  shipping_provider_name: z.string().optional(),
  tracking_number: z.string().optional(),
  is_gift: z.boolean().optional(),
  item_tax: z.array(ItemTax).optional(),
});
export type OrderLineItem = z.infer<typeof OrderLineItem>;

/** §4.4 payment: every amount a decimal string. */
export const OrderPayment = z.looseObject({
  currency: z.string(),
  sub_total: Amount,
  shipping_fee: Amount,
  seller_discount: Amount.optional(),
  platform_discount: Amount.optional(),
  total_amount: Amount,
  original_total_product_price: Amount,
  original_shipping_fee: Amount.optional(),
  shipping_fee_seller_discount: Amount.optional(),
  shipping_fee_platform_discount: Amount.optional(),
  shipping_fee_cofunded_discount: Amount.optional(),
  tax: Amount.optional(),
  product_tax: Amount.optional(),
  shipping_fee_tax: Amount.optional(),
  retail_delivery_fee: Amount.optional(),
});
export type OrderPayment = z.infer<typeof OrderPayment>;

export const DistrictInfo = z.looseObject({
  address_level: z.string().optional(),
  address_level_name: z.string().optional(),
  address_name: z.string().optional(),
});

export const RecipientAddress = z.looseObject({
  name: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  phone_number: z.string().optional(),
  full_address: z.string().optional(),
  address_detail: z.string().optional(),
  address_line1: z.string().optional(),
  address_line2: z.string().optional(),
  postal_code: z.string().optional(),
  region_code: z.string().optional(),
  district_info: z.array(DistrictInfo).optional(),
});

export const Order = z.looseObject({
  id: Id,
  status: OrderStatus,
  create_time: UnixSeconds,
  update_time: UnixSeconds,
  paid_time: UnixSeconds.optional(),
  user_id: z.string().optional(),
  buyer_email: z.string().optional(),
  buyer_message: z.string().optional(),
  is_on_hold_order: z.boolean().optional(),
  is_buyer_request_cancel: z.boolean().optional(),
  is_sample_order: z.boolean().optional(),
  shipping_type: z.string().optional(),
  fulfillment_type: z.string().optional(),
  delivery_type: z.string().optional(),
  delivery_option_id: z.string().optional(),
  delivery_option_name: z.string().optional(),
  warehouse_id: z.string().optional(),
  /** Ship-by deadlines (§4.4): latest ship time and latest collection time. */
  rts_sla_time: UnixSeconds.optional(),
  tts_sla_time: UnixSeconds.optional(),
  /** Auto-cancel deadlines (§4.4): reach AWAITING_COLLECTION / IN_TRANSIT / DELIVERED by then. */
  shipping_due_time: UnixSeconds.optional(),
  collection_due_time: UnixSeconds.optional(),
  delivery_due_time: UnixSeconds.optional(),
  delivery_sla_time: UnixSeconds.optional(),
  cancel_order_sla_time: UnixSeconds.optional(),
  cancel_reason: z.string().optional(),
  cancel_time: UnixSeconds.optional(),
  cancellation_initiator: z.string().optional(),
  delivery_time: UnixSeconds.optional(),
  collection_time: UnixSeconds.optional(),
  rts_time: UnixSeconds.optional(),
  shipping_provider: z.string().optional(),
  shipping_provider_id: z.string().optional(),
  tracking_number: z.string().optional(),
  packages: z.array(z.looseObject({ id: Id })).default([]),
  payment: OrderPayment,
  recipient_address: RecipientAddress.optional(),
  line_items: z.array(OrderLineItem).default([]),
});
export type Order = z.infer<typeof Order>;

export const OrderSearchPage = pageOf('orders', Order);
/** Only what a poll needs of each search hit: one malformed order cannot fail its page. */
export const OrderRef = z.looseObject({ id: Id, update_time: UnixSeconds });
export type OrderRef = z.infer<typeof OrderRef>;
export const OrderRefPage = pageOf('orders', OrderRef);
export type OrderSearchPage = z.infer<typeof OrderSearchPage>;
export const OrderDetailData = z.looseObject({ orders: z.array(Order).default([]) });
/** The detail answer with each order unchecked, so one malformed order can be set apart. */
export const RawOrderDetailData = z.looseObject({ orders: z.array(z.unknown()).default([]) });
