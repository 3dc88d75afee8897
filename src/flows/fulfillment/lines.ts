/**
 * NetSuite fulfillment lines -> TikTok line items. A NetSuite line ships N units of an item; TikTok
 * has one line item per unit (reference section 4.4), so each NetSuite line takes N of the order's
 * line items of that SKU that are neither cancelled nor shipped, lowest id first (the same answer on
 * every retry while nothing else ships). Pure: the step reads both sides and calls this.
 */
import type { OrderLineItem } from '../../connectors/tiktok-shop/index.ts';
import { AppError } from '../../shared/errors.ts';

export interface FulfilledLine {
  /** The sales order line (`orderLine`), for messages. */
  orderLine: number | undefined;
  itemId: string;
  itemName: string | undefined;
  quantity: number;
}

/** A line item already in a package TikTok shipped (or is shipping). */
export function isShipped(l: OrderLineItem): boolean {
  if (l.package_status) return l.package_status !== 'TO_FULFILL' && l.package_status !== 'CANCELLED';
  return !!l.package_id && !!l.tracking_number;
}

export function isCancelled(l: OrderLineItem): boolean {
  return l.display_status === 'CANCELLED' || !!l.cancel_user;
}

/**
 * The TikTok line item ids this fulfillment ships. `itemOf` maps a seller SKU to its NetSuite item
 * id (undefined when the SKU has none). A line whose item is not in the order, or asks for more
 * units than remain to ship, is an error naming the line and the fix.
 */
export function pickLineItems(input: {
  fulfillmentId: string;
  orderId: string;
  lines: readonly FulfilledLine[];
  lineItems: readonly OrderLineItem[];
  itemOf: (sku: string) => string | undefined;
  /** Which line items to take first (default: lowest id). */
  rank?: (a: OrderLineItem, b: OrderLineItem) => number;
}): string[] {
  const open = new Map<string, OrderLineItem[]>();
  for (const l of [...input.lineItems].sort(input.rank ?? ((a, b) => cmpId(a.id, b.id)))) {
    if (isCancelled(l) || isShipped(l)) continue;
    const item = l.seller_sku ? input.itemOf(l.seller_sku) : undefined;
    if (!item) continue;
    open.set(item, [...(open.get(item) ?? []), l]);
  }
  const out: string[] = [];
  for (const line of input.lines) {
    if (line.quantity <= 0) continue;
    const left = open.get(line.itemId) ?? [];
    const what = `line ${line.orderLine ?? '?'} (${line.itemName ?? `item ${line.itemId}`})`;
    const sold = input.lineItems.filter(
      (l) => l.seller_sku && input.itemOf(l.seller_sku) === line.itemId,
    ).length;
    if (sold === 0) {
      throw new AppError(
        'fulfillment_line_unmatched',
        `NetSuite item fulfillment ${input.fulfillmentId} ships ${what}, which TikTok order ${input.orderId} does not contain: remove the line from the fulfillment (or fulfil it on a sales order of its own), then retry`,
        { details: { fulfillmentId: input.fulfillmentId, orderLine: line.orderLine, itemId: line.itemId } },
      );
    }
    if (left.length < line.quantity) {
      throw new AppError(
        'fulfillment_line_unmatched',
        `NetSuite item fulfillment ${input.fulfillmentId} ships ${line.quantity} of ${what} but TikTok order ${input.orderId} has ${left.length} of ${sold} left to ship (the rest shipped or cancelled): correct the quantity in NetSuite, then retry`,
        {
          details: {
            fulfillmentId: input.fulfillmentId,
            orderLine: line.orderLine,
            itemId: line.itemId,
            wanted: line.quantity,
            open: left.length,
          },
        },
      );
    }
    out.push(...left.splice(0, line.quantity).map((l) => l.id));
  }
  return out;
}

/** TikTok ids are decimal strings longer than a double holds: compare them as numbers, losslessly. */
export function cmpId(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
