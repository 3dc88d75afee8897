/** Renders packages into the wire shapes of reference §6.1 (vendor field names). */
import type { Ctx } from './context.ts';
import type { Package, Shop } from './model.ts';
import { addressLines } from './views.ts';

/** Where the shop's warehouse sends parcels from (the same address as GET warehouses). */
function senderAddress(shop: Shop | undefined): Record<string, unknown> {
  const us = shop?.region !== 'GB';
  return {
    name: shop?.name ?? '',
    phone_number: us ? '(+1)408-***-0100' : '(+44)20-***-0100',
    full_address: us ? '1199 Coleman Ave, San Jose, CA 95110' : '1 Old St, London EC1A 1BB',
    address_detail: '',
    address_line1: us ? '1199 Coleman Ave' : '1 Old St',
    address_line2: '',
    address_line3: '',
    address_line4: '',
    postal_code: us ? '95110' : 'EC1A 1BB',
    region_code: us ? 'US' : 'GB',
  };
}

/** Package detail, shape of reference §6.1 (no dimension/weight: no Create Packages call set them). */
export function renderPackage(ctx: Ctx, pkg: Package): Record<string, unknown> {
  const order = ctx.state.orders.get(pkg.orderId)!;
  const counts = new Map<string, number>();
  for (const id of pkg.lineIds) {
    const line = order.lines.find((l) => l.id === id);
    if (line) counts.set(line.skuId, (counts.get(line.skuId) ?? 0) + 1);
  }
  const live = order.packageIds.filter((id) => ctx.state.packages.get(id)?.status !== 'CANCELLED');
  return {
    package_id: pkg.id,
    package_status: pkg.status,
    create_time: pkg.createTime,
    update_time: pkg.updateTime,
    order_line_item_ids: pkg.lineIds,
    orders: [{ id: order.id, skus: [...counts].map(([id, quantity]) => ({ id, name: id, quantity })) }],
    // One order split over several packages (partial seller shipments) is a SPLIT.
    split_and_combine_tag: live.length > 1 ? 'SPLIT' : 'DEFAULT',
    note_tag: 'BUYER_UNNOTED',
    has_multi_skus: counts.size > 1,
    shipping_type: order.shippingType,
    shipping_provider_id: pkg.providerId,
    shipping_provider_name: ctx.state.providers.get(pkg.providerId) ?? '',
    tracking_number: pkg.trackingNumber,
    last_mile_tracking_number: '',
    delivery_option_id: pkg.deliveryOptionId,
    delivery_option_name: ctx.state.deliveryOptions.get(pkg.deliveryOptionId)?.name ?? '',
    handover_method: pkg.handoverMethod,
    ...(pkg.pickupSlot
      ? { pickup_slot: { start_time: pkg.pickupSlot.startTime, end_time: pkg.pickupSlot.endTime } }
      : {}),
    sender_address: senderAddress(ctx.state.shops.get(order.shopId)),
    recipient_address: { ...addressLines(order), address_line3: '', address_line4: '' },
  };
}

export function renderPackageSummary(pkg: Package): Record<string, unknown> {
  return {
    id: pkg.id,
    status: pkg.status,
    create_time: pkg.createTime,
    update_time: pkg.updateTime,
    orders: [{ id: pkg.orderId }],
    tracking_number: pkg.trackingNumber,
    shipping_provider_id: pkg.providerId,
  };
}
