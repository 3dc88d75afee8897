/** Returns and cancellations in the wire shapes of reference §7.3 (vendor field names). */
import type { Ctx } from './context.ts';
import type { Cancellation, Order, Refund, Return } from './model.ts';
import { AWAITING_BUYER_RESPONSE, cancellationRefund, renderRefund, returnRefund } from './refunds.ts';
import { money } from './views.ts';

function lineRefs(
  order: Order,
  lineIds: string[],
  ownIds: string[],
  idKey: string,
  refund: Refund,
): Record<string, unknown>[] {
  return lineIds.map((id, i) => {
    const l = order.lines.find((x) => x.id === id)!;
    return {
      [idKey]: ownIds[i],
      order_line_item_id: l.id,
      sku_id: l.skuId,
      sku_name: l.sellerSku,
      seller_sku: l.sellerSku,
      product_name: l.productName,
      refund_amount: renderRefund(refund.lines[i]!, order.currency),
    };
  });
}

/** The seller's move in each status that waits for the seller (reference §7.2). */
function nextAction(r: Return): string | undefined {
  if (r.status === 'BUYER_SHIPPED_ITEM') return 'SELLER_RESPOND_RECEIVE_PACKAGE';
  if (r.status === 'REPLACEMENT_REQUEST_PENDING') return 'SELLER_RESPOND_REPLACEMENT';
  if (r.status !== 'RETURN_OR_REFUND_REQUEST_PENDING') return undefined;
  return r.type === 'REFUND' ? 'SELLER_RESPOND_REFUND' : 'SELLER_RESPOND_RETURN';
}

export function renderReturn(ctx: Ctx, r: Return): Record<string, unknown> {
  const order = ctx.state.orders.get(r.orderId)!;
  const refund = returnRefund(ctx, r);
  const action = nextAction(r);
  const partial = r.offeredAmount ?? r.requestedAmount ?? 0n;
  return {
    return_id: r.id,
    order_id: r.orderId,
    return_type: r.type,
    return_status: r.status,
    arbitration_status: '',
    role: 'BUYER',
    return_reason: r.reason,
    return_reason_text: r.reason,
    create_time: r.createTime,
    update_time: r.updateTime,
    shipment_type: 'PLATFORM',
    handover_method: 'DROP_OFF',
    return_tracking_number: r.trackingNumber,
    return_provider_id: '',
    return_provider_name: r.providerName,
    can_buyer_keep_item: r.canBuyerKeepItem,
    refund_amount: renderRefund(refund.total, order.currency),
    partial_refund: { amount: money(partial, order.currency), currency: order.currency },
    ...(r.status === AWAITING_BUYER_RESPONSE ? { seller_proposed_return_type: 'PARTIAL_REFUND' } : {}),
    seller_next_action_response: action && r.deadline !== undefined ? [{ action, deadline: r.deadline }] : [],
    return_line_items: lineRefs(order, r.lineIds, r.lineReturnIds, 'return_line_item_id', refund),
  };
}

export function renderCancellation(ctx: Ctx, c: Cancellation): Record<string, unknown> {
  const order = ctx.state.orders.get(c.orderId)!;
  const refund = cancellationRefund(ctx, c);
  return {
    cancel_id: c.id,
    order_id: c.orderId,
    cancel_type: c.type,
    cancel_status: c.status,
    cancel_reason: c.reason,
    cancel_reason_text: c.reason,
    role: c.role,
    create_time: c.createTime,
    update_time: c.updateTime,
    refund_amount: renderRefund(refund.total, order.currency),
    seller_next_action_response:
      c.status === 'CANCELLATION_REQUEST_PENDING' && c.deadline !== undefined
        ? [{ action: 'SELLER_RESPOND_CANCEL', deadline: c.deadline }]
        : [],
    cancel_line_items: lineRefs(order, c.lineIds, c.lineCancelIds, 'cancel_line_item_id', refund),
  };
}
