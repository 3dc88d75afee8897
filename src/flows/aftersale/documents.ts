/**
 * The NetSuite documents of one TikTok return (docs/returns.md): the return authorization (from the
 * sales order), the item receipt (from the authorization), the credit (credit memo or cash refund,
 * from the authorization, the invoice or cash sale, or standalone against the customer) and the
 * customer refund. Each has the external id `<prefix>-<shop>-<kind>-<returnId>`: a repeat finds it
 * (lookup first, then a confirmable transform or an upsert), never a twin.
 */
import {
  type NetSuiteClient,
  nsDecimal,
  type RecordOf,
  type RecordType,
} from '../../connectors/netsuite/index.ts';
import type { Order, Return } from '../../connectors/tiktok-shop/index.ts';
import type { RefundLine, RefundPlan } from '../../mappings/refund-lines.ts';
import { AppError } from '../../shared/errors.ts';
import { parseMoney } from '../../shared/money.ts';
import { type AftersaleServices, type ReturnDocumentKind, returnExternalId } from './deps.ts';

type SalesOrder = RecordOf<'salesOrder'>;
type Ref = { id: string } | { externalId: string };

export interface ReturnScope {
  s: AftersaleServices;
  shopId: string;
  ret: Return;
  order: Order;
  salesOrder: SalesOrder;
  /** Seller SKU -> NetSuite item internal id. */
  itemOf: (sku: string) => string | undefined;
}

export const eid = (x: ReturnScope, kind: ReturnDocumentKind) =>
  returnExternalId(x.s.mappings.externalIdPrefix, x.shopId, kind, x.ret.return_id);

async function found(netsuite: NetSuiteClient, type: RecordType, externalId: string) {
  return (await netsuite.records.findByExternalId(type, externalId))?.id;
}

const num = (v: number | undefined) => v ?? 0;
const minor = (amount: string, currency: string) => parseMoney(amount, currency).minor;

/** Items (internal ids) and units returned in full: the authorization's quantities. */
function unitsByItem(x: ReturnScope, units: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [sku, n] of units) {
    const item = x.itemOf(sku);
    if (!item)
      throw new AppError(
        'mapping_unknown_sku',
        `TikTok return ${x.ret.return_id}: seller SKU "${sku}" has no NetSuite item; fix the item or mappings.items.overrides, then retry`,
        { details: { sku, returnId: x.ret.return_id } },
      );
    out.set(item, (out.get(item) ?? 0) + n);
  }
  return out;
}

/** The return authorization: the returned units on the sales order lines NetSuite fulfilled. */
export async function ensureReturnAuthorization(x: ReturnScope, units: Map<string, number>): Promise<string> {
  const externalId = eid(x, 'returnAuthorization');
  const existing = await found(x.s.netsuite, 'returnAuthorization', externalId);
  if (existing) return existing;
  const want = unitsByItem(x, units);
  const items: Record<string, unknown>[] = [];
  for (const l of x.salesOrder.item?.items ?? []) {
    const open = num(l.quantityFulfilled) - num(l.quantityReturned);
    if (open <= 0 || l.line === undefined) continue;
    const item = l.item?.id ?? '';
    const take = Math.min(want.get(item) ?? 0, open);
    if (take > 0) want.set(item, (want.get(item) ?? 0) - take);
    items.push(take > 0 ? { orderLine: l.line, quantity: take } : { orderLine: l.line, itemReceive: false });
  }
  const short = [...want].filter(([, n]) => n > 0);
  if (short.length) {
    throw new AppError(
      'return_line_not_on_order',
      `TikTok return ${x.ret.return_id} of order ${x.order.id} returns ${short.map(([i, n]) => `${n} x item ${i}`).join(', ')} more than sales order ${x.salesOrder.id} shows fulfilled and not yet returned: fulfil or correct the sales order in NetSuite, then retry, or book the return by hand and resolve`,
      { details: { returnId: x.ret.return_id, orderId: x.order.id, short: Object.fromEntries(short) } },
    );
  }
  return x.s.netsuite.records.transform('salesOrder', x.salesOrder.id, 'returnAuthorization', {
    externalId,
    orderStatus: { id: 'B' },
    memo: `TikTok return ${x.ret.return_id} (${x.ret.return_type})`,
    item: { items },
  });
}

/** Whether the parcel's goods go back to stock, and where (docs/returns.md "Restocking"). */
export function restockOf(x: ReturnScope): { restock: boolean; location?: Ref } {
  const r = x.s.settings.returns;
  const reason = x.ret.return_reason ?? '';
  if (r.notRestockedReasons.includes(reason)) {
    return r.damagedLocation ? { restock: true, location: r.damagedLocation } : { restock: false };
  }
  return r.location ? { restock: true, location: r.location } : { restock: true };
}

/** The item receipt of the returned parcel, into the returns (or damaged-goods) location. */
export async function ensureItemReceipt(x: ReturnScope, raId: string, location?: Ref): Promise<string> {
  const externalId = eid(x, 'itemReceipt');
  const existing = await found(x.s.netsuite, 'itemReceipt', externalId);
  if (existing) return existing;
  const ra = await x.s.netsuite.records.get('returnAuthorization', raId);
  const items = (ra.item?.items ?? [])
    .filter((l) => l.line !== undefined && num(l.quantity) - num(l.quantityReceived) > 0)
    .map((l) => ({ orderLine: l.line, ...(location ? { location } : {}) }));
  return x.s.netsuite.records.transform('returnAuthorization', raId, 'itemReceipt', {
    externalId,
    memo: `TikTok return ${x.ret.return_id}: parcel received`,
    item: { items },
  });
}

/** The sales order's bill (invoice or cash sale), when NetSuite has one. */
export async function billOf(
  netsuite: NetSuiteClient,
  salesOrderId: string,
): Promise<{ id: string; type: 'invoice' | 'cashSale' } | undefined> {
  const q = `SELECT t.id, t.type FROM transaction t WHERE t.createdfrom = ? AND t.type IN ('CustInvc', 'CashSale') ORDER BY t.id`;
  for await (const row of netsuite.suiteql.rows(q, [salesOrderId])) {
    const id = row['id'];
    if (typeof id === 'string') return { id, type: row['type'] === 'CashSale' ? 'cashSale' : 'invoice' };
  }
  return undefined;
}

function bodyLine(l: RefundLine): Record<string, unknown> {
  return {
    item: l.item,
    ...(l.quantity !== undefined ? { quantity: l.quantity } : {}),
    ...(l.rate !== undefined ? { rate: nsDecimal(l.rate) } : {}),
    amount: nsDecimal(l.amount),
    description: l.description,
  };
}

/**
 * Lines of a credit made from a source document (authorization or bill): each goods line on the
 * source line of its item, every other source line left out, the rest (discounts, shipping, tax)
 * as lines of their own.
 */
async function sourcedLines(
  x: ReturnScope,
  type: 'returnAuthorization' | 'invoice' | 'cashSale',
  id: string,
  plan: RefundPlan,
) {
  const src = await x.s.netsuite.records.get(type, id);
  const goods = plan.lines.filter((l) => l.kind === 'goods');
  const used = new Set<number>();
  const items: Record<string, unknown>[] = [];
  for (const g of goods) {
    const item = g.sku ? x.itemOf(g.sku) : undefined;
    const line = (src.item?.items ?? []).find(
      (l) =>
        l.line !== undefined &&
        !used.has(l.line) &&
        l.item?.id === item &&
        num(l.quantity) >= (g.quantity ?? 0),
    );
    if (!line || line.line === undefined) {
      items.push(bodyLine(g));
      continue;
    }
    used.add(line.line);
    items.push({ ...bodyLine(g), orderLine: line.line });
  }
  for (const l of src.item?.items ?? [])
    if (l.line !== undefined && !used.has(l.line) && !l.isClosed)
      items.push({ orderLine: l.line, itemReceive: false });
  for (const l of plan.lines) if (l.kind !== 'goods') items.push(bodyLine(l));
  return items;
}

export type CreditType = 'creditMemo' | 'cashRefund';

/** The credit memo or cash refund for the refund, booked once; a changed amount updates it while it can. */
export async function ensureCredit(
  x: ReturnScope,
  plan: RefundPlan,
  raId: string | undefined,
): Promise<{ id: string; type: CreditType; action: 'created' | 'unchanged' | 'updated' }> {
  const type: CreditType = x.s.settings.refunds.model === 'cash_refund' ? 'cashRefund' : 'creditMemo';
  const externalId = eid(x, 'credit');
  const existing = await x.s.netsuite.records.findByExternalId(type, externalId);
  const shipping = plan.shippingCost ? { shippingCost: nsDecimal(plan.shippingCost) } : {};
  const memo = `TikTok refund ${x.ret.return_id} of order ${x.order.id}`;
  if (existing) {
    // NetSuite prints decimals its own way ("19.5"): compare minor units, never text.
    const same =
      existing.total !== undefined &&
      minor(existing.total, plan.currency) === minor(plan.total, plan.currency);
    if (same) return { id: existing.id, type, action: 'unchanged' };
    await refuseIfPaid(x, existing.total ?? '?', plan.total);
    await x.s.netsuite.records.update(
      type,
      existing.id,
      { item: { items: plan.lines.map(bodyLine) }, ...shipping, memo: `${memo} (amount changed by TikTok)` },
      { replace: ['item'] },
    );
    return { id: existing.id, type, action: 'updated' };
  }
  const source = raId
    ? { type: 'returnAuthorization' as const, id: raId }
    : await billOf(x.s.netsuite, x.salesOrder.id);
  const allowed =
    source &&
    (source.type !== 'invoice' || type === 'creditMemo') &&
    (source.type !== 'cashSale' || type === 'cashRefund');
  if (source && allowed) {
    const items = await sourcedLines(x, source.type, source.id, plan);
    const id = await x.s.netsuite.records.transform(source.type, source.id, type, {
      externalId,
      memo,
      // The TikTok order, as on a standalone credit: the settlements tie-out finds credits by it.
      otherRefNum: x.order.id,
      ...shipping,
      item: { items },
    });
    return { id, type, action: 'created' };
  }
  const so = x.salesOrder;
  const header = {
    entity: so.entity,
    ...(so.subsidiary ? { subsidiary: { id: so.subsidiary.id } } : {}),
    ...(so.currency ? { currency: { id: so.currency.id } } : {}),
    ...(so.location ? { location: { id: so.location.id } } : {}),
  };
  if (!header.entity) throw new AppError('internal', `sales order ${so.id} has no customer`);
  const id = await x.s.netsuite.records.upsert(type, externalId, {
    ...header,
    entity: { id: header.entity.id },
    memo,
    otherRefNum: x.order.id,
    ...shipping,
    ...(type === 'cashRefund' ? accountOf(x) : {}),
    item: { items: plan.lines.map(bodyLine) },
  });
  return { id, type, action: 'created' };
}

function accountOf(x: ReturnScope): { account: Ref } {
  const account = x.s.settings.refunds.account;
  if (account) return { account };
  throw new AppError(
    'mapping_setting_missing',
    `TikTok return ${x.ret.return_id}: aftersale.refunds.model ${x.s.settings.refunds.model} pays the refund from an account; set aftersale.refunds.account in tiksuite.yaml (e.g. the TikTok clearing account), then retry`,
    { details: { returnId: x.ret.return_id, setting: 'aftersale.refunds.account' } },
  );
}

async function refuseIfPaid(x: ReturnScope, booked: string, now: string): Promise<void> {
  if (!(await found(x.s.netsuite, 'customerRefund', eid(x, 'refund')))) return;
  throw new AppError(
    'refund_amount_changed',
    `TikTok changed refund ${x.ret.return_id} of order ${x.order.id} to ${now} after TikSuite booked ${booked} and paid it out by customer refund: correct the credit in NetSuite by hand, then resolve`,
    { details: { returnId: x.ret.return_id, booked, now } },
  );
}

/** The customer refund paying out a credit memo (model credit_memo_and_refund). */
export async function ensureCustomerRefund(
  x: ReturnScope,
  creditId: string,
  amount: string,
): Promise<string> {
  const externalId = eid(x, 'refund');
  const existing = await found(x.s.netsuite, 'customerRefund', externalId);
  if (existing) return existing;
  const customer = x.salesOrder.entity;
  if (!customer) throw new AppError('internal', `sales order ${x.salesOrder.id} has no customer`);
  return x.s.netsuite.records.upsert('customerRefund', externalId, {
    customer: { id: customer.id },
    ...accountOf(x),
    total: nsDecimal(amount),
    memo: `TikTok refund ${x.ret.return_id} of order ${x.order.id}`,
    apply: { items: [{ doc: { id: creditId }, apply: true, amount: nsDecimal(amount) }] },
  });
}
