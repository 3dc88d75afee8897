/**
 * Orders TikTok fulfils from its own warehouses (FBT, `fulfillment_type: FULFILLMENT_BY_TIKTOK`,
 * reference section 4.3): each package TikTok ships becomes one NetSuite item fulfillment of the
 * sales order, from the configured FBT location, carrying TikTok's tracking number, so NetSuite's
 * stock and order status stay true. Runs as the order import's second step, on every update of
 * the order; keyed by the package (externalId `<prefix>-<shop>-pkg-<package>`), so never twice.
 */
import type { Order } from '../../connectors/tiktok-shop/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { XrefKey } from '../../store/xref.ts';
import type { StepContext } from '../engine/define.ts';
import { type FulfillmentServices, itemsOfSkus } from './deps.ts';
import { isCancelled, isShipped } from './lines.ts';

export interface FbtOutput {
  action: 'none' | 'waiting' | 'recorded' | 'unchanged';
  /** NetSuite item fulfillment ids written by this run. */
  fulfillments: string[];
}

export function fbtXref(shopId: string, packageId: string): XrefKey {
  return {
    sourceSystem: 'tiktok',
    sourceType: 'package',
    sourceId: `${shopId}:${packageId}`,
    targetSystem: 'netsuite',
    targetType: 'itemFulfillment',
  };
}

export function fbtExternalId(prefix: string, shopId: string, packageId: string): string {
  return `${prefix}-${shopId}-pkg-${packageId}`;
}

export async function recordFbtShipments(
  s: FulfillmentServices,
  input: { shopId: string; order: Order; salesOrderId: string | null },
  ctx: StepContext,
): Promise<FbtOutput> {
  const { order, shopId } = input;
  if (!s.settings.fbt.enabled || order.fulfillment_type !== 'FULFILLMENT_BY_TIKTOK')
    return { action: 'none', fulfillments: [] };
  const byPackage = new Map<string, Order['line_items']>();
  for (const l of order.line_items) {
    if (isCancelled(l) || !isShipped(l) || !l.package_id) continue;
    byPackage.set(l.package_id, [...(byPackage.get(l.package_id) ?? []), l]);
  }
  if (byPackage.size === 0) return { action: 'none', fulfillments: [] };
  if (!input.salesOrderId) return { action: 'waiting', fulfillments: [] };
  const written: string[] = [];
  for (const [packageId, lines] of byPackage) {
    const key = fbtXref(shopId, packageId);
    if (await ctx.xref.get(key)) continue;
    const externalId = fbtExternalId(s.salesOrderPrefix, shopId, packageId);
    const existing = await s.netsuite.records.findByExternalId('itemFulfillment', externalId);
    if (existing) {
      await ctx.xref.put(key, existing.id);
      continue;
    }
    const location = s.settings.fbt.location;
    if (!location) {
      throw new AppError(
        'fulfillment_fbt_location_missing',
        `TikTok shipped FBT package ${packageId} of order ${order.id} from its own warehouse; set fulfillment.fbt.location in tiksuite.yaml (the NetSuite location holding your FBT stock), then retry`,
        { details: { orderId: order.id, packageId } },
      );
    }
    const id = await s.netsuite.records.transform('salesOrder', input.salesOrderId, 'itemFulfillment', {
      externalId,
      shipStatus: { id: 'C' },
      memo: `Shipped by TikTok (FBT), package ${packageId}`,
      item: { items: await fulfilledLines(s, input.salesOrderId, lines, order.id, packageId, location) },
      package: { items: [{ packageTrackingNumber: lines[0]?.tracking_number ?? '' }] },
    });
    await ctx.xref.put(key, id);
    written.push(id);
  }
  return { action: written.length ? 'recorded' : 'unchanged', fulfillments: written };
}

/** Every sales order line: the package's units from the FBT location, the others left out. */
async function fulfilledLines(
  s: FulfillmentServices,
  salesOrderId: string,
  lines: Order['line_items'],
  orderId: string,
  packageId: string,
  location: { id: string } | { externalId: string },
) {
  const so = await s.netsuite.records.get('salesOrder', salesOrderId);
  const itemOf = await itemsOfSkus(s, lines);
  const units = new Map<string, number>();
  for (const l of lines) {
    const item = l.seller_sku ? itemOf(l.seller_sku) : undefined;
    if (!item) {
      throw new AppError(
        'fulfillment_line_unmatched',
        `TikTok FBT package ${packageId} of order ${orderId} holds SKU ${l.seller_sku ?? l.sku_id}, which has no NetSuite item: create the item (or map the SKU under mappings.items.overrides), then retry`,
        { details: { orderId, packageId, sku: l.seller_sku } },
      );
    }
    units.set(item, (units.get(item) ?? 0) + 1);
  }
  const out = [];
  for (const line of so.item?.items ?? []) {
    const item = line.item?.id ?? '';
    const open = (line.quantity ?? 0) - (line.quantityFulfilled ?? 0);
    const take = Math.min(units.get(item) ?? 0, open);
    if (take > 0) units.set(item, (units.get(item) ?? 0) - take);
    out.push(
      take > 0
        ? { orderLine: line.line!, quantity: take, itemReceive: true, location }
        : { orderLine: line.line!, itemReceive: false },
    );
  }
  const left = [...units.entries()].filter(([, n]) => n > 0);
  if (left.length > 0) {
    throw new AppError(
      'fulfillment_line_unmatched',
      `TikTok FBT package ${packageId} of order ${orderId} ships more units than sales order ${salesOrderId} has open (items ${left.map(([i, n]) => `${i} x${n}`).join(', ')}): correct the sales order, then retry`,
      { details: { orderId, packageId, salesOrderId } },
    );
  }
  return out;
}
