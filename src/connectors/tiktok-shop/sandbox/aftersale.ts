/**
 * Cancellations (reference §7). A buyer may cancel freely while the order is UNPAID or ON_HOLD
 * (accounting §3.3.7); later the request waits for the seller, and the system approves it when
 * the seller lets `cancelRequestTimeoutSeconds` pass. Returns live in returns.ts.
 */
import type { RejectCancellationBody } from '../wire/returns.ts';
import { type Ctx, invalidParam, invalidState, notFound } from './context.ts';
import type { Cancellation, Order, Shop } from './model.ts';
import { activeLines, setStatus, uncommitLines } from './orders.ts';
import { cancellationRefund } from './refunds.ts';
import { ID_PREFIX } from './rng.ts';

const FREE_CANCEL = new Set(['UNPAID', 'ON_HOLD']);
const CANCELLABLE = new Set(['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING']);
const PENDING = 'CANCELLATION_REQUEST_PENDING';
const COMPLETE = 'CANCELLATION_REQUEST_COMPLETE';

export interface CancelInput {
  by: 'BUYER' | 'SELLER' | 'SYSTEM';
  line_item_ids?: string[] | undefined;
  reason?: string | undefined;
  /** Where the line ids came from, for error messages (admin `body.line_item_ids`). */
  field?: string | undefined;
}

/**
 * The line ids a request names: each once, each one of `eligible`. An explicit empty list is a
 * parameter error, not "all lines".
 */
export function pickLines(given: string[] | undefined, eligible: readonly string[], field: string): string[] {
  if (given === undefined) return [...eligible];
  if (given.length === 0)
    throw invalidParam(`param ${field} is invalid: name at least one line, or leave it out`);
  const seen = new Set<string>();
  given.forEach((id, i) => {
    if (seen.has(id)) throw invalidParam(`param ${field}.${i} is invalid: line ${id} is listed twice`);
    seen.add(id);
    if (!eligible.includes(id))
      throw invalidParam(
        `param ${field}.${i} is invalid: line ${JSON.stringify(id)} is not one this request can take`,
      );
  });
  return given;
}

function unshippedLines(ctx: Ctx, order: Order): string[] {
  return activeLines(order)
    .filter((l) => !l.packageId || !ctx.state.packages.get(l.packageId)?.shipped)
    .map((l) => l.id);
}

/** Starts a cancellation; buyer requests after the on-hold window wait for the seller. */
export function requestCancel(ctx: Ctx, order: Order, input: CancelInput): Cancellation {
  if (!CANCELLABLE.has(order.status))
    throw invalidState(ctx, `order ${order.id} is ${order.status}, too late to cancel`);
  const unshipped = unshippedLines(ctx, order);
  if (unshipped.length === 0) throw invalidState(ctx, `order ${order.id} has no line left to cancel`);
  const lineIds = pickLines(input.line_item_ids, unshipped, input.field ?? 'body.line_item_ids');
  const now = ctx.sim.nowSeconds();
  const immediate = input.by !== 'BUYER' || FREE_CANCEL.has(order.status);
  const c: Cancellation = {
    id: ctx.ids.next(ID_PREFIX.cancel),
    shopId: order.shopId,
    orderId: order.id,
    type: input.by === 'BUYER' ? 'BUYER_CANCEL' : 'CANCEL',
    status: PENDING,
    role: input.by,
    reason: input.reason ?? 'ecom_order_to_ship_canceled_reason_created_by_mistakes',
    lineIds,
    lineCancelIds: lineIds.map(() => ctx.ids.next(ID_PREFIX.cancelLine)),
    createTime: now,
    updateTime: now,
    deadline: undefined,
    refund: undefined,
  };
  ctx.state.cancellations.add(c);
  if (immediate) {
    closeCancellation(ctx, c, COMPLETE);
    return c;
  }
  order.buyerRequestCancel = true;
  order.updateTime = now;
  c.deadline = now + ctx.settings.business.cancelRequestTimeoutSeconds;
  ctx.sim.at(c.deadline * 1000, () => systemDecides(ctx, c));
  emitCancel(ctx, c);
  return c;
}

/** The seller let the deadline pass: approved, unless a line has shipped since (then closed). */
function systemDecides(ctx: Ctx, c: Cancellation): void {
  if (c.status !== PENDING) return;
  const order = ctx.state.orders.get(c.orderId)!;
  const still = new Set(unshippedLines(ctx, order));
  const status = c.lineIds.every((id) => still.has(id))
    ? COMPLETE
    : ctx.settings.business.cancelledCancellationStatus;
  closeCancellation(ctx, c, status);
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

/** Freezes the figures (before the lines change), applies the outcome and pushes type 11. */
function closeCancellation(ctx: Ctx, c: Cancellation, status: string): void {
  const order = ctx.state.orders.get(c.orderId)!;
  c.refund = cancellationRefund(ctx, c);
  c.status = status;
  c.deadline = undefined;
  c.updateTime = ctx.sim.nowSeconds();
  if (status === COMPLETE) cancelLines(ctx, order, c);
  else {
    order.buyerRequestCancel = false;
    order.updateTime = c.updateTime;
  }
  emitCancel(ctx, c);
}

function cancelLines(ctx: Ctx, order: Order, c: Cancellation): void {
  const now = ctx.sim.nowSeconds();
  const shop = ctx.state.shops.get(order.shopId)!;
  for (const id of c.lineIds) {
    const line = order.lines.find((l) => l.id === id)!;
    const pkg = line.packageId ? ctx.state.packages.get(line.packageId) : undefined;
    if (!pkg?.shipped) uncommitLines(ctx, order, [id]);
    line.cancelled = true;
    line.cancelUser = c.role;
    line.cancelReason = c.reason;
    const sku = ctx.state.skus.get(line.skuId);
    if (sku && ctx.settings.business.restockOnCancel)
      sku.stock.set(shop.warehouseId, (sku.stock.get(shop.warehouseId) ?? 0) + 1);
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

function pendingCancellation(ctx: Ctx, shop: Shop, id: string): Cancellation {
  const c = getCancellation(ctx, shop, id);
  if (c.status !== PENDING) throw invalidState(ctx, `cancellation ${id} is ${c.status}`);
  return c;
}

export function approveCancellation(ctx: Ctx, shop: Shop, id: string): void {
  const c = pendingCancellation(ctx, shop, id);
  const still = new Set(unshippedLines(ctx, ctx.state.orders.get(c.orderId)!));
  const gone = c.lineIds.find((l) => !still.has(l));
  if (gone) throw invalidState(ctx, `line ${gone} has shipped since the request; reject it instead`);
  closeCancellation(ctx, c, COMPLETE);
}

export function rejectCancellation(ctx: Ctx, shop: Shop, id: string, body: RejectCancellationBody): void {
  checkRejectReason(ctx, body.reject_reason);
  const c = pendingCancellation(ctx, shop, id);
  closeCancellation(ctx, c, ctx.settings.business.cancelledCancellationStatus);
}

/** A reject_reason must be one GET …/reject_reasons lists (setting `rejectReasons`). */
export function checkRejectReason(ctx: Ctx, reason: string): void {
  const names = ctx.settings.business.rejectReasons.map((r) => r.name);
  if (!names.includes(reason))
    throw invalidParam(
      `param body.reject_reason is invalid: ${JSON.stringify(reason)} is not a reason GET /return_refund/202309/reject_reasons lists (${names.join(', ')})`,
    );
}
