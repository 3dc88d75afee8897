/**
 * When and how a TikTok order version reaches NetSuite: pure decisions over the order's status,
 * its cancelled lines and what was already written (order_sync). No I/O here.
 */
import type { OrdersConfig } from '../../config/schema.ts';
import type { Order } from '../../connectors/tiktok-shop/index.ts';
import type { OrderMappingSettings } from '../../mappings/index.ts';

export type OrderAction =
  /** Not importable yet (UNPAID, or still ON_HOLD with the default timing). */
  | { kind: 'wait'; reason: string }
  /** Never becomes a sales order (cancelled before import, a skipped sample or replacement). */
  | { kind: 'skip'; reason: string }
  /** Write the sales order (create, or update an unfulfilled one to the latest content). */
  | { kind: 'write' };

export interface SyncState {
  appliedUpdateTime: number;
  salesOrderId: string | null;
  appliedHash: string | null;
  /** appliedHash with cancelled units folded back (sales-order.ts baseHash); null before it was kept. */
  appliedBaseHash: string | null;
}

const IMPORTABLE_AFTER_HOLD = new Set([
  'AWAITING_SHIPMENT',
  'PARTIALLY_SHIPPING',
  'AWAITING_COLLECTION',
  'IN_TRANSIT',
  'DELIVERED',
  'COMPLETED',
]);

/** A version older than the one already applied must not overwrite it (ADR 2: no ordering across workers). */
export function isStale(order: Pick<Order, 'update_time'>, state: SyncState | undefined): boolean {
  return state !== undefined && state.appliedUpdateTime > order.update_time;
}

export function isSample(order: Order): boolean {
  return order.is_sample_order === true;
}

/** UNCONFIRMED: TikTok's field for replacement orders is not in the reference; both spellings seen in SDKs. */
export function isReplacement(order: Order): boolean {
  const o = order as Record<string, unknown>;
  return (
    o.is_replacement_order === true || (typeof o.replaced_order_id === 'string' && o.replaced_order_id !== '')
  );
}

export function activeUnits(order: Order): Order['line_items'] {
  return order.line_items.filter((l) => l.display_status !== 'CANCELLED');
}

export function decide(
  order: Order,
  state: SyncState | undefined,
  settings: OrdersConfig,
  mappings: Pick<OrderMappingSettings, 'samples' | 'replacements'>,
): OrderAction {
  const imported = !!state?.salesOrderId;
  if (imported) return { kind: 'write' };
  if (order.status === 'CANCELLED' || activeUnits(order).length === 0)
    return { kind: 'skip', reason: 'cancelled before import' };
  if (order.status === 'UNPAID') return { kind: 'wait', reason: 'unpaid orders are never imported' };
  if (isSample(order) && !mappings.samples.import)
    return { kind: 'skip', reason: 'sample order (mappings.samples.import: false)' };
  if (isReplacement(order) && !mappings.replacements.import)
    return { kind: 'skip', reason: 'replacement order (mappings.replacements.import: false)' };
  if (order.status === 'ON_HOLD') {
    // The mapping needs the shipping address, which TikTok shows only once the hold ends.
    if (settings.importAt === 'paid' && order.recipient_address) return { kind: 'write' };
    return { kind: 'wait', reason: 'on hold; imported once the hold ends' };
  }
  if (IMPORTABLE_AFTER_HOLD.has(order.status)) return { kind: 'write' };
  return { kind: 'wait', reason: `status ${order.status}` };
}
