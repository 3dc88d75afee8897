/**
 * The NetSuite sales order a TikTok order should be, through the declarative order mapping
 * (src/mappings, docs/mapping.md): wire order -> domain order, SKUs pre-resolved in NetSuite
 * (items.ts), then the sales order (+ the buyer's customer for per_buyer). Written by upsert on a
 * deterministic external id (PUT /salesOrder/eid:..., reference 4.5), so a repeat never makes a
 * twin. A sales order NetSuite has started to fulfil is never rewritten: only cancellations reach
 * it, line by line (cancel.ts).
 */
import { decimalText, type NetSuiteClient, type RecordOf } from '../../connectors/netsuite/index.ts';
import type { Order } from '../../connectors/tiktok-shop/index.ts';
import type { OrderMapping, SalesOrderMapping } from '../../mappings/index.ts';
import { AppError } from '../../shared/errors.ts';
import { contentHash, stableStringify } from '../../shared/ids.ts';
import { parseMoney } from '../../shared/money.ts';
import type { ItemResolver } from './items.ts';

export interface DesiredSalesOrder {
  mapped: SalesOrderMapping;
  /** Hash of what would be written: an unchanged order is not written again. */
  hash: string;
  /** The same with cancelled units folded back (baseHash): unchanged when only cancellations differ. */
  baseHash: string;
}

/** `tiktok-<shop>-<order>`, as the mapping names it (externalIdPrefix, default `tiktok`). */
export function salesOrderExternalId(shopId: string, orderId: string, prefix = 'tiktok'): string {
  return `${prefix}-${shopId}-${orderId}`;
}

export async function desiredSalesOrder(input: {
  shop: { id: string; region: string };
  order: Order;
  mapping: OrderMapping;
  items: ItemResolver;
  overrides: ItemResolver;
}): Promise<DesiredSalesOrder> {
  const { mapping } = input;
  const domain = mapping.fromTikTok(input.order, input.shop);
  const [bySku, byId] = await Promise.all([
    input.items.resolve(mapping.skusToResolve(domain)),
    input.overrides.resolve(Object.values(mapping.settings.items.overrides)),
  ]);
  const mapped = mapping.toSalesOrder(domain, {
    itemBySku: (sku) => bySku.get(sku) ?? undefined,
    itemById: (id) => byId.get(id) ?? undefined,
  });
  return {
    mapped,
    hash: contentHash({ so: mapped.salesOrder, customer: mapped.customer ?? null }),
    baseHash: baseHash(mapped),
  };
}

/**
 * The hash of the sales order as if no unit were cancelled: the item and discount lines of each
 * SKU are folded into one (quantities and amounts summed, closed flags and rates dropped, since a
 * reduced rate may only be sent when it divides evenly), every other line and field as it is.
 * TikTok keeps the payment of cancelled units on the order, so a version that only cancels units
 * has the same base hash as the one before it; any other change (address, price) does not.
 */
export function baseHash(mapped: SalesOrderMapping): string {
  const { item, ...header } = mapped.salesOrder;
  const currency = mapped.amounts.orderTotal.currency;
  const folded = new Map<string, { quantity: number; amount: bigint }>();
  const others: unknown[] = [];
  (item?.items ?? []).forEach((line, i) => {
    const role = mapped.lineRoles[i] ?? { kind: 'other' };
    const { isClosed: _closed, ...open } = line;
    if (role.kind === 'other') {
      others.push(open);
      return;
    }
    const { quantity, amount, rate: _rate, ...fields } = open;
    const key = stableStringify({ role, fields });
    const sum = folded.get(key) ?? { quantity: 0, amount: 0n };
    sum.quantity += quantity ?? 0;
    if (amount !== undefined) sum.amount += parseMoney(decimalText(amount), currency).minor;
    folded.set(key, sum);
  });
  const lines = [...folded]
    .map(([key, sum]) => [key, sum.quantity, sum.amount.toString()])
    .sort(([a], [b]) => (String(a) < String(b) ? -1 : 1));
  return contentHash({ header, lines, others, customer: mapped.customer ?? null });
}

export type NsSalesOrder = RecordOf<'salesOrder'>;

/** Statuses of a sales order NetSuite has started to fulfil or bill (reference 7.1). */
const STARTED = new Set(['D', 'E', 'F', 'G']);

/** The sales order when NetSuite has started to fulfil it (a human's territory from then on), else undefined. */
export async function startedSalesOrder(
  netsuite: NetSuiteClient,
  salesOrderId: string,
): Promise<NsSalesOrder | undefined> {
  const so = await netsuite.records.get('salesOrder', salesOrderId);
  const fulfilled = (so.item?.items ?? []).some((l) => (l.quantityFulfilled ?? 0) > 0);
  return fulfilled || STARTED.has(so.status?.id ?? '') ? so : undefined;
}

/** A change TikSuite will not make to a sales order NetSuite has started to fulfil. */
export function fulfilledConflict(orderId: string, so: NsSalesOrder, why?: string): AppError {
  const salesOrderId = so.id;
  const status = so.status?.id;
  return new AppError(
    'order_fulfilled_in_netsuite',
    `TikTok order ${orderId} changed after NetSuite sales order ${salesOrderId} was (partly) fulfilled${why ? ` (${why})` : ''}, so TikSuite left it unchanged: apply the change in NetSuite by hand (e.g. a return or a credit), then resolve this error`,
    { details: { orderId, salesOrderId, status, ...(why ? { reason: why } : {}) } },
  );
}

/** The buyer's customer first (per_buyer), then the sales order; both upserts by external id. */
export async function writeSalesOrder(netsuite: NetSuiteClient, so: DesiredSalesOrder): Promise<string> {
  const { customer, externalId, salesOrder } = so.mapped;
  if (customer) await netsuite.records.upsert('customer', customer.externalId, customer.body);
  return netsuite.records.upsert('salesOrder', externalId, salesOrder, { replace: ['item'] });
}
