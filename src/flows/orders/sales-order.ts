/**
 * The NetSuite sales order a TikTok order should be, through the declarative order mapping
 * (src/mappings, docs/mapping.md): wire order -> domain order, SKUs pre-resolved in NetSuite
 * (items.ts), then the sales order (+ the buyer's customer for per_buyer). Written by upsert on a
 * deterministic external id (PUT /salesOrder/eid:..., reference 4.5), so a repeat never makes a
 * twin. A fulfilled sales order is never changed.
 */
import type { NetSuiteClient } from '../../connectors/netsuite/index.ts';
import type { Order } from '../../connectors/tiktok-shop/index.ts';
import type { OrderMapping, SalesOrderMapping } from '../../mappings/index.ts';
import { AppError } from '../../shared/errors.ts';
import { contentHash } from '../../shared/ids.ts';
import type { ItemResolver } from './items.ts';

export interface DesiredSalesOrder {
  mapped: SalesOrderMapping;
  /** Hash of what would be written: an unchanged order is not written again. */
  hash: string;
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
  return { mapped, hash: contentHash({ so: mapped.salesOrder, customer: mapped.customer ?? null }) };
}

/** Refuses to touch a sales order the warehouse has started to fulfil: that is a human's call. */
export async function assertNotFulfilled(netsuite: NetSuiteClient, salesOrderId: string, orderId: string) {
  const so = await netsuite.records.get('salesOrder', salesOrderId);
  const lines = so.item?.items ?? [];
  const fulfilled = lines.some((l) => (l.quantityFulfilled ?? 0) > 0);
  const status = so.status?.id;
  if (fulfilled || (status && ['D', 'E', 'F', 'G'].includes(status))) {
    throw new AppError(
      'order_fulfilled_in_netsuite',
      `TikTok order ${orderId} changed after NetSuite sales order ${salesOrderId} was (partly) fulfilled, so TikSuite left it unchanged: apply the change in NetSuite by hand (e.g. a return or a credit), then resolve this error`,
      { details: { orderId, salesOrderId, status } },
    );
  }
}

/** The buyer's customer first (per_buyer), then the sales order; both upserts by external id. */
export async function writeSalesOrder(netsuite: NetSuiteClient, so: DesiredSalesOrder): Promise<string> {
  const { customer, externalId, salesOrder } = so.mapped;
  if (customer) await netsuite.records.upsert('customer', customer.externalId, customer.body);
  return netsuite.records.upsert('salesOrder', externalId, salesOrder, { replace: ['item'] });
}
