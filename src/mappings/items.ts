/**
 * SKU -> NetSuite item. The override table wins; otherwise the flow has already looked the SKUs
 * up (by itemId, UPC or a custom field, per settings) and injects the answers: the mapping does
 * no I/O. Unknown and inactive items fail with a message that says how to fix them.
 */

import { type OrderMappingSettings, SETTINGS_ROOT } from '../config/order-settings.ts';
import type { RefInput } from '../connectors/netsuite/index.ts';
import type { Order } from '../domain/index.ts';
import { AppError } from '../shared/errors.ts';

/** An item as the flow found it in NetSuite. */
export interface ResolvedItem {
  readonly id: string;
  readonly inactive?: boolean;
}

/** Pre-resolved answers the flow injects (all synchronous). */
export interface SalesOrderLookups {
  /** A SKU from `skusToResolve`, found with `items.lookup`; undefined when NetSuite has none. */
  itemBySku(sku: string): ResolvedItem | undefined;
  /** An override's item by internal id, when the flow fetched it (lets an inactive override be caught). */
  itemById?(id: string): ResolvedItem | undefined;
  /** The rate that converts 1 `from` into `to` (decimal string), when the flow has one. */
  exchangeRate?(from: string, to: string): string | undefined;
}

/** The SKUs of `order` the flow must look up in NetSuite (those without an override), deduplicated. */
export function skusToResolve(order: Order, settings: OrderMappingSettings): string[] {
  const skus = order.lines.map((l) => l.sku).filter((sku) => !Object.hasOwn(settings.items.overrides, sku));
  return [...new Set(skus)];
}

function howToSet(settings: OrderMappingSettings, sku: string): string {
  const lookup = settings.items.lookup;
  if (lookup.kind === 'upc') return `set the item's UPC code to "${sku}"`;
  if (lookup.kind === 'custom_field') return `set the item's custom field ${lookup.field} to "${sku}"`;
  return `set the item's Item Name/Number (itemId) to "${sku}"`;
}

function unknownSku(order: Order, skus: string[], settings: OrderMappingSettings): AppError {
  const list = skus.map((s) => `"${s}"`).join(', ');
  const first = skus[0]!;
  return new AppError(
    'mapping_unknown_sku',
    `SKU ${list} has no NetSuite item: add it to ${SETTINGS_ROOT}.items.overrides in tiksuite.yaml or ${howToSet(settings, first)}, then retry (TikTok order ${order.id})`,
    { details: { orderId: order.id, skus, lookup: settings.items.lookup.kind } },
  );
}

/** One item reference per order line (same order), or an AppError naming every unknown SKU. */
export function resolveItems(
  order: Order,
  settings: OrderMappingSettings,
  lookups: SalesOrderLookups,
): RefInput[] {
  const unknown: string[] = [];
  const refs = order.lines.map((line): RefInput => {
    const override = settings.items.overrides[line.sku];
    const found =
      override !== undefined
        ? (lookups.itemById?.(override) ?? { id: override })
        : lookups.itemBySku(line.sku);
    if (!found) {
      if (!unknown.includes(line.sku)) unknown.push(line.sku);
      return { id: '' };
    }
    if (found.inactive) {
      const via = override !== undefined ? ` (from ${SETTINGS_ROOT}.items.overrides)` : '';
      throw new AppError(
        'mapping_inactive_item',
        `SKU "${line.sku}" maps to NetSuite item ${found.id}${via}, which is inactive: reactivate the item in NetSuite or map the SKU to an active item in ${SETTINGS_ROOT}.items.overrides, then retry (TikTok order ${order.id})`,
        { details: { orderId: order.id, sku: line.sku, itemId: found.id } },
      );
    }
    return { id: found.id };
  });
  if (unknown.length > 0) throw unknownSku(order, unknown, settings);
  return refs;
}
