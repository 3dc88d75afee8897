/**
 * Cancellations and returns/refunds (reference §7). A buyer may cancel freely while the order is
 * UNPAID or ON_HOLD (accounting §3.3.7); later the request waits for the seller. Returns are
 * opened on delivered orders and hold completion (hence settlement) until they close.
 */
import type { ApproveReturnBody, RejectReturnBody } from '../wire/returns.ts';
import { type Ctx, invalidParam, invalidState, notFound } from './context.ts';
import type { Cancellation, Order, Return, Shop } from './model.ts';
import { activeLines, setStatus, uncommitLines } from './orders.ts';
import { ID_PREFIX } from './rng.ts';
import { complete, scheduleCompletion } from './shipping.ts';

const FREE_CANCEL = new Set(['UNPAID', 'ON_HOLD']);
const CANCELLABLE = new Set(['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING']);

export interface CancelInput {
  by: 'BUYER' | 'SELLER' | 'SYSTEM';
  line_item_ids?: string[] | undefined;
  reason?: string | undefined;
}

/** Starts a cancellation; buyer requests after the on-hold window wait for the seller. */
export function requestCancel(ctx: Ctx, order: Order, input: CancelInput): Cancellation {
  if (!CANCELLABLE.has(order.status))
    throw invalidState(ctx, `order ${order.id} is ${order.status}, too late to cancel`);
  const unshipped = activeLines(order).filter(
    (l) => !l.packageId || !ctx.state.packages.get(l.packageId)?.shipped,
  );
  const lineIds = input.line_item_ids ?? unshipped.map((l) => l.id);
  for (const id of lineIds) {
    if (!unshipped.some((l) => l.id === id))
      throw invalidState(ctx, `line ${id} is unknown, cancelled or shipped`);
  }
  if (lineIds.length === 0) throw invalidState(ctx, `order ${order.id} has no line left to cancel`);
  const now = ctx.sim.nowSeconds();
  const immediate = input.by !== 'BUYER' || FREE_CANCEL.has(order.status);
  const c: Cancellation = {
    id: ctx.ids.next(ID_PREFIX.cancel),
    shopId: order.shopId,
    orderId: order.id,
    type: input.by === 'BUYER' ? 'BUYER_CANCEL' : 'CANCEL',
    status: immediate ? 'CANCELLATION_REQUEST_COMPLETE' : 'CANCELLATION_REQUEST_PENDING',
    role: input.by,
    reason: input.reason ?? 'ecom_order_to_ship_canceled_reason_created_by_mistakes',
    lineIds,
    lineCancelIds: lineIds.map(() => ctx.ids.next(ID_PREFIX.cancelLine)),
    createTime: now,
    updateTime: now,
  };
  ctx.state.cancellations.add(c);
  if (immediate) cancelLines(ctx, order, c);
  else {
    order.buyerRequestCancel = true;
    order.updateTime = now;
  }
  emitCancel(ctx, c);
  return c;
}

function emitCancel(ctx: Ctx, c: Cancellation): void {
  ctx.emit(c.shopId, 11, {
    order_id: c.orderId,
    cancellations_role: c.role,
    cancel_status: c.status,
    cancel_id: c.id,
    create_time: c.createTime,
  });
}

function cancelLines(ctx: Ctx, order: Order, c: Cancellation): void {
  const now = ctx.sim.nowSeconds();
  const cancelUser = c.role === 'SELLER' ? 'SELLER' : c.role;
  for (const id of c.lineIds) {
    const line = order.lines.find((l) => l.id === id)!;
    const shippedPkg = line.packageId ? ctx.state.packages.get(line.packageId) : undefined;
    if (!shippedPkg?.shipped) uncommitLines(ctx, order, [id]);
    line.cancelled = true;
    line.cancelUser = cancelUser;
    line.cancelReason = c.reason;
    const sku = ctx.state.skus.get(line.skuId);
    const shop = ctx.state.shops.get(order.shopId)!;
    if (sku && ctx.settings.business.restockOnCancel)
      sku.stock.set(shop.warehouseId, (sku.stock.get(shop.warehouseId) ?? 0) + 1);
    const pkg = line.packageId ? ctx.state.packages.get(line.packageId) : undefined;
    if (pkg && !pkg.shipped) {
      pkg.lineIds = pkg.lineIds.filter((x) => x !== id);
      if (pkg.lineIds.length === 0) pkg.status = 'CANCELLED';
      pkg.updateTime = now;
      line.packageId = undefined;
    }
  }
  order.buyerRequestCancel = false;
  if (activeLines(order).length === 0) {
    order.cancelTime = now;
    order.cancelReason = c.reason;
    order.cancellationInitiator = c.role;
    setStatus(ctx, order, 'CANCELLED');
  } else {
    order.updateTime = now;
  }
}

export function getCancellation(ctx: Ctx, shop: Shop, id: string): Cancellation {
  const c = ctx.state.cancellations.get(id);
  if (!c || c.shopId !== shop.id) throw notFound(ctx, 'cancellation', id);
  return c;
}

export function decideCancellation(ctx: Ctx, shop: Shop, id: string, approve: boolean): void {
  const c = getCancellation(ctx, shop, id);
  if (c.status !== 'CANCELLATION_REQUEST_PENDING')
    throw invalidState(ctx, `cancellation ${id} is ${c.status}`);
  const order = ctx.state.orders.get(c.orderId)!;
  c.updateTime = ctx.sim.nowSeconds();
  if (approve) {
    c.status = 'CANCELLATION_REQUEST_COMPLETE';
    cancelLines(ctx, order, c);
  } else {
    c.status = ctx.settings.business.cancelledCancellationStatus;
    order.buyerRequestCancel = false;
    order.updateTime = c.updateTime;
  }
  emitCancel(ctx, c);
}

export interface ReturnInput {
  line_item_ids?: string[] | undefined;
  return_type?: 'REFUND' | 'RETURN_AND_REFUND' | undefined;
  reason?: string | undefined;
}

/** A buyer return/refund request on a delivered order. */
export function requestReturn(ctx: Ctx, order: Order, input: ReturnInput): Return {
  if (order.status !== 'DELIVERED')
    throw invalidState(ctx, `order ${order.id} is ${order.status}, not DELIVERED`);
  const open = new Set<string>();
  for (const rid of order.openReturnIds) for (const l of ctx.state.returns.get(rid)!.lineIds) open.add(l);
  const eligible = activeLines(order).filter((l) => !l.refunded && !open.has(l.id));
  const lineIds = input.line_item_ids ?? eligible.map((l) => l.id);
  for (const id of lineIds) {
    if (!eligible.some((l) => l.id === id)) throw invalidParam(`line ${id} cannot be returned`);
  }
  if (lineIds.length === 0) throw invalidState(ctx, `order ${order.id} has nothing left to return`);
  const now = ctx.sim.nowSeconds();
  const r: Return = {
    id: ctx.ids.next(ID_PREFIX.return),
    shopId: order.shopId,
    orderId: order.id,
    type: input.return_type ?? 'RETURN_AND_REFUND',
    status: 'RETURN_OR_REFUND_REQUEST_PENDING',
    reason: input.reason ?? 'ecom_order_delivered_refund_and_return_reason_wrong_product_seller',
    lineIds,
    lineReturnIds: lineIds.map(() => ctx.ids.next(ID_PREFIX.returnLine)),
    createTime: now,
    updateTime: now,
  };
  ctx.state.returns.add(r);
  order.openReturnIds.add(r.id);
  emitReturn(ctx, r);
  return r;
}

function emitReturn(ctx: Ctx, r: Return): void {
  ctx.emit(r.shopId, 12, {
    order_id: r.orderId,
    return_role: 'BUYER',
    return_type: r.type,
    return_status: r.status,
    return_id: r.id,
    create_time: r.createTime,
    update_time: r.updateTime,
  });
}

export function getReturn(ctx: Ctx, shop: Shop, id: string): Return {
  const r = ctx.state.returns.get(id);
  if (!r || r.shopId !== shop.id) throw notFound(ctx, 'return', id);
  return r;
}

const PENDING = 'RETURN_OR_REFUND_REQUEST_PENDING';

export function approveReturn(ctx: Ctx, shop: Shop, id: string, body: ApproveReturnBody): void {
  const r = getReturn(ctx, shop, id);
  const d = body.decision;
  if (r.status === PENDING && r.type === 'RETURN_AND_REFUND' && d === 'APPROVE_RETURN') {
    transition(ctx, r, 'AWAITING_BUYER_SHIP');
  } else if (
    (r.status === PENDING && r.type === 'REFUND' && d === 'APPROVE_REFUND') ||
    (r.status === 'BUYER_SHIPPED_ITEM' && d === 'APPROVE_RECEIVED_PACKAGE')
  ) {
    closeReturn(ctx, r, true);
  } else {
    throw invalidState(ctx, `decision ${d} does not apply to a ${r.type} return in ${r.status}`);
  }
}

export function rejectReturn(ctx: Ctx, shop: Shop, id: string, body: RejectReturnBody): void {
  const r = getReturn(ctx, shop, id);
  const d = body.decision;
  if (r.status === PENDING && (d === 'REJECT_REFUND' || d === 'REJECT_RETURN')) {
    r.status = 'REFUND_OR_RETURN_REQUEST_REJECT';
    closeReturn(ctx, r, false);
    return;
  }
  if (r.status === 'BUYER_SHIPPED_ITEM' && d === 'REJECT_RECEIVED_PACKAGE') {
    r.status = 'REJECT_RECEIVE_PACKAGE';
    closeReturn(ctx, r, false);
    return;
  }
  throw invalidState(ctx, `decision ${d} does not apply to a return in ${r.status}`);
}

/** Admin: the buyer hands the parcel to the carrier. */
export function buyerShipsReturn(ctx: Ctx, r: Return): void {
  if (r.status !== 'AWAITING_BUYER_SHIP') throw invalidState(ctx, `return ${r.id} is ${r.status}`);
  transition(ctx, r, 'BUYER_SHIPPED_ITEM');
}

function transition(ctx: Ctx, r: Return, status: string): void {
  r.status = status;
  r.updateTime = ctx.sim.nowSeconds();
  emitReturn(ctx, r);
}

function closeReturn(ctx: Ctx, r: Return, refunded: boolean): void {
  const order = ctx.state.orders.get(r.orderId)!;
  if (refunded) {
    r.status = 'RETURN_OR_REFUND_REQUEST_COMPLETE';
    for (const id of r.lineIds) order.lines.find((l) => l.id === id)!.refunded = true;
  }
  r.updateTime = ctx.sim.nowSeconds();
  order.openReturnIds.delete(r.id);
  order.updateTime = r.updateTime;
  emitReturn(ctx, r);
  if (order.openReturnIds.size === 0 && order.status === 'DELIVERED') {
    const due = (order.deliveryTime ?? 0) + ctx.settings.business.completeAfterSeconds;
    if (due <= ctx.sim.nowSeconds()) complete(ctx, order);
    else scheduleCompletion(ctx, order);
  }
}
