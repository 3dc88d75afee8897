/**
 * The sandbox's in-memory entities. Internal names are camelCase and amounts are bigint minor
 * units; views.ts renders them into the wire shapes. Every lookup goes through a Map index.
 */
import type { OrderStatus } from '../wire/orders.ts';
import type { ProductStatus } from '../wire/products.ts';

export interface Authorization {
  openId: string;
  sellerName: string;
  region: string;
  shopIds: string[];
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
  scopes: string[];
}

export interface Shop {
  id: string;
  name: string;
  region: 'US' | 'GB';
  currency: string;
  cipher: string;
  code: string;
  warehouseId: string;
  authorization: Authorization;
  /** event_type -> address (reference §9.1). */
  webhooks: Map<string, { address: string; createTime: number; updateTime: number }>;
}

export interface Sku {
  id: string;
  productId: string;
  shopId: string;
  sellerSku: string;
  price: bigint;
  currency: string;
  /** warehouse id -> listed quantity (what the inventory update sets, "available"). */
  stock: Map<string, number>;
  /** warehouse id -> units ordered and not yet shipped or cancelled ("committed"). */
  committed: Map<string, number>;
}

export interface Product {
  id: string;
  shopId: string;
  title: string;
  description: string;
  categoryId: string;
  brandId: string | undefined;
  mainImages: string[];
  packageWeight: { value: string; unit: string };
  packageDimensions: { length: string; width: string; height: string; unit: string } | undefined;
  attributes: Array<{ id: string; values: Array<{ id?: string | undefined; name?: string | undefined }> }>;
  status: ProductStatus;
  /** Full edits (PUT) applied so far: lets tests tell a full edit from a price update. */
  edits: number;
  createTime: number;
  updateTime: number;
  skuIds: string[];
}

export interface OrderLine {
  id: string;
  skuId: string;
  productId: string;
  productName: string;
  sellerSku: string;
  original: bigint;
  sellerDiscount: bigint;
  platformDiscount: bigint;
  tax: bigint;
  packageId: string | undefined;
  cancelled: boolean;
  cancelUser: string;
  cancelReason: string;
  /** What the buyer got back for this line, frozen when its refund completed (undefined: none). */
  refund: RefundParts | undefined;
}

/**
 * A refund split as TikTok's refund amount object (reference §7.3), minor units. The total is
 * always the sum of the parts (refundTotal in refunds.ts), so the two can never disagree.
 */
export interface RefundParts {
  subtotal: bigint;
  shipping: bigint;
  tax: bigint;
  retailDeliveryFee: bigint;
  buyerServiceFee: bigint;
}

/** A request's refund: the return/cancellation level and one part per line (same order as lineIds). */
export interface Refund {
  total: RefundParts;
  lines: RefundParts[];
}

export interface Buyer {
  userId: string;
  name: string;
  email: string;
  address: { line1: string; city: string; state: string; postalCode: string; regionCode: string };
}

/** Ship-by deadlines of an order, Unix seconds (reference §4.4). */
export interface ShipDeadlines {
  rtsSlaTime: number;
  ttsSlaTime: number;
  shippingDueTime: number;
  collectionDueTime: number;
  deliveryDueTime: number;
}

export type FulfillmentType = 'FULFILLMENT_BY_SELLER' | 'FULFILLMENT_BY_TIKTOK';

/** A delivery option (reference §6.4) and the shipping type whose orders it serves. */
export interface DeliveryOption {
  name: string;
  type: string;
  shippingType: 'TIKTOK' | 'SELLER';
  providerIds: string[];
}

export interface Order {
  id: string;
  shopId: string;
  status: OrderStatus;
  currency: string;
  shippingType: 'TIKTOK' | 'SELLER';
  /** FULFILLMENT_BY_TIKTOK: TikTok's warehouse ships it, the seller cannot. */
  fulfillmentType: FulfillmentType;
  deliveryOptionId: string;
  deadlines: ShipDeadlines;
  createTime: number;
  updateTime: number;
  paidTime: number;
  buyer: Buyer;
  /** The buyer changed the recipient address after placing the order (has_updated_recipient_address). */
  addressUpdated: boolean;
  /** Admin fault: top-level fields left out when the order is rendered (a malformed answer). */
  omitFields?: string[];
  lines: OrderLine[];
  shippingFee: bigint;
  packageIds: string[];
  buyerRequestCancel: boolean;
  cancelTime: number | undefined;
  cancelReason: string;
  cancellationInitiator: string;
  rtsTime: number | undefined;
  collectionTime: number | undefined;
  deliveryTime: number | undefined;
  completeTime: number | undefined;
  /** The statement of the sale; later refunds settle in others (state.orderStatements). */
  statementId: string | undefined;
  /** The unsettled transaction's id (202507), given when the order is delivered. */
  unsettledTxId?: string | undefined;
  openReturnIds: Set<string>;
}

export interface Package {
  id: string;
  shopId: string;
  orderId: string;
  lineIds: string[];
  status: 'PROCESSING' | 'FULFILLING' | 'COMPLETED' | 'CANCELLED';
  shipped: boolean;
  createTime: number;
  updateTime: number;
  trackingNumber: string;
  providerId: string;
  handoverMethod: string;
  deliveryOptionId: string;
  pickupSlot: { startTime: number; endTime: number } | undefined;
}

export type ReturnKind = 'REFUND' | 'RETURN_AND_REFUND' | 'REPLACEMENT';

export interface Return {
  id: string;
  shopId: string;
  orderId: string;
  type: ReturnKind;
  status: string;
  reason: string;
  lineIds: string[];
  lineReturnIds: string[];
  createTime: number;
  updateTime: number;
  /** The buyer asked for this much back (refund only, minor units) instead of the full amount. */
  requestedAmount: bigint | undefined;
  /** The seller's OFFER_PARTIAL_REFUND while AWAITING_BUYER_RESPONSE. */
  offeredAmount: bigint | undefined;
  canBuyerKeepItem: boolean;
  /** The parcel the buyer sent back (return_tracking_number, return_provider_name). */
  trackingNumber: string;
  providerName: string;
  /** When the seller's pending action is taken by the system (seller_next_action_response). */
  deadline: number | undefined;
  /** Frozen when the return closes; until then the figures follow the order (refunds.ts). */
  refund: Refund | undefined;
}

export interface Cancellation {
  id: string;
  shopId: string;
  orderId: string;
  type: 'CANCEL' | 'BUYER_CANCEL';
  status: string;
  role: 'BUYER' | 'SELLER' | 'SYSTEM';
  reason: string;
  lineIds: string[];
  lineCancelIds: string[];
  createTime: number;
  updateTime: number;
  /** While pending: when the system approves it (seller_next_action_response). */
  deadline: number | undefined;
  /** Frozen when the cancellation closes. */
  refund: Refund | undefined;
}

export type {
  Adjustment,
  LineSettlement,
  OrderSettlement,
  Payment,
  ReserveEntry,
  ReserveHold,
  Statement,
} from './model-finance.ts';
