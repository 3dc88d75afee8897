/**
 * The canonical order: what TikSuite knows about a marketplace order, independent of TikTok's
 * wire names and of NetSuite's record shape. Mappings build it from the wire and read it to write
 * NetSuite. Amounts are decimal strings in the order currency (see money.ts).
 */
import { z } from 'zod';
import { CurrencyCode, Money } from './money.ts';

export const ORDER_STATUSES = [
  'unpaid',
  'on_hold',
  'awaiting_shipment',
  'partially_shipping',
  'awaiting_collection',
  'in_transit',
  'delivered',
  'completed',
  'cancelled',
] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** ISO 8601 instant in UTC, e.g. "2026-03-14T08:15:00.000Z". */
export const Timestamp = z.iso.datetime();
export type Timestamp = z.infer<typeof Timestamp>;

export const Address = z
  .object({
    name: z.string().optional(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    phone: z.string().optional(),
    line1: z.string().min(1),
    line2: z.string().optional(),
    city: z.string().optional(),
    state: z.string().optional(),
    postalCode: z.string().optional(),
    /** ISO 3166-1 alpha-2, e.g. "US", "GB". */
    countryCode: z.string().regex(/^[A-Z]{2}$/),
  })
  .strict();
export type Address = z.infer<typeof Address>;

/** The marketplace buyer (TikTok's user id and its anonymised relay e-mail). */
export const Buyer = z
  .object({
    userId: z.string().optional(),
    email: z.string().optional(),
    name: z.string().optional(),
    phone: z.string().optional(),
  })
  .strict();
export type Buyer = z.infer<typeof Buyer>;

/** Units of one SKU at one original unit price; discounts are totals over those units. */
export const OrderLine = z
  .object({
    sku: z.string().min(1),
    skuId: z.string().optional(),
    productId: z.string().optional(),
    name: z.string().optional(),
    quantity: z.number().int().positive(),
    /** Cancelled units (by buyer, seller or TikTok) form lines of their own, marked here. */
    cancelled: z.boolean(),
    /** List price per unit before any discount. */
    unitPrice: Money,
    sellerDiscount: Money,
    platformDiscount: Money,
    tax: Money,
    /** The marketplace line ids (one per unit) folded into this line. */
    sourceLineIds: z.array(z.string()),
  })
  .strict();
export type OrderLine = z.infer<typeof OrderLine>;

/** Order-level amounts as the marketplace states them (the payment object). */
export const OrderAmounts = z
  .object({
    /** Sum of list prices of all units. */
    itemsGross: Money,
    sellerDiscount: Money,
    platformDiscount: Money,
    /** itemsGross - sellerDiscount - platformDiscount: what the buyer paid for goods. */
    subtotal: Money,
    shippingGross: Money,
    shippingSellerDiscount: Money,
    shippingPlatformDiscount: Money,
    /** Co-funded shipping discount: seller-provided, reimbursed by the platform. */
    shippingCofundedDiscount: Money,
    /** Buyer-paid shipping. */
    shipping: Money,
    /** Buyer-paid tax (marketplace-facilitator tax in the US). */
    tax: Money,
    retailDeliveryFee: Money,
    /** Buyer-paid total = subtotal + shipping + tax + retailDeliveryFee. */
    total: Money,
  })
  .strict();
export type OrderAmounts = z.infer<typeof OrderAmounts>;

export const OrderFlags = z
  .object({
    sample: z.boolean(),
    replacement: z.boolean(),
    exchange: z.boolean(),
    onHold: z.boolean(),
    cashOnDelivery: z.boolean(),
  })
  .strict();
export type OrderFlags = z.infer<typeof OrderFlags>;

export const Order = z
  .object({
    source: z.literal('tiktok_shop'),
    id: z.string().min(1),
    shopId: z.string().min(1),
    /** Shop region (market), e.g. "US", "GB". */
    region: z.string().min(2),
    status: OrderStatus,
    currency: CurrencyCode,
    createdAt: Timestamp,
    updatedAt: Timestamp,
    paidAt: Timestamp.optional(),
    buyer: Buyer,
    /** Absent while the marketplace hides it (TikTok: UNPAID and ON_HOLD). */
    shippingAddress: Address.optional(),
    warehouseId: z.string().optional(),
    flags: OrderFlags,
    /** For a replacement order: the order it replaces. */
    replacesOrderId: z.string().optional(),
    buyerMessage: z.string().optional(),
    lines: z.array(OrderLine).min(1),
    amounts: OrderAmounts,
  })
  .strict();
export type Order = z.infer<typeof Order>;
