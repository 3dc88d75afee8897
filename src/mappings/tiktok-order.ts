/**
 * TikTok Shop order (wire, reference §4.4) -> domain Order. The field layout is the spec below
 * (data); the arithmetic checks after it make sure the order's amounts add up before anything is
 * booked, so NetSuite never receives an order that does not match what the buyer paid.
 */
import { z } from 'zod';
import { Order as TikTokOrder } from '../connectors/tiktok-shop/index.ts';
import { Order } from '../domain/index.ts';
import { compileSpec, createRegistry, type MappingContext, type MappingSpec } from '../mapping/index.ts';
import { checkOrderAmounts } from './order-amounts.ts';
import { consolidateBySku, tiktokAddress } from './tiktok-order-transforms.ts';

/** The shop the order came from: the flow knows it from the authorized shop, not from the order. */
export const ShopContext = z.object({ id: z.string().min(1), region: z.string().min(2) }).strict();
export type ShopContext = z.infer<typeof ShopContext>;

/** Fields of the full order model (§4.4) that the connector schema does not spell out. */
const WireOrder = TikTokOrder.extend({
  is_replacement_order: z.boolean().optional(),
  replaced_order_id: z.string().optional(),
  is_exchange_order: z.boolean().optional(),
  is_cod: z.boolean().optional(),
  recipient_address: TikTokOrder.shape.recipient_address
    .unwrap()
    .extend({ post_town: z.string().optional() })
    .optional(),
});

export const TikTokOrderScope = z.object({ order: WireOrder, shop: ShopContext });
export type TikTokOrderScope = z.infer<typeof TikTokOrderScope>;

const STATUS_TABLE = {
  UNPAID: 'unpaid',
  ON_HOLD: 'on_hold',
  AWAITING_SHIPMENT: 'awaiting_shipment',
  PARTIALLY_SHIPPING: 'partially_shipping',
  AWAITING_COLLECTION: 'awaiting_collection',
  IN_TRANSIT: 'in_transit',
  DELIVERED: 'delivered',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
};

const CUR = { path: 'order.payment.currency' };
const amount = (field: string, whenMissing: 'error' | 'zero' = 'error') => ({
  fn: 'money',
  args: [{ path: `order.payment.${field}` }, CUR],
  ...(whenMissing === 'zero' ? { opts: { whenMissing: 'zero' } } : {}),
});
const time = (field: string) => ({
  fn: 'formatDate',
  args: [{ path: `order.${field}` }],
  opts: { input: 'unix_seconds', output: 'iso' },
});
const text = (path: string) => ({ fn: 'nonEmpty', args: [{ path }] });
const flag = (path: string) => ({ fn: 'bool', args: [{ path }], opts: { default: false } });

export const TIKTOK_ORDER_SPEC: MappingSpec = {
  id: 'tiktok-order-to-domain',
  version: 1,
  fields: {
    source: { const: 'tiktok_shop' },
    id: { path: 'order.id' },
    shopId: { path: 'shop.id' },
    region: { path: 'shop.region' },
    status: { fn: 'mapValue', args: [{ path: 'order.status' }], opts: { table: STATUS_TABLE } },
    currency: CUR,
    createdAt: time('create_time'),
    updatedAt: time('update_time'),
    paidAt: time('paid_time'),
    'buyer.userId': text('order.user_id'),
    'buyer.email': text('order.buyer_email'),
    'buyer.name': text('order.recipient_address.name'),
    'buyer.phone': text('order.recipient_address.phone_number'),
    shippingAddress: {
      fn: 'tiktokAddress',
      args: [{ path: 'order.recipient_address' }, { path: 'order.id' }],
    },
    warehouseId: text('order.warehouse_id'),
    'flags.sample': flag('order.is_sample_order'),
    'flags.replacement': flag('order.is_replacement_order'),
    'flags.exchange': flag('order.is_exchange_order'),
    'flags.onHold': flag('order.is_on_hold_order'),
    'flags.cashOnDelivery': flag('order.is_cod'),
    replacesOrderId: text('order.replaced_order_id'),
    buyerMessage: text('order.buyer_message'),
    lines: { fn: 'consolidateBySku', args: [{ path: 'order.line_items' }, CUR] },
    'amounts.itemsGross': amount('original_total_product_price'),
    'amounts.sellerDiscount': amount('seller_discount'),
    'amounts.platformDiscount': amount('platform_discount'),
    'amounts.subtotal': amount('sub_total'),
    'amounts.shippingGross': amount('original_shipping_fee'),
    'amounts.shippingSellerDiscount': amount('shipping_fee_seller_discount'),
    'amounts.shippingPlatformDiscount': amount('shipping_fee_platform_discount'),
    // Region-specific fields TikTok may leave out; checkOrderAmounts proves the total still adds up.
    'amounts.shippingCofundedDiscount': amount('shipping_fee_cofunded_discount', 'zero'),
    'amounts.shipping': amount('shipping_fee'),
    'amounts.tax': amount('tax', 'zero'),
    'amounts.retailDeliveryFee': amount('retail_delivery_fee', 'zero'),
    'amounts.total': amount('total_amount'),
  },
};

const compiled = compileSpec(TIKTOK_ORDER_SPEC, {
  source: TikTokOrderScope,
  target: Order,
  registry: createRegistry<MappingContext>([consolidateBySku, tiktokAddress]),
});

/** Maps a TikTok order (already parsed by the connector) to the domain Order; throws AppError. */
export function mapTikTokOrder(order: TikTokOrder, shop: ShopContext): Order {
  const mapped = compiled.run({ order, shop }, { lookups: {} });
  checkOrderAmounts(mapped);
  return mapped;
}

export const TIKTOK_ORDER_SPEC_VERSION = compiled.version;
