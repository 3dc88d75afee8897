/**
 * Fulfilled by TikTok (reference §4.3 `fulfillment_type: FULFILLMENT_BY_TIKTOK`): TikTok's own
 * warehouse picks, packs and hands the parcel to its carrier. The seller ships nothing (ship and
 * mark-shipped are refused, ship-rules.ts); the sandbox ships the order itself some time after it
 * leaves ON_HOLD (business setting `fbtShipAfterSeconds`, simulated time) or on an admin call,
 * with TikTok's provider and a tracking number, then it moves on like a platform shipment.
 */
import { type Ctx, invalidState } from './context.ts';
import type { Order } from './model.ts';
import { activeLines, createPackage, uncommitLines } from './orders.ts';
import { optionOf } from './ship-rules.ts';
import { platformTrackingNumber, toInTransit } from './shipping.ts';

/** Schedules the warehouse shipment of a new FBT order: the on-hold window, then the delay. */
export function scheduleWarehouseShipment(ctx: Ctx, order: Order): void {
  const b = ctx.settings.business;
  if (order.fulfillmentType !== 'FULFILLMENT_BY_TIKTOK' || b.fbtShipAfterSeconds === null) return;
  const at = ctx.sim.now() + (b.onHoldSeconds + b.fbtShipAfterSeconds) * 1000;
  ctx.sim.at(at, () => {
    // Cancelled, or shipped already by an admin call: nothing to do.
    if (order.status === 'AWAITING_SHIPMENT') warehouseShip(ctx, order);
  });
}

/**
 * TikTok's warehouse ships every active line in one package: TikTok's provider, a TikTok
 * tracking number, handed straight to the carrier (IN_TRANSIT, package FULFILLING), then
 * delivered after `autoDeliverSeconds`. Each status change pushes ORDER_STATUS_CHANGE.
 */
export function warehouseShip(ctx: Ctx, order: Order): void {
  if (order.fulfillmentType !== 'FULFILLMENT_BY_TIKTOK')
    throw invalidState(ctx, `order ${order.id} is ${order.fulfillmentType}: the seller ships it`);
  if (order.status !== 'AWAITING_SHIPMENT')
    throw invalidState(ctx, `order ${order.id} is ${order.status}, not waiting for the warehouse`);
  const lineIds = activeLines(order).map((l) => l.id);
  // The platform package made when the hold ended holds exactly the active lines.
  const open = order.packageIds
    .map((id) => ctx.state.packages.get(id)!)
    .find((p) => !p.shipped && p.status !== 'CANCELLED');
  const pkg = open ?? createPackage(ctx, order, lineIds);
  const now = ctx.sim.nowSeconds();
  pkg.shipped = true;
  pkg.trackingNumber = platformTrackingNumber(ctx);
  pkg.providerId = optionOf(ctx, order).providerIds[0]!;
  pkg.handoverMethod = 'PICKUP';
  pkg.updateTime = now;
  uncommitLines(ctx, order, pkg.lineIds);
  order.rtsTime ??= now;
  toInTransit(ctx, order);
}
