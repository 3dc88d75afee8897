/**
 * Stock per item and location (reference section 7.3): on hand moves with fulfillments (-),
 * receipts (+) and adjustments (+/-); committed is allocated to open sales-order lines in order
 * of entry, never above on hand; available = on hand - committed. A change of available stamps
 * `lastquantityavailablechange` (section 8.2), the stock cursor of incremental syncs.
 */
import { userError } from '../problem.ts';
import { pairKey, type Store, type StoredRecord } from '../store.ts';
import { Ref } from '../values.ts';

export interface StockMove {
  item: string;
  location: string;
  delta: number;
}

function refId(v: unknown): string | undefined {
  return v instanceof Ref ? v.id : undefined;
}

function qty(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

function tracksStock(store: Store, itemId: string): boolean {
  return store.get(itemId)?.type === 'inventoryItem';
}

/** The on-hand moves a record causes while it exists. */
export function stockMoves(store: Store, rec: StoredRecord): StockMove[] {
  const sign =
    rec.type === 'itemFulfillment'
      ? -1
      : rec.type === 'itemReceipt'
        ? 1
        : rec.type === 'inventoryAdjustment'
          ? 1
          : 0;
  if (sign === 0) return [];
  const sublist = rec.type === 'inventoryAdjustment' ? 'inventory' : 'item';
  const header = refId(rec.body['location']) ?? refId(rec.body['adjLocation']);
  const moves: StockMove[] = [];
  for (const line of rec.lines[sublist] ?? []) {
    const item = refId(line['item']);
    const location = refId(line['location']) ?? header;
    const amount = rec.type === 'inventoryAdjustment' ? qty(line['adjustQtyBy']) : qty(line['quantity']);
    if (item && location && amount !== 0 && tracksStock(store, item))
      moves.push({ item, location, delta: sign * amount });
  }
  return moves;
}

/** Nets moves per pair so an update checks only its difference. */
export function netMoves(plus: StockMove[], minus: StockMove[]): StockMove[] {
  const net = new Map<string, StockMove>();
  for (const [list, sign] of [
    [plus, 1],
    [minus, -1],
  ] as const) {
    for (const m of list) {
      const key = pairKey(m.item, m.location);
      const cur = net.get(key) ?? { item: m.item, location: m.location, delta: 0 };
      cur.delta += sign * m.delta;
      net.set(key, cur);
    }
  }
  return [...net.values()].filter((m) => m.delta !== 0);
}

/** Refuses moves that would take on hand below zero; NetSuite blocks negative inventory by default. */
export function checkMoves(store: Store, moves: StockMove[], nowMs: number): void {
  for (const m of moves) {
    const level = store.stockAt(m.item, m.location, nowMs);
    if (level.onHand + m.delta < 0) {
      const itemId = store.get(m.item)?.body['itemId'];
      throw userError(
        `You cannot remove more than the ${level.onHand} on hand of item ${String(itemId ?? m.item)} at location ${m.location}.`,
        'item',
      );
    }
  }
}

export function applyMoves(store: Store, moves: StockMove[], nowMs: number): void {
  for (const m of moves) store.stockAt(m.item, m.location, nowMs).onHand += m.delta;
}

export function movePairs(moves: StockMove[]): string[] {
  return moves.map((m) => pairKey(m.item, m.location));
}

const OPEN_ORDER = new Set(['B', 'D', 'E']);

/** Pairs a sales order draws on while open (approved, not closed). */
export function orderPairs(store: Store, rec: StoredRecord): string[] {
  const status = rec.body['status'];
  const letter = typeof status === 'object' && status !== null && 'id' in status ? status.id : undefined;
  if (typeof letter !== 'string' || !OPEN_ORDER.has(letter)) return [];
  const header = refId(rec.body['location']);
  const pairs = new Set<string>();
  for (const line of rec.lines['item'] ?? []) {
    const item = refId(line['item']);
    const location = refId(line['location']) ?? header;
    if (item && location && line['isClosed'] !== true && store.get(item)?.type === 'inventoryItem')
      pairs.add(pairKey(item, location));
  }
  return [...pairs];
}

/** Re-indexes a sales order under the pairs it draws on now (none once closed or deleted). */
export function reindexOrder(store: Store, orderId: string): void {
  const n = Number(orderId);
  for (const p of store.orderPairs.get(orderId) ?? []) {
    const list = store.openOrders.get(p);
    const at = list ? sortedIndex(list, n) : -1;
    if (list && list[at] === n) list.splice(at, 1);
    store.holders.get(p)?.delete(orderId);
  }
  const rec = store.get(orderId);
  const pairs = rec?.type === 'salesOrder' ? orderPairs(store, rec) : [];
  for (const p of pairs) {
    let list = store.openOrders.get(p);
    if (!list) {
      list = [];
      store.openOrders.set(p, list);
    }
    list.splice(sortedIndex(list, n), 0, n);
  }
  store.orderPairs.set(orderId, pairs);
}

/** First index whose value is >= n (binary search over ascending ids). */
function sortedIndex(list: number[], n: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Available quantity per pair, taken before a write so changes can be stamped after it. */
export function snapshotAvailable(store: Store, pairs: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const key of pairs) {
    const level = store.stock.get(key);
    out.set(key, level ? level.onHand - level.committed : 0);
  }
  return out;
}

/**
 * Allocates on hand to open order lines in entry order, then stamps pairs whose available moved.
 * Once stock runs out, only orders that held a commitment or were just written are revisited:
 * the others already show everything back-ordered.
 */
export function recommit(
  store: Store,
  before: Map<string, number>,
  nowMs: number,
  touched: ReadonlySet<string>,
): void {
  for (const [key, availableBefore] of before) {
    const [item, location] = key.split('@') as [string, string];
    const level = store.stockAt(item, location, nowMs);
    let holders = store.holders.get(key);
    if (!holders) {
      holders = new Set();
      store.holders.set(key, holders);
    }
    let free = Math.max(0, level.onHand);
    for (const n of store.openOrders.get(key) ?? []) {
      const id = String(n);
      if (free === 0 && !holders.has(id) && !touched.has(id)) continue;
      const left = allocate(store.get(id), item, location, free);
      if (left < free) holders.add(id);
      else holders.delete(id);
      free = left;
    }
    level.committed = Math.max(0, level.onHand) - free;
    if (level.onHand - level.committed !== availableBefore) level.lastAvailableChangeMs = nowMs;
  }
}

function allocate(order: StoredRecord | undefined, item: string, location: string, free: number): number {
  if (!order) return free;
  const header = refId(order.body['location']);
  for (const line of order.lines['item'] ?? []) {
    if (
      refId(line['item']) !== item ||
      (refId(line['location']) ?? header) !== location ||
      line['isClosed'] === true
    )
      continue;
    const open = Math.max(0, qty(line['quantity']) - qty(line['quantityFulfilled']));
    const take = Math.min(open, free);
    line['quantityCommitted'] = take;
    line['quantityBackOrdered'] = open - take;
    free -= take;
  }
  return free;
}
