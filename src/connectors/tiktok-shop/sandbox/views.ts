/** Renders sandbox entities into the wire shapes of reference §4-§7 (vendor field names). */
import { formatMoney } from '../../../shared/money.ts';
import type { Ctx } from './context.ts';
import type { Order, OrderLine, Package, Product, Shop } from './model.ts';

export function money(minor: bigint, currency: string): string {
  return formatMoney({ minor, currency });
}

/** What a shipped package's lines display while the rest of the order still waits. */
const SHIPPED_LINE_STATUS: Record<Package['status'], string> = {
  PROCESSING: 'AWAITING_COLLECTION',
  FULFILLING: 'IN_TRANSIT',
  COMPLETED: 'DELIVERED',
  CANCELLED: 'CANCELLED',
};

/**
 * Line display status (reference §4.3, no ON_HOLD or PARTIALLY_SHIPPING): cancelled lines say so;
 * in a partially shipped order a shipped line follows its package, the others await shipment;
 * otherwise the order's status.
 */
function lineStatus(order: Order, line: OrderLine, pkg: Package | undefined): string {
  if (line.cancelled) return 'CANCELLED';
  if (order.status === 'PARTIALLY_SHIPPING')
    return pkg?.shipped ? SHIPPED_LINE_STATUS[pkg.status] : 'AWAITING_SHIPMENT';
  if (order.status === 'ON_HOLD') return 'AWAITING_SHIPMENT';
  return order.status;
}

function renderLine(ctx: Ctx, order: Order, l: OrderLine): Record<string, unknown> {
  const m = (x: bigint) => money(x, order.currency);
  const found = l.packageId ? ctx.state.packages.get(l.packageId) : undefined;
  // US/UK local sellers see a line's package fields only once it has shipped (reference §4.4).
  const pkg = found?.shipped ? found : undefined;
  const sale = l.original - l.sellerDiscount - l.platformDiscount;
  return {
    id: l.id,
    product_id: l.productId,
    product_name: l.productName,
    sku_id: l.skuId,
    sku_name: l.sellerSku,
    seller_sku: l.sellerSku,
    sku_type: 'NORMAL',
    currency: order.currency,
    original_price: m(l.original),
    sale_price: m(sale),
    seller_discount: m(l.sellerDiscount),
    platform_discount: m(l.platformDiscount),
    display_status: lineStatus(order, l, pkg),
    ...(pkg ? { package_id: pkg.id, package_status: pkg.status } : {}),
    is_gift: false,
    cancel_user: l.cancelUser,
    cancel_reason: l.cancelReason,
    shipping_provider_id: pkg?.providerId ?? '',
    shipping_provider_name: pkg ? (ctx.state.providers.get(pkg.providerId) ?? '') : '',
    tracking_number: pkg?.trackingNumber ?? '',
    item_tax: [{ tax_type: 'SALES_TAX', tax_amount: m(l.tax), tax_rate: '' }],
    retail_delivery_fee: '0.00',
  };
}

function payment(order: Order): Record<string, unknown> {
  const m = (x: bigint) => money(x, order.currency);
  let original = 0n;
  let seller = 0n;
  let platform = 0n;
  let tax = 0n;
  for (const l of order.lines) {
    original += l.original;
    seller += l.sellerDiscount;
    platform += l.platformDiscount;
    tax += l.tax;
  }
  const subTotal = original - seller - platform;
  return {
    currency: order.currency,
    original_total_product_price: m(original),
    seller_discount: m(seller),
    platform_discount: m(platform),
    sub_total: m(subTotal),
    original_shipping_fee: m(order.shippingFee),
    shipping_fee_seller_discount: '0.00',
    shipping_fee_platform_discount: '0.00',
    shipping_fee_cofunded_discount: '0.00',
    shipping_fee: m(order.shippingFee),
    product_tax: m(tax),
    shipping_fee_tax: '0.00',
    tax: m(tax),
    retail_delivery_fee: '0.00',
    total_amount: m(subTotal + order.shippingFee + tax),
  };
}

/** The rendered order, from the cache when nothing changed since it was built. */
export function renderOrder(ctx: Ctx, order: Order): Record<string, unknown> {
  const hit = ctx.state.renderCache.get(order.id);
  if (hit && hit.rev === ctx.state.rev) return hit.value;
  const value = buildOrder(ctx, order);
  for (const field of order.omitFields ?? []) delete value[field];
  ctx.state.renderCache.set(order.id, { rev: ctx.state.rev, value });
  return value;
}

/** The buyer's address lines, as orders and packages both render them. */
export function addressLines(order: Order): Record<string, unknown> {
  const a = order.buyer.address;
  return {
    name: order.buyer.name,
    phone_number: '(+1)213-***-1234',
    full_address: `${a.line1}, ${a.city}, ${a.state} ${a.postalCode}`,
    address_detail: '',
    address_line1: a.line1,
    address_line2: '',
    postal_code: a.postalCode,
    region_code: a.regionCode,
  };
}

function recipientAddress(order: Order): Record<string, unknown> {
  const a = order.buyer.address;
  return {
    ...addressLines(order),
    district_info: [
      { address_level: 'L0', address_level_name: 'Country', address_name: a.regionCode },
      { address_level: 'L1', address_level_name: 'State', address_name: a.state },
      { address_level: 'L3', address_level_name: 'City', address_name: a.city },
    ],
  };
}

function buildOrder(ctx: Ctx, order: Order): Record<string, unknown> {
  const hidden =
    order.status === 'UNPAID' ||
    (order.status === 'ON_HOLD' && ctx.settings.business.recipientAddressOnHold === 'hidden');
  const first = order.packageIds.map((id) => ctx.state.packages.get(id)!).find((p) => p.shipped);
  return {
    id: order.id,
    status: order.status,
    order_type: 'NORMAL',
    create_time: order.createTime,
    update_time: order.updateTime,
    paid_time: order.paidTime,
    user_id: order.buyer.userId,
    buyer_email: order.buyer.email,
    buyer_message: '',
    commerce_platform: 'TIKTOK_SHOP',
    fulfillment_type: order.fulfillmentType,
    shipping_type: order.shippingType,
    delivery_type: 'HOME_DELIVERY',
    delivery_option_id: order.deliveryOptionId,
    delivery_option_name: ctx.state.deliveryOptions.get(order.deliveryOptionId)?.name ?? '',
    rts_sla_time: order.deadlines.rtsSlaTime,
    tts_sla_time: order.deadlines.ttsSlaTime,
    shipping_due_time: order.deadlines.shippingDueTime,
    collection_due_time: order.deadlines.collectionDueTime,
    delivery_due_time: order.deadlines.deliveryDueTime,
    warehouse_id: ctx.state.shops.get(order.shopId)?.warehouseId ?? '',
    is_cod: false,
    is_sample_order: false,
    is_on_hold_order: order.status === 'ON_HOLD',
    is_buyer_request_cancel: order.buyerRequestCancel,
    has_updated_recipient_address: order.addressUpdated,
    cancel_reason: order.cancelReason,
    cancellation_initiator: order.cancellationInitiator,
    ...(order.cancelTime !== undefined ? { cancel_time: order.cancelTime } : {}),
    ...(order.rtsTime !== undefined ? { rts_time: order.rtsTime } : {}),
    ...(order.collectionTime !== undefined ? { collection_time: order.collectionTime } : {}),
    ...(order.deliveryTime !== undefined ? { delivery_time: order.deliveryTime } : {}),
    shipping_provider: first ? (ctx.state.providers.get(first.providerId) ?? '') : '',
    shipping_provider_id: first?.providerId ?? '',
    tracking_number: first?.trackingNumber ?? '',
    packages: order.packageIds
      .filter((id) => ctx.state.packages.get(id)?.status !== 'CANCELLED')
      .map((id) => ({ id })),
    payment: payment(order),
    // Not available while UNPAID or ON_HOLD (reference §4.4; ON_HOLD is a setting, see options.ts).
    ...(hidden ? {} : { recipient_address: recipientAddress(order) }),
    line_items: order.lines.map((l) => renderLine(ctx, order, l)),
  };
}

export function renderProduct(ctx: Ctx, shop: Shop, p: Product): Record<string, unknown> {
  return {
    id: p.id,
    title: p.title,
    description: p.description,
    category_id: p.categoryId,
    ...(p.brandId !== undefined ? { brand_id: p.brandId } : {}),
    main_images: p.mainImages.map((uri) => ({ uri })),
    package_weight: p.packageWeight,
    ...(p.packageDimensions ? { package_dimensions: p.packageDimensions } : {}),
    product_attributes: p.attributes,
    status: p.status,
    create_time: p.createTime,
    update_time: p.updateTime,
    sales_regions: [shop.region],
    skus: p.skuIds.map((id) => {
      const s = ctx.state.skus.get(id)!;
      return {
        id: s.id,
        seller_sku: s.sellerSku,
        // Read SKUs carry sale_price, not amount (reference §5.2).
        price: {
          currency: s.currency,
          sale_price: money(s.price, s.currency),
          tax_exclusive_price: money(s.price, s.currency),
        },
        inventory: [...s.stock].map(([warehouse_id, quantity]) => ({ warehouse_id, quantity })),
      };
    }),
  };
}
