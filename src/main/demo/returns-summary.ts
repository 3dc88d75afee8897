/**
 * The returns verdict of the lifecycle demo, computed from the two sandboxes' own state (never from
 * TikSuite's database), over the orders placed:
 *   - every TikTok return whose refund TikTok completed needs exactly one NetSuite credit memo whose
 *     total is TikTok's refund_total less refund_tax and retail_delivery_fee (tax stays TikTok's,
 *     docs/returns.md) to the cent, and one customer refund of the same amount;
 *   - credit documents are counted by walking every credit memo and customer refund in NetSuite and
 *     reading the return id from the external id (`<prefix>-<shop>-cm-<id>`, `-rf-`) or, for a
 *     record without one, from the memo TikSuite writes ("TikTok refund <id> ..."), so a twin under
 *     another external id is seen, not hidden behind a lookup by external id;
 *   - for every order with units TikTok cancelled and a sales order, the sales order must not still
 *     sell them: per SKU, the units NetSuite sells (an open line's quantity, a closed line's
 *     fulfilled quantity) at most TikTok's units not cancelled, and for an order cancelled whole no
 *     open line at all (docs/orders.md "Cancellations").
 */
import { salesOrderExternalId } from '../../flows/orders/index.ts';
import { parseMoney } from '../../shared/money.ts';
import type { DemoEnv } from './demo-env.ts';

type World = Pick<DemoEnv, 'tiktok' | 'netsuite'>;
type Store = World['netsuite']['state']['engine']['store'];
type Stored = ReturnType<Store['ofType']> extends Iterable<infer R> ? R : never;
type TtReturn = NonNullable<ReturnType<World['tiktok']['ctx']['state']['returns']['get']>>;

export const REFUND_COMPLETE = 'RETURN_OR_REFUND_REQUEST_COMPLETE';
const CANCEL_COMPLETE = 'CANCELLATION_REQUEST_COMPLETE';

export interface ReturnsVerdict {
  /** Cancellations TikTok completed for these orders. */
  cancellations: number;
  /** Orders cancelled whole, and orders with some units cancelled, on TikTok. */
  cancelledOrders: { whole: number; partial: number };
  /** TikTok returns opened on these orders, and those whose refund TikTok completed. */
  returns: number;
  refundsCompleted: number;
  /** NetSuite credit memos and customer refunds for these orders' returns. */
  netsuiteCredits: number;
  customerRefunds: number;
  /** Credit memos and customer refunds missing for completed refunds. */
  missing: number;
  /** Credit memos and customer refunds beyond one per return. */
  duplicated: number;
  /** Sum of |NetSuite total - TikTok's refund less tax| over those documents, in minor units (cents). */
  amountMismatchCents: number;
  /** Credit documents for a return TikTok has not refunded. */
  unexpected: number;
  /** Orders whose sales order still sells units TikTok cancelled. */
  cancelledOrdersWithOpenLines: number;
  examples: {
    missing: string[];
    duplicated: string[];
    mismatches: string[];
    unexpected: string[];
    openLines: string[];
  };
}

const refId = (v: unknown): string | undefined =>
  v && typeof v === 'object' && 'id' in v ? String((v as { id: unknown }).id) : undefined;
/** A NetSuite sandbox decimal (stored as `{ text }`). */
const decText = (v: unknown): string | undefined =>
  v && typeof v === 'object' && 'text' in v ? String((v as { text: unknown }).text) : undefined;
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** TikTok's refund less the tax kept out of the books, in minor units. */
export function expectedCredit(r: TtReturn): bigint | undefined {
  const p = r.refund?.total;
  if (!p) return undefined;
  const total = p.subtotal + p.shipping + p.tax + p.retailDeliveryFee + p.buyerServiceFee;
  return total - p.tax - p.retailDeliveryFee;
}

/** Return id -> the NetSuite records of this type carrying it (by external id kind, else memo). */
function byReturn(store: Store, type: 'creditMemo' | 'customerRefund', kind: string): Map<string, Stored[]> {
  const out = new Map<string, Stored[]>();
  const eid = new RegExp(`-${kind}-(\\d+)$`);
  for (const rec of store.ofType(type)) {
    const memo = typeof rec.body['memo'] === 'string' ? rec.body['memo'] : '';
    const id = rec.externalId?.match(eid)?.[1] ?? memo.match(/TikTok refund (\d+)/)?.[1];
    if (id) out.set(id, [...(out.get(id) ?? []), rec]);
  }
  return out;
}

/**
 * Units the order's sales order still sells beyond what TikTok has not cancelled (0 when none, or
 * when NetSuite has no sales order); for an order cancelled whole, every open line counts.
 */
export function openCancelledUnits(world: World, shopId: string, orderId: string): number {
  const order = world.tiktok.ctx.state.orders.get(orderId);
  const store = world.netsuite.state.engine.store;
  const so = store.byExternalId('salesOrder', salesOrderExternalId(shopId, orderId));
  if (!order || !so) return 0;
  const lines = so.lines['item'] ?? [];
  if (order.lines.every((l) => l.cancelled))
    return lines
      .filter((l) => l['isClosed'] !== true)
      .reduce((a, l) => a + Math.max(1, num(l['quantity'])), 0);
  const kept = new Map<string, number>();
  for (const l of order.lines) if (!l.cancelled) kept.set(l.sellerSku, (kept.get(l.sellerSku) ?? 0) + 1);
  const skus = new Set(order.lines.map((l) => l.sellerSku));
  const sold = new Map<string, number>();
  for (const l of lines) {
    const sku = String(store.get(refId(l['item']) ?? '')?.body['itemId'] ?? '');
    if (!skus.has(sku)) continue;
    const units = l['isClosed'] === true ? num(l['quantityFulfilled']) : num(l['quantity']);
    sold.set(sku, (sold.get(sku) ?? 0) + units);
  }
  let open = 0;
  for (const [sku, n] of sold) open += Math.max(0, n - (kept.get(sku) ?? 0));
  return open;
}

/** The verdict over these TikTok orders (order id -> shop id). */
export function returnsVerdict(world: World, orders: ReadonlyMap<string, string>): ReturnsVerdict {
  const state = world.tiktok.ctx.state;
  const v: ReturnsVerdict = {
    cancellations: [...state.cancellations.byId.values()].filter(
      (c) => orders.has(c.orderId) && c.status === CANCEL_COMPLETE,
    ).length,
    cancelledOrders: { whole: 0, partial: 0 },
    returns: 0,
    refundsCompleted: 0,
    netsuiteCredits: 0,
    customerRefunds: 0,
    missing: 0,
    duplicated: 0,
    amountMismatchCents: 0,
    unexpected: 0,
    cancelledOrdersWithOpenLines: 0,
    examples: { missing: [], duplicated: [], mismatches: [], unexpected: [], openLines: [] },
  };
  for (const [orderId, shopId] of orders) judgeCancelled(world, v, shopId, orderId);
  const store = world.netsuite.state.engine.store;
  const credits = byReturn(store, 'creditMemo', 'cm');
  const refunds = byReturn(store, 'customerRefund', 'rf');
  for (const r of state.returns.byId.values()) {
    const currency = state.orders.get(r.orderId)?.currency;
    if (!orders.has(r.orderId) || !currency) continue;
    v.returns++;
    const docs = { creditMemo: credits.get(r.id) ?? [], customerRefund: refunds.get(r.id) ?? [] };
    v.netsuiteCredits += docs.creditMemo.length;
    v.customerRefunds += docs.customerRefund.length;
    judgeReturn(v, r, currency, docs);
  }
  for (const list of Object.values(v.examples)) list.splice(5);
  return v;
}

function judgeCancelled(world: World, v: ReturnsVerdict, shopId: string, orderId: string): void {
  const order = world.tiktok.ctx.state.orders.get(orderId);
  const cancelled = order?.lines.filter((l) => l.cancelled).length ?? 0;
  if (!order || cancelled === 0) return;
  if (cancelled === order.lines.length) v.cancelledOrders.whole++;
  else v.cancelledOrders.partial++;
  const open = openCancelledUnits(world, shopId, orderId);
  if (open === 0) return;
  v.cancelledOrdersWithOpenLines++;
  v.examples.openLines.push(`order ${orderId}: ${open} cancelled unit(s) still open on its sales order`);
}

function judgeReturn(
  v: ReturnsVerdict,
  r: TtReturn,
  currency: string,
  docs: { creditMemo: Stored[]; customerRefund: Stored[] },
): void {
  const expected = r.status === REFUND_COMPLETE ? expectedCredit(r) : undefined;
  if (expected === undefined || expected <= 0n) {
    const n = docs.creditMemo.length + docs.customerRefund.length;
    if (n === 0) return;
    v.unexpected += n;
    v.examples.unexpected.push(`return ${r.id} (${r.status}): ${n} credit document(s) in NetSuite`);
    return;
  }
  v.refundsCompleted++;
  for (const [type, list] of Object.entries(docs)) {
    if (list.length === 0) {
      v.missing++;
      v.examples.missing.push(`return ${r.id} of order ${r.orderId}: no ${type}`);
      continue;
    }
    if (list.length > 1) {
      v.duplicated += list.length - 1;
      v.examples.duplicated.push(`return ${r.id}: ${type} ${list.map((d) => d.id).join(', ')}`);
    }
    for (const d of list) {
      const total = parseMoney(decText(d.body['total']) ?? '0', currency, `${type}.total`).minor;
      const diff = total > expected ? total - expected : expected - total;
      if (diff === 0n) continue;
      v.amountMismatchCents += Number(diff);
      v.examples.mismatches.push(`return ${r.id}: ${type} ${d.id} ${total} vs ${expected} (minor units)`);
    }
  }
}
