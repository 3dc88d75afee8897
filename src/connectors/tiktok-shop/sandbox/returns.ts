/**
 * Returns, refunds and replacements (reference §7) on delivered orders, and on completed ones
 * (`returnsAfterCompletion`; a refund after settlement settles in a later statement, statements.ts).
 * An open return holds a delivered order's completion (hence settlement) until it closes. A request the seller leaves pending, or a
 * returned parcel left unanswered, is approved by the system at its deadline (settings
 * `returnRequestTimeoutSeconds`, `receivePackageTimeoutSeconds`). Figures: refunds.ts.
 */
import type { ApproveReturnBody, RejectReturnBody } from '../wire/returns.ts';
import { checkRejectReason, pickLines } from './aftersale.ts';
import { type Ctx, invalidParam, invalidState, notFound } from './context.ts';
import type { Order, Refund, Return, ReturnKind, Shop } from './model.ts';
import { activeLines } from './orders.ts';
import {
  AWAITING_BUYER_RESPONSE,
  checkPartialAmount,
  fullRefund,
  noRefund,
  returnRefund,
} from './refunds.ts';
import { ID_PREFIX } from './rng.ts';
import { checkTrackingNumber, deliveryOptionFor } from './ship-rules.ts';
import { complete, platformTrackingNumber, scheduleCompletion } from './shipping.ts';
import { noteRefund } from './statements.ts';

const PENDING = 'RETURN_OR_REFUND_REQUEST_PENDING';
const REPLACEMENT_PENDING = 'REPLACEMENT_REQUEST_PENDING';
const AWAITING_SHIP = 'AWAITING_BUYER_SHIP';
const SHIPPED = 'BUYER_SHIPPED_ITEM';
const COMPLETE = 'RETURN_OR_REFUND_REQUEST_COMPLETE';

export interface ReturnInput {
  line_item_ids?: string[] | undefined;
  return_type?: ReturnKind | undefined;
  reason?: string | undefined;
  /** Refund only: the buyer asks for this much (decimal string) instead of the full amount. */
  amount?: string | undefined;
  currency?: string | undefined;
  can_buyer_keep_item?: boolean | undefined;
}

/** A buyer return/refund/replacement request on a delivered order. */
export function requestReturn(ctx: Ctx, order: Order, input: ReturnInput): Return {
  // After completion (and settlement) too, unless `returnsAfterCompletion` is off.
  const late = ctx.settings.business.returnsAfterCompletion;
  if (order.status !== 'DELIVERED' && !(late && order.status === 'COMPLETED'))
    throw invalidState(
      ctx,
      `order ${order.id} is ${order.status}, not DELIVERED${late ? ' or COMPLETED' : ''}`,
    );
  const open = new Set<string>();
  for (const rid of order.openReturnIds) for (const l of ctx.state.returns.get(rid)!.lineIds) open.add(l);
  const eligible = activeLines(order)
    .filter((l) => l.refund === undefined && !open.has(l.id))
    .map((l) => l.id);
  if (eligible.length === 0) throw invalidState(ctx, `order ${order.id} has nothing left to return`);
  const lineIds = pickLines(input.line_item_ids, eligible, 'body.line_item_ids');
  const type = input.return_type ?? 'RETURN_AND_REFUND';
  if (input.amount !== undefined && type !== 'REFUND')
    throw invalidParam('param body.amount is invalid: a partial amount applies to return_type REFUND only');
  const requested =
    input.amount === undefined
      ? undefined
      : checkPartialAmount(order, lineIds, { amount: input.amount, currency: input.currency }, 'body');
  const now = ctx.sim.nowSeconds();
  const r: Return = {
    id: ctx.ids.next(ID_PREFIX.return),
    shopId: order.shopId,
    orderId: order.id,
    type,
    status: PENDING,
    reason: input.reason ?? 'ecom_order_delivered_refund_and_return_reason_wrong_product_seller',
    lineIds,
    lineReturnIds: lineIds.map(() => ctx.ids.next(ID_PREFIX.returnLine)),
    createTime: now,
    updateTime: now,
    requestedAmount: requested,
    offeredAmount: undefined,
    canBuyerKeepItem: input.can_buyer_keep_item ?? ctx.settings.business.canBuyerKeepItem,
    trackingNumber: '',
    providerName: '',
    deadline: undefined,
    refund: undefined,
  };
  ctx.state.returns.add(r);
  order.openReturnIds.add(r.id);
  toStatus(ctx, r, type === 'REPLACEMENT' ? REPLACEMENT_PENDING : PENDING);
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

/** How long the seller has in each waiting status; other statuses wait for the buyer. */
function timeoutOf(ctx: Ctx, status: string): number | undefined {
  const b = ctx.settings.business;
  if (status === PENDING || status === REPLACEMENT_PENDING) return b.returnRequestTimeoutSeconds;
  if (status === SHIPPED) return b.receivePackageTimeoutSeconds;
  return undefined;
}

/** Moves to `status`, stamps it, sets (and arms) the seller's deadline, pushes type 12. */
function toStatus(ctx: Ctx, r: Return, status: string): void {
  r.status = status;
  r.updateTime = ctx.sim.nowSeconds();
  const timeout = timeoutOf(ctx, status);
  r.deadline = timeout === undefined ? undefined : r.updateTime + timeout;
  const due = r.deadline;
  // A stale timer (the return moved on, perhaps back to this status later) must do nothing.
  if (due !== undefined)
    ctx.sim.at(due * 1000, () => {
      if (r.status === status && r.deadline === due) systemApproves(ctx, r);
    });
  emitReturn(ctx, r);
}

/** The seller's deadline passed: the system approves what the seller would have. */
function systemApproves(ctx: Ctx, r: Return): void {
  if (r.status === REPLACEMENT_PENDING)
    closeReturn(ctx, r, 'REPLACEMENT_REQUEST_COMPLETE', noRefund(r.lineIds), false);
  else if (r.status === PENDING && r.type === 'RETURN_AND_REFUND') toStatus(ctx, r, AWAITING_SHIP);
  else refund(ctx, r);
}

function refund(ctx: Ctx, r: Return): void {
  closeReturn(ctx, r, COMPLETE, returnRefund(ctx, r), true);
}

/** Fields that belong to one decision only; sent with another they are a parameter error. */
function checkDecisionFields(r: Return, body: ApproveReturnBody): void {
  if (body.partial_refund && body.decision !== 'OFFER_PARTIAL_REFUND')
    throw invalidParam(
      'param body.partial_refund is invalid: it goes with decision OFFER_PARTIAL_REFUND only',
    );
  if (!body.partial_refund && body.decision === 'OFFER_PARTIAL_REFUND')
    throw invalidParam('param body.partial_refund is missing: OFFER_PARTIAL_REFUND needs {amount, currency}');
  if (body.buyer_keep_item && body.decision !== 'APPROVE_RETURN')
    throw invalidParam('param body.buyer_keep_item is invalid: it goes with decision APPROVE_RETURN only');
  if (body.buyer_keep_item && !r.canBuyerKeepItem)
    throw invalidParam(`param body.buyer_keep_item is invalid: return ${r.id} has can_buyer_keep_item false`);
}

export function approveReturn(ctx: Ctx, shop: Shop, id: string, body: ApproveReturnBody): void {
  const r = getReturn(ctx, shop, id);
  checkDecisionFields(r, body);
  const d = body.decision;
  const s = r.status;
  if (s === REPLACEMENT_PENDING && d === 'APPROVE_REPLACEMENT') {
    closeReturn(ctx, r, 'REPLACEMENT_REQUEST_COMPLETE', noRefund(r.lineIds), false);
  } else if (s === REPLACEMENT_PENDING && d === 'ISSUE_REPLACEMENT_REFUND') {
    // No replacement to send: the buyer gets the full refund instead.
    const order = ctx.state.orders.get(r.orderId)!;
    closeReturn(ctx, r, 'REPLACEMENT_REQUEST_REFUND_SUCCESS', fullRefund(ctx, order, r.lineIds), true);
  } else if (s === PENDING && d === 'OFFER_PARTIAL_REFUND' && body.partial_refund) {
    const order = ctx.state.orders.get(r.orderId)!;
    r.offeredAmount = checkPartialAmount(order, r.lineIds, body.partial_refund, 'body.partial_refund');
    toStatus(ctx, r, AWAITING_BUYER_RESPONSE);
  } else if (s === PENDING && r.type === 'RETURN_AND_REFUND' && d === 'APPROVE_RETURN') {
    // The buyer keeps the item: nothing comes back, so the refund is due now.
    if (body.buyer_keep_item) refund(ctx, r);
    else toStatus(ctx, r, AWAITING_SHIP);
  } else if (
    (s === PENDING && r.type === 'REFUND' && d === 'APPROVE_REFUND') ||
    (s === SHIPPED && d === 'APPROVE_RECEIVED_PACKAGE')
  ) {
    refund(ctx, r);
  } else {
    throw invalidState(ctx, `decision ${d} does not apply to a ${r.type} return in ${s}`);
  }
}

export function rejectReturn(ctx: Ctx, shop: Shop, id: string, body: RejectReturnBody): void {
  checkRejectReason(ctx, body.reject_reason);
  const r = getReturn(ctx, shop, id);
  const d = body.decision;
  const figures = returnRefund(ctx, r);
  if (r.status === PENDING && (d === 'REJECT_REFUND' || d === 'REJECT_RETURN')) {
    closeReturn(ctx, r, 'REFUND_OR_RETURN_REQUEST_REJECT', figures, false);
  } else if (r.status === REPLACEMENT_PENDING && d === 'REJECT_REPLACEMENT') {
    closeReturn(ctx, r, 'REPLACEMENT_REQUEST_REJECT', figures, false);
  } else if (r.status === SHIPPED && d === 'REJECT_RECEIVED_PACKAGE') {
    closeReturn(ctx, r, 'REJECT_RECEIVE_PACKAGE', figures, false);
  } else {
    throw invalidState(ctx, `decision ${d} does not apply to a ${r.type} return in ${r.status}`);
  }
}

/** Admin: the buyer hands the parcel to a carrier (theirs, or TikTok's label when none given). */
export function buyerShipsReturn(
  ctx: Ctx,
  r: Return,
  parcel: { tracking_number?: string | undefined; provider_name?: string | undefined },
): void {
  if (r.status !== AWAITING_SHIP)
    throw invalidState(ctx, `return ${r.id} is ${r.status}, not ${AWAITING_SHIP}`);
  if (parcel.tracking_number !== undefined)
    checkTrackingNumber(ctx, parcel.tracking_number, 'body.tracking_number');
  r.trackingNumber = parcel.tracking_number ?? platformTrackingNumber(ctx);
  r.providerName = parcel.provider_name ?? platformProviderName(ctx);
  toStatus(ctx, r, SHIPPED);
}

/** The carrier of TikTok's own labels (the platform delivery option's provider). */
function platformProviderName(ctx: Ctx): string {
  const option = ctx.state.deliveryOptions.get(deliveryOptionFor(ctx, 'TIKTOK'))!;
  return ctx.state.providers.get(option.providerIds[0]!) ?? '';
}

/** Admin: the buyer accepts the seller's partial refund offer (refunded now) or declines it. */
export function buyerAnswersOffer(ctx: Ctx, r: Return, accept: boolean): void {
  if (r.status !== AWAITING_BUYER_RESPONSE)
    throw invalidState(ctx, `return ${r.id} is ${r.status}: there is no offer to answer`);
  if (accept) {
    refund(ctx, r);
    return;
  }
  r.offeredAmount = undefined;
  toStatus(ctx, r, PENDING);
}

/**
 * Closes a return with frozen figures; `refunded` marks its lines refunded with their share (what
 * the settlement books). The order completes once no return is open and its window has passed.
 */
function closeReturn(ctx: Ctx, r: Return, status: string, figures: Refund, refunded: boolean): void {
  const order = ctx.state.orders.get(r.orderId)!;
  r.refund = figures;
  if (refunded) {
    r.lineIds.forEach((id, i) => {
      order.lines.find((l) => l.id === id)!.refund = figures.lines[i];
    });
    noteRefund(ctx, order, r.lineIds);
  }
  toStatus(ctx, r, status);
  order.openReturnIds.delete(r.id);
  order.updateTime = r.updateTime;
  if (order.openReturnIds.size === 0 && order.status === 'DELIVERED') {
    const due = (order.deliveryTime ?? 0) + ctx.settings.business.completeAfterSeconds;
    if (due <= ctx.sim.nowSeconds()) complete(ctx, order);
    else scheduleCompletion(ctx, order);
  }
}
