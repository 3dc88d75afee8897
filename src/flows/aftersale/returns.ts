/**
 * The `book` step of `aftersale.returns`: one TikTok return (refund only, return and refund,
 * partial) into NetSuite (docs/returns.md). The return is read afresh from TikTok, then:
 * - an optional rule approves a pending request (or a received parcel) on TikTok, logged with the rule;
 * - once TikTok approved a return of goods: a return authorization for the returned units;
 * - once the parcel is back (the refund completed after it was shipped): an item receipt, restocked
 *   to the returns location unless the reason says lost or damaged;
 * - once TikTok completed the refund: the credit (credit memo or cash refund) with lines as TikTok's
 *   breakdown has them, and the customer refund when the accounting model pays one.
 * Every document is found again by external id, so the step can run any number of times.
 */
import type { Kysely } from 'kysely';
import type { Order, Return, TikTokShopApi } from '../../connectors/tiktok-shop/index.ts';
import { planRefund } from '../../mappings/refund-lines.ts';
import { AppError } from '../../shared/errors.ts';
import { parseMoney } from '../../shared/money.ts';
import type { Database } from '../../store/schema.ts';
import type { XrefKey } from '../../store/xref.ts';
import type { StepContext } from '../engine/define.ts';
import { itemsOfSkus } from '../fulfillment/deps.ts';
import { releaseLease, takeLease } from '../orders/sync-state.ts';
import type { AftersaleServices, ReturnDocumentKind, ReturnPayload } from './deps.ts';
import {
  ensureCredit,
  ensureCustomerRefund,
  ensureItemReceipt,
  ensureReturnAuthorization,
  type ReturnScope,
  restockOf,
} from './documents.ts';

export const RETURN_STATUS = {
  pending: 'RETURN_OR_REFUND_REQUEST_PENDING',
  awaitingShip: 'AWAITING_BUYER_SHIP',
  shipped: 'BUYER_SHIPPED_ITEM',
  complete: 'RETURN_OR_REFUND_REQUEST_COMPLETE',
} as const;

/** Statuses in which the buyer's goods are on their way back (or back). */
const GOODS_COMING = new Set<string>([RETURN_STATUS.awaitingShip, RETURN_STATUS.shipped]);

export interface ReturnOutput {
  action: 'approved' | 'waiting' | 'booked' | 'none';
  reason?: string;
  rule?: string;
  documents: Partial<Record<ReturnDocumentKind, string>>;
  /** The credit's total as booked (refund_total less any tax kept out of the books). */
  credited?: string;
  refundTotal?: string;
}

export function returnXref(shopId: string, returnId: string, kind: ReturnDocumentKind): XrefKey {
  return {
    sourceSystem: 'tiktok',
    sourceType: 'return',
    sourceId: `${shopId}:${returnId}`,
    targetSystem: 'netsuite',
    targetType: kind,
  };
}

export async function salesOrderIdOf(db: Kysely<Database>, shopId: string, orderId: string) {
  const row = await db
    .selectFrom('order_sync')
    .select('sales_order_id')
    .where('shop_id', '=', shopId)
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  return row?.sales_order_id ?? undefined;
}

export async function bookReturn(
  s: AftersaleServices,
  payload: ReturnPayload,
  ctx: StepContext,
): Promise<ReturnOutput> {
  const api = await s.shops.api(payload.shopId);
  let ret = (await api.returns.getReturn(payload.return.return_id)) ?? payload.return;
  const decided = await autoDecide(s, api, ret, ctx);
  if (decided) {
    ctx.log.info({ returnId: ret.return_id, ...decided }, 'return decided by rule');
    // Go on with what TikTok shows now: a refund-only approval completes the refund at once.
    ret = (await api.returns.getReturn(ret.return_id)) ?? ret;
  }
  // Two versions of one return (or two returns of one order) may run at once on two workers: the
  // order's lease (shared with the import and the fulfillment push) makes them take turns, so the
  // lookup-then-create of each document never races its twin.
  const ref = { shopId: payload.shopId, orderId: ret.order_id };
  const owner = `${ctx.recordKey}@${ctx.version}`;
  await takeLease(ctx, ref, owner, LEASE_SECONDS);
  try {
    const out = await book(s, api, payload.shopId, ret, ctx);
    return decided ? { ...out, rule: decided.rule } : out;
  } finally {
    await releaseLease(ctx.db, ref, owner);
  }
}

/** A few NetSuite writes; a process killed while holding it delays the order's other steps no longer. */
const LEASE_SECONDS = 60;

/** A parcel comes (or came) back: approved for return, shipped, or completed after a return label. */
function parcelOf(ret: Return): boolean {
  if (ret.return_type !== 'RETURN_AND_REFUND') return false;
  if (GOODS_COMING.has(ret.return_status)) return true;
  return ret.return_status === RETURN_STATUS.complete && !!ret.return_tracking_number;
}

async function book(
  s: AftersaleServices,
  api: TikTokShopApi,
  shopId: string,
  ret: Return,
  ctx: StepContext,
): Promise<ReturnOutput> {
  const parcel = parcelOf(ret);
  const refunded = ret.return_status === RETURN_STATUS.complete;
  if (!parcel && !refunded) return { action: 'waiting', reason: ret.return_status, documents: {} };
  const salesOrderId = await salesOrderIdOf(ctx.db, shopId, ret.order_id);
  if (!salesOrderId) {
    throw new AppError(
      'return_order_not_imported',
      `TikTok return ${ret.return_id} is for order ${ret.order_id}, which TikSuite never imported into NetSuite: import it (tiksuite orders sync --ids ${ret.order_id}), then retry; or book the refund by hand and resolve`,
      { details: { returnId: ret.return_id, orderId: ret.order_id, shopId } },
    );
  }
  const order = await orderOf(api, ret);
  const salesOrder = await s.netsuite.records.get('salesOrder', salesOrderId);
  const overrides = s.mappings.items.overrides;
  const itemOf = await itemsOfSkus({ items: s.items, overrides }, order.line_items);
  const x: ReturnScope = { s, shopId, ret, order, salesOrder, itemOf };
  const documents: ReturnOutput['documents'] = {};
  const put = async (kind: ReturnDocumentKind, id: string) => {
    documents[kind] = id;
    await ctx.xref.put(returnXref(shopId, ret.return_id, kind), id);
    s.onBooked?.({
      shopId,
      returnId: ret.return_id,
      orderId: ret.order_id,
      document: kind,
      netsuiteId: id,
      at: Date.now(),
    });
  };
  // Every returned unit goes on the authorization, whatever part of its price is refunded.
  const units = new Map<string, number>();
  for (const l of ret.return_line_items) {
    const sku = order.line_items.find((o) => o.id === l.order_line_item_id)?.seller_sku;
    if (sku) units.set(sku, (units.get(sku) ?? 0) + 1);
  }
  if (parcel) await put('returnAuthorization', await ensureReturnAuthorization(x, units));
  if (parcel && refunded && documents.returnAuthorization) {
    const { restock, location } = restockOf(x);
    if (restock)
      await put('itemReceipt', await ensureItemReceipt(x, documents.returnAuthorization, location));
  }
  if (!refunded) return { action: 'waiting', reason: ret.return_status, documents };
  const plan = planRefund(order, ret, { mappings: s.mappings, ...s.settings.refunds }, (sku) => {
    const id = itemOf(sku);
    return id ? { id } : undefined;
  });
  const credit = await ensureCredit(x, plan, documents.returnAuthorization);
  await put('credit', credit.id);
  if (s.settings.refunds.model === 'credit_memo_and_refund' && credit.type === 'creditMemo')
    await put('refund', await ensureCustomerRefund(x, credit.id, plan.total));
  return { action: 'booked', documents, credited: plan.total, refundTotal: plan.refundTotal };
}

async function orderOf(api: TikTokShopApi, ret: Return): Promise<Order> {
  const { orders } = await api.orders.readDetails([ret.order_id]);
  const order = orders[0];
  if (order) return order;
  throw new AppError(
    'return_line_not_on_order',
    `TikTok return ${ret.return_id} names order ${ret.order_id}, which TikTok does not return in a shape TikSuite can read: check the order, then retry`,
    { details: { returnId: ret.return_id, orderId: ret.order_id } },
  );
}

/** The automation rule (aftersale.autoApprove): approves on TikTok what it allows, or nothing. */
async function autoDecide(
  s: AftersaleServices,
  api: TikTokShopApi,
  ret: Return,
  ctx: StepContext,
): Promise<{ action: 'approved'; rule: string } | undefined> {
  const a = s.settings.autoApprove;
  if (!a.enabled) return undefined;
  if (ret.return_status === RETURN_STATUS.shipped && a.receivedPackages) {
    await api.returns.approveReturn(ret.return_id, { decision: 'APPROVE_RECEIVED_PACKAGE' });
    return { action: 'approved', rule: 'autoApprove.receivedPackages' };
  }
  if (ret.return_status !== RETURN_STATUS.pending) return undefined;
  const type = ret.return_type;
  if (type !== 'REFUND' && type !== 'RETURN_AND_REFUND') return undefined;
  if (!a.types.includes(type)) return undefined;
  if (a.reasons.length && !a.reasons.includes(ret.return_reason ?? '')) return undefined;
  const amount = ret.refund_amount;
  if (!amount) return undefined;
  const total = parseMoney(amount.refund_total, amount.currency, 'refund_amount.refund_total').minor;
  const max = parseMoney(a.maxAmount, amount.currency, 'aftersale.autoApprove.maxAmount').minor;
  if (total > max) return undefined;
  const decision = type === 'REFUND' ? 'APPROVE_REFUND' : 'APPROVE_RETURN';
  await api.returns.approveReturn(ret.return_id, { decision });
  const rule = `autoApprove: ${type} of ${amount.refund_total} ${amount.currency} <= ${a.maxAmount}${a.reasons.length ? `, reason ${ret.return_reason}` : ''}`;
  ctx.log.debug({ returnId: ret.return_id, decision }, 'return approved');
  return { action: 'approved', rule };
}
