/**
 * Fulfilment (reference §6.1, §6.3): ship a package (platform logistics or self-ship), mark lines
 * shipped with the seller's carrier, update tracking, carrier collection, delivery, completion.
 */
import type { ShipPackageBody } from '../wire/fulfillment.ts';
import { type Ctx, invalidState, notFound } from './context.ts';
import type { Order, Package, Shop } from './model.ts';
import { activeLines, createPackage, getOrder, setStatus, uncommitLines } from './orders.ts';
import { ID_PREFIX, randomToken } from './rng.ts';
import { checkProvider, checkTrackingNumber, optionOf, refuseFbt } from './ship-rules.ts';

export { seedLogistics } from './ship-rules.ts';

const SHIPPABLE = new Set(['AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING']);

export function getPackage(ctx: Ctx, shop: Shop, packageId: string): Package {
  const pkg = ctx.state.packages.get(packageId);
  if (!pkg || pkg.shopId !== shop.id) throw notFound(ctx, 'package', packageId);
  return pkg;
}

/** A tracking number TikTok's label service would print (what the platform assigns). */
export function platformTrackingNumber(ctx: Ctx): string {
  return randomToken(ctx.random, 'TT', 16).toUpperCase();
}

/** Ship Package: platform pickup/drop-off, or self-shipment with the seller's tracking number. */
export function shipPackage(ctx: Ctx, shop: Shop, packageId: string, body: ShipPackageBody): void {
  const pkg = getPackage(ctx, shop, packageId);
  const order = ctx.state.orders.get(pkg.orderId)!;
  refuseFbt(ctx, order);
  if (pkg.shipped) throw invalidState(ctx, `package ${packageId} is already shipped`);
  if (!SHIPPABLE.has(order.status))
    throw invalidState(ctx, `order ${order.id} is ${order.status}, not shippable`);
  const self = body.self_shipment;
  if (self) {
    checkTrackingNumber(ctx, self.tracking_number, 'body.self_shipment.tracking_number');
    checkProvider(ctx, order, self.shipping_provider_id, 'body.self_shipment.shipping_provider_id');
  }
  pkg.shipped = true;
  uncommitLines(ctx, order, pkg.lineIds);
  pkg.handoverMethod = body.handover_method ?? (self ? '' : 'DROP_OFF');
  if (body.pickup_slot)
    pkg.pickupSlot = { startTime: body.pickup_slot.start_time, endTime: body.pickup_slot.end_time };
  pkg.trackingNumber = self?.tracking_number ?? platformTrackingNumber(ctx);
  pkg.providerId = self?.shipping_provider_id ?? optionOf(ctx, order).providerIds[0]!;
  pkg.updateTime = ctx.sim.nowSeconds();
  // The seller's own carrier has the parcel: in transit at once (like mark-shipped below).
  if (self) pkg.status = 'FULFILLING';
  afterShipment(ctx, order, self ? 'SELLER' : 'TIKTOK');
}

/** Mark Package As Shipped (seller shipping): the given lines, or all unshipped active lines. */
export function markShipped(
  ctx: Ctx,
  shop: Shop,
  orderId: string,
  body: { tracking_number: string; shipping_provider_id: string; order_line_item_ids?: string[] | undefined },
): Package {
  const order = getOrder(ctx, shop, orderId);
  refuseFbt(ctx, order);
  if (!SHIPPABLE.has(order.status))
    throw invalidState(ctx, `order ${orderId} is ${order.status}, not shippable`);
  checkTrackingNumber(ctx, body.tracking_number, 'body.tracking_number');
  checkProvider(ctx, order, body.shipping_provider_id, 'body.shipping_provider_id');
  const unshipped = activeLines(order).filter(
    (l) => !l.packageId || !ctx.state.packages.get(l.packageId)?.shipped,
  );
  const wanted = body.order_line_item_ids ?? unshipped.map((l) => l.id);
  for (const id of wanted) {
    if (!unshipped.some((l) => l.id === id))
      throw invalidState(ctx, `line ${id} is unknown, cancelled or shipped`);
  }
  if (wanted.length === 0) throw invalidState(ctx, `order ${orderId} has nothing left to ship`);
  // Lines may sit in an unshipped platform package; they move to the new one.
  const pkg = createPackage(ctx, order, wanted);
  pkg.shipped = true;
  // Seller shipping: the carrier has the parcel, so the package is in transit (FULFILLING) even
  // while other lines of the order wait (reference §6.3; UNCONFIRMED intermediate status).
  pkg.status = 'FULFILLING';
  uncommitLines(ctx, order, wanted);
  pkg.trackingNumber = body.tracking_number;
  pkg.providerId = body.shipping_provider_id;
  afterShipment(ctx, order, 'SELLER');
  return pkg;
}

function afterShipment(ctx: Ctx, order: Order, by: 'SELLER' | 'TIKTOK'): void {
  const lines = activeLines(order);
  const shipped = lines.filter((l) => l.packageId && ctx.state.packages.get(l.packageId)?.shipped);
  order.rtsTime ??= ctx.sim.nowSeconds();
  if (shipped.length < lines.length) {
    setStatus(ctx, order, 'PARTIALLY_SHIPPING');
    return;
  }
  // Seller shipping goes straight to IN_TRANSIT (reference §6.3, UNCONFIRMED intermediate status).
  if (by === 'SELLER') {
    toInTransit(ctx, order);
    return;
  }
  setStatus(ctx, order, 'AWAITING_COLLECTION');
  const after = ctx.settings.business.autoCollectSeconds;
  if (after !== null) ctx.sim.at(ctx.sim.now() + after * 1000, () => collect(ctx, order));
}

export function updateShippingInfo(
  ctx: Ctx,
  shop: Shop,
  packageId: string,
  body: { tracking_number: string; shipping_provider_id: string },
): void {
  const pkg = getPackage(ctx, shop, packageId);
  const order = ctx.state.orders.get(pkg.orderId)!;
  refuseFbt(ctx, order);
  if (!pkg.shipped || pkg.status === 'COMPLETED' || pkg.status === 'CANCELLED') {
    throw invalidState(ctx, `package ${packageId} is not in a state whose tracking can change`);
  }
  checkTrackingNumber(ctx, body.tracking_number, 'body.tracking_number');
  checkProvider(ctx, order, body.shipping_provider_id, 'body.shipping_provider_id');
  pkg.trackingNumber = body.tracking_number;
  pkg.providerId = body.shipping_provider_id;
  pkg.updateTime = ctx.sim.nowSeconds();
}

/** Carrier scan: AWAITING_COLLECTION -> IN_TRANSIT. */
export function collect(ctx: Ctx, order: Order): void {
  if (order.status !== 'AWAITING_COLLECTION') return;
  toInTransit(ctx, order);
}

export function toInTransit(ctx: Ctx, order: Order): void {
  const now = ctx.sim.nowSeconds();
  for (const id of order.packageIds) {
    const pkg = ctx.state.packages.get(id)!;
    if (pkg.shipped && pkg.status === 'PROCESSING') {
      pkg.status = 'FULFILLING';
      pkg.updateTime = now;
    }
  }
  order.collectionTime = now;
  setStatus(ctx, order, 'IN_TRANSIT');
  const after = ctx.settings.business.autoDeliverSeconds;
  if (after !== null) ctx.sim.at(ctx.sim.now() + after * 1000, () => deliver(ctx, order));
}

/** Delivered to the buyer; completion follows after the return window unless a return is open. */
export function deliver(ctx: Ctx, order: Order): void {
  if (order.status === 'AWAITING_COLLECTION') toInTransit(ctx, order);
  if (order.status !== 'IN_TRANSIT') return;
  const now = ctx.sim.nowSeconds();
  for (const id of order.packageIds) {
    const pkg = ctx.state.packages.get(id)!;
    if (pkg.shipped) {
      pkg.status = 'COMPLETED';
      pkg.updateTime = now;
    }
  }
  order.deliveryTime = now;
  // Listed as an unsettled transaction (202507) from now until its statement exists.
  order.unsettledTxId ??= ctx.ids.next(ID_PREFIX.unsettled);
  setStatus(ctx, order, 'DELIVERED');
  scheduleCompletion(ctx, order);
}

export function scheduleCompletion(ctx: Ctx, order: Order): void {
  const at =
    (order.deliveryTime ?? ctx.sim.nowSeconds()) * 1000 + ctx.settings.business.completeAfterSeconds * 1000;
  ctx.sim.at(Math.max(at, ctx.sim.now()), () => complete(ctx, order));
}

/** DELIVERED -> COMPLETED; the order then waits for the next daily statement. */
export function complete(ctx: Ctx, order: Order): void {
  if (order.status !== 'DELIVERED' || order.openReturnIds.size > 0) return;
  order.completeTime = ctx.sim.nowSeconds();
  setStatus(ctx, order, 'COMPLETED');
  ctx.state.pendingSettlement(order.shopId).orders.push(order);
}
