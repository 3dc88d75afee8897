/**
 * The sandbox's in-memory record store: internal ids, one external-id index per record type,
 * stock per item and location, and the deleted-record log. Pure data; semantics live in records/.
 */

import { isItemType, isTransactionType, type SbType } from './types.ts';
import type { Fields } from './values.ts';

export interface StoredRecord {
  type: SbType;
  id: string;
  externalId: string | undefined;
  body: Fields;
  /** Sublists by name, e.g. `item`, `package`, `apply`, `inventory`, `line`. */
  lines: Record<string, Fields[]>;
  createdMs: number;
  modifiedMs: number;
}

export interface DeletedRecord {
  id: string;
  type: SbType;
  /** The record's name when deleted (its refName: tranId, name, entityId ...). */
  name: string;
  deletedMs: number;
}

export interface StockLevel {
  item: string;
  location: string;
  onHand: number;
  committed: number;
  lastAvailableChangeMs: number;
}

export class Store {
  readonly records = new Map<string, StoredRecord>();
  readonly #byType = new Map<SbType, Map<string, StoredRecord>>();
  readonly #externalIds = new Map<string, string>();
  /** Item name (`itemId`) -> internal id, over every item type: names are unique among items. */
  readonly #itemNames = new Map<string, string>();
  readonly stock = new Map<string, StockLevel>();
  /** Every deleted record, oldest first: SuiteQL's `deletedrecord` table. */
  readonly deleted: DeletedRecord[] = [];
  /** Open sales orders per item+location pair, ids ascending (entry order), for allocation. */
  readonly openOrders = new Map<string, number[]>();
  /** Orders holding a commitment per pair: the only ones to revisit once stock runs out. */
  readonly holders = new Map<string, Set<string>>();
  /** The pairs each open order is indexed under. */
  readonly orderPairs = new Map<string, string[]>();
  readonly #tranSeq = new Map<SbType, number>();
  #nextId = 100;
  #itemsVersion = 0;
  #transactionsVersion = 0;

  /** Moves on every write of an item record (SuiteQL caches the item table's rows by it). */
  get itemsVersion(): number {
    return this.#itemsVersion;
  }

  /**
   * Moves on every write of a transaction record (SuiteQL caches the transaction tables' rows by
   * it). The engine's in-place effects on other transactions (a sales order's fulfilled and billed
   * counts, an invoice's amount remaining) run in the same commit as such a write.
   */
  get transactionsVersion(): number {
    return this.#transactionsVersion;
  }

  newId(): string {
    return String(this.#nextId++);
  }

  nextTranId(type: SbType, prefix: string): string {
    const n = (this.#tranSeq.get(type) ?? 0) + 1;
    this.#tranSeq.set(type, n);
    return `${prefix}${n}`;
  }

  get(id: string): StoredRecord | undefined {
    return this.records.get(id);
  }

  byExternalId(type: SbType, externalId: string): StoredRecord | undefined {
    const id = this.#externalIds.get(`${type}|${externalId}`);
    return id === undefined ? undefined : this.records.get(id);
  }

  /** The item (of any item type) with this name. */
  itemByName(name: string): StoredRecord | undefined {
    const id = this.#itemNames.get(name);
    return id === undefined ? undefined : this.records.get(id);
  }

  ofType(type: SbType): Iterable<StoredRecord> {
    return this.#byType.get(type)?.values() ?? [];
  }

  put(rec: StoredRecord): void {
    const previous = this.records.get(rec.id);
    if (previous?.externalId !== undefined)
      this.#externalIds.delete(`${previous.type}|${previous.externalId}`);
    this.records.set(rec.id, rec);
    let bucket = this.#byType.get(rec.type);
    if (!bucket) {
      bucket = new Map();
      this.#byType.set(rec.type, bucket);
    }
    bucket.set(rec.id, rec);
    if (rec.externalId !== undefined) this.#externalIds.set(`${rec.type}|${rec.externalId}`, rec.id);
    if (previous) this.#forgetName(previous);
    if (isItemType(rec.type)) this.#itemsVersion++;
    if (isTransactionType(rec.type)) this.#transactionsVersion++;
    const name = itemName(rec);
    if (name !== undefined) this.#itemNames.set(name, rec.id);
  }

  #forgetName(rec: StoredRecord): void {
    const name = itemName(rec);
    if (name !== undefined && this.#itemNames.get(name) === rec.id) this.#itemNames.delete(name);
  }

  remove(rec: StoredRecord, nowMs: number, name: string): void {
    this.records.delete(rec.id);
    this.#byType.get(rec.type)?.delete(rec.id);
    if (rec.externalId !== undefined) this.#externalIds.delete(`${rec.type}|${rec.externalId}`);
    this.#forgetName(rec);
    if (isItemType(rec.type)) this.#itemsVersion++;
    if (isTransactionType(rec.type)) this.#transactionsVersion++;
    this.deleted.push({ id: rec.id, type: rec.type, name, deletedMs: nowMs });
  }

  stockAt(item: string, location: string, nowMs: number): StockLevel {
    const key = pairKey(item, location);
    let level = this.stock.get(key);
    if (!level) {
      level = { item, location, onHand: 0, committed: 0, lastAvailableChangeMs: nowMs };
      this.stock.set(key, level);
    }
    return level;
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.#byType].map(([t, m]) => [t, m.size]));
  }
}

function itemName(rec: StoredRecord): string | undefined {
  const name = rec.body['itemId'];
  return isItemType(rec.type) && typeof name === 'string' ? name : undefined;
}

export function pairKey(item: string, location: string): string {
  return `${item}@${location}`;
}
