/**
 * Builds the NetSuite sales order a TikTok order should be, checks what would stop it (unknown or
 * inactive SKU, missing address) with messages that say how to fix it, and writes it: an upsert by
 * a deterministic external id (PUT /salesOrder/eid:..., reference 4.5), so a repeat never creates a
 * twin. Cancelled units close their lines; a fulfilled sales order is never changed.
 */
import type { NetSuiteClient, SalesOrderInput } from '../../connectors/netsuite/index.ts';
import type { Order } from '../../connectors/tiktok-shop/index.ts';
import { AppError } from '../../shared/errors.ts';
import { contentHash } from '../../shared/ids.ts';
import type { ItemResolver, ResolvedItem } from './items.ts';
import { mapOrderLocal } from './local-mapping.ts';
import { activeUnits } from './policy.ts';

/** `tiktok-<shop>-<order>`: letters, digits and - only, as the eid: form requires (reference 4.5). */
export function salesOrderExternalId(shopId: string, orderId: string): string {
  return `tiktok-${shopId}-${orderId}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

const ADDRESS_VISIBLE = new Set([
  'AWAITING_SHIPMENT',
  'PARTIALLY_SHIPPING',
  'AWAITING_COLLECTION',
  'IN_TRANSIT',
]);

export interface DesiredSalesOrder {
  body: SalesOrderInput;
  hash: string;
}

/** Resolves the SKUs, refuses what cannot be imported, and maps (cancelled units close their lines). */
export async function desiredSalesOrder(input: {
  shopId: string;
  order: Order;
  items: ItemResolver;
  mapping: Record<string, unknown>;
  existing: boolean;
}): Promise<DesiredSalesOrder> {
  const { order, shopId } = input;
  const skus = order.line_items.map((l) => l.seller_sku ?? '');
  const resolved = await input.items.resolve(skus.filter((s) => s !== ''));
  checkItems(order, resolved, input.items.field);
  checkAddress(order);
  const externalId = salesOrderExternalId(shopId, order.id);
  const map = (o: Order) =>
    mapOrderLocal({ shopId, order: o, items: resolved, mapping: input.mapping, externalId });
  const active = activeUnits(order);
  const all = map(order);
  const body =
    active.length === order.line_items.length
      ? all
      : withClosedLines(
          all,
          active.length ? map({ ...order, line_items: active }) : undefined,
          input.existing,
        );
  return { body, hash: contentHash(body) };
}

/** Lines of SKUs with no active unit left are kept but closed; others carry the active quantity. */
function withClosedLines(
  all: SalesOrderInput,
  active: SalesOrderInput | undefined,
  existing: boolean,
): SalesOrderInput {
  const activeLines = active?.item?.items ?? [];
  const activeItems = new Set(activeLines.map((l) => JSON.stringify(l.item)));
  const closed = (all.item?.items ?? [])
    .filter((l) => !activeItems.has(JSON.stringify(l.item)))
    .map((l) => ({ ...l, isClosed: true }));
  // A new sales order simply leaves cancelled units out; an existing one closes their lines.
  const lines = existing ? [...activeLines, ...closed] : activeLines;
  return { ...(active ?? all), item: { items: lines } };
}

function checkItems(order: Order, resolved: ReadonlyMap<string, ResolvedItem | null>, field: string): void {
  for (const unit of order.line_items) {
    const sku = unit.seller_sku ?? '';
    const item = sku ? resolved.get(sku) : null;
    if (!sku) {
      throw new AppError(
        'mapping_unknown_sku',
        `TikTok order ${order.id} has a line (product ${unit.product_id}, SKU id ${unit.sku_id}) without a seller SKU: set the seller SKU on the TikTok product to the NetSuite item's ${field}, then retry this error`,
        { details: { reason: 'sku_missing', orderId: order.id, skuId: unit.sku_id } },
      );
    }
    if (!item) {
      throw new AppError(
        'mapping_unknown_sku',
        `unknown SKU "${sku}" (TikTok order ${order.id}): no NetSuite item has ${field} = "${sku}"; create or rename the item in NetSuite (or fix the seller SKU in TikTok), then retry this error`,
        { details: { reason: 'unknown_sku', orderId: order.id, sku } },
      );
    }
    if (item.inactive) {
      throw new AppError(
        'mapping_inactive_item',
        `SKU "${sku}" (TikTok order ${order.id}) maps to NetSuite item ${item.id}, which is inactive: reactivate the item (or point the SKU at an active item), then retry this error`,
        { details: { reason: 'inactive_item', orderId: order.id, sku, itemId: item.id } },
      );
    }
  }
}

function checkAddress(order: Order): void {
  if (!ADDRESS_VISIBLE.has(order.status)) return;
  const a = order.recipient_address;
  if (!a || !(a.address_line1 || a.address_detail || a.full_address) || !a.postal_code) {
    throw new AppError(
      'mapping_missing_address',
      `TikTok order ${order.id} (${order.status}) has no usable shipping address: check the order in TikTok Seller Center; once TikTok shows the address, retry this error (or retry with --payload carrying the corrected recipient_address)`,
      { details: { reason: 'address_missing', orderId: order.id } },
    );
  }
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
      { details: { reason: 'fulfilled_in_netsuite', orderId, salesOrderId, status } },
    );
  }
}

export function upsertSalesOrder(netsuite: NetSuiteClient, so: DesiredSalesOrder): Promise<string> {
  return netsuite.records.upsert('salesOrder', so.body.externalId!, so.body, { replace: ['item'] });
}
