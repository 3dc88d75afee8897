/**
 * The `apply` step of `aftersale.cancellations` (docs/returns.md "Cancellations"). A TikTok
 * cancellation is read afresh, then:
 * - a buyer's request waiting for the seller is answered by policy (aftersale.cancellations):
 *   approved while NetSuite shows none of its lines fulfilled, else rejected with the configured
 *   reason or left to a human (a warning error record, resolved once the request is answered);
 * - a completed cancellation of an imported order has the order re-read and queued on the import
 *   flow, which closes the cancelled lines of the sales order (and raises an error for a human when
 *   NetSuite already shipped one). Before import nothing exists in NetSuite, so nothing is done.
 * Nothing was billed for a cancelled line, so no credit is ever made here. Reservations follow the
 * order itself (the orders' stock hooks release cancelled units when the order is read).
 */
import type { Cancellation, TikTokShopApi } from '../../connectors/tiktok-shop/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { StepContext } from '../engine/define.ts';
import { itemsOfSkus } from '../fulfillment/deps.ts';
import type { AftersaleServices, CancellationPayload } from './deps.ts';
import { salesOrderIdOf } from './returns.ts';

const PENDING = 'CANCELLATION_REQUEST_PENDING';
const DONE = new Set(['CANCELLATION_REQUEST_SUCCESS', 'CANCELLATION_REQUEST_COMPLETE']);

export interface CancellationOutput {
  action: 'approved' | 'rejected' | 'order_resync' | 'none';
  reason: string;
  salesOrderId?: string;
}

export async function applyCancellation(
  s: AftersaleServices,
  payload: CancellationPayload,
  ctx: StepContext,
): Promise<CancellationOutput> {
  const api = await s.shops.api(payload.shopId);
  const c = (await api.returns.getCancellation(payload.cancellation.cancel_id)) ?? payload.cancellation;
  const salesOrderId = await salesOrderIdOf(ctx.db, payload.shopId, c.order_id);
  const so = salesOrderId ? { salesOrderId } : {};
  if (c.cancel_status === PENDING) {
    const out = await answer(s, api, c, salesOrderId);
    ctx.log.info({ cancelId: c.cancel_id, orderId: c.order_id, ...out }, 'cancellation request answered');
    return { ...out, ...so };
  }
  if (!DONE.has(c.cancel_status)) return { action: 'none', reason: `cancellation ${c.cancel_status}`, ...so };
  if (!salesOrderId) return { action: 'none', reason: 'cancelled before import: nothing in NetSuite' };
  await s.resyncOrder?.(payload.shopId, c.order_id);
  return { action: 'order_resync', reason: 'the import flow closes the cancelled lines', salesOrderId };
}

async function answer(
  s: AftersaleServices,
  api: TikTokShopApi,
  c: Cancellation,
  salesOrderId: string | undefined,
): Promise<Omit<CancellationOutput, 'salesOrderId'>> {
  const policy = s.settings.cancellations;
  if (policy.requests === 'manual') throw needsHuman(c, 'aftersale.cancellations.requests is manual');
  const fulfilled = salesOrderId ? await fulfilledSkus(s, api, c, salesOrderId) : [];
  if (fulfilled.length === 0) {
    await api.returns.approveCancellation(c.cancel_id);
    return {
      action: 'approved',
      reason: `approve_unfulfilled: ${salesOrderId ? `sales order ${salesOrderId} shows none of its lines fulfilled` : 'not imported into NetSuite yet'}`,
    };
  }
  const what = `NetSuite shows ${fulfilled.join(', ')} fulfilled`;
  if (policy.whenFulfilled === 'manual') throw needsHuman(c, `${what} and whenFulfilled is manual`);
  await api.returns.rejectCancellation(c.cancel_id, { reject_reason: policy.rejectReason });
  return { action: 'rejected', reason: `${what}: rejected with ${policy.rejectReason}` };
}

/** The request's SKUs of which the sales order shows units fulfilled. */
async function fulfilledSkus(
  s: AftersaleServices,
  api: TikTokShopApi,
  c: Cancellation,
  salesOrderId: string,
): Promise<string[]> {
  const skus = new Set<string>();
  for (const l of c.cancel_line_items) if (l.seller_sku) skus.add(l.seller_sku);
  if (skus.size === 0) {
    // A request without line detail: every SKU of the order.
    const { orders } = await api.orders.readDetails([c.order_id]);
    for (const l of orders[0]?.line_items ?? []) if (l.seller_sku) skus.add(l.seller_sku);
  }
  const itemOf = await itemsOfSkus(
    { items: s.items, overrides: s.mappings.items.overrides },
    [...skus].map((seller_sku) => ({ seller_sku })),
  );
  const so = await s.netsuite.records.get('salesOrder', salesOrderId);
  const shipped = new Set(
    (so.item?.items ?? []).filter((l) => (l.quantityFulfilled ?? 0) > 0).map((l) => l.item?.id),
  );
  return [...skus].filter((sku) => shipped.has(itemOf(sku)));
}

function needsHuman(c: Cancellation, why: string): AppError {
  const deadline = c.seller_next_action_response?.[0]?.deadline;
  const by = deadline ? ` before ${new Date(deadline * 1000).toISOString()}` : '';
  return new AppError(
    'cancellation_needs_human',
    `buyer cancellation request ${c.cancel_id} of order ${c.order_id} waits for you (${why}): approve or reject it in Seller Center${by}`,
    { details: { cancelId: c.cancel_id, orderId: c.order_id, deadline } },
  );
}
