/**
 * The record engine: create, update (PATCH), upsert (PUT eid:), delete and transform with
 * NetSuite's semantics (reference section 4). Each write validates everything first and only
 * then mutates the store, so a refused request leaves no trace.
 */
import type { SandboxClock } from './clock.ts';
import { notFound, SandboxError, userError } from './problem.ts';
import { type BuildOptions, type Built, buildFields, checkRequired, requireObject } from './records/build.ts';
import { dependents, prepareEntity } from './records/entities.ts';
import {
  applyMoves,
  checkMoves,
  movePairs,
  netMoves,
  recommit,
  reindexOrder,
  snapshotAvailable,
  stockMoves,
} from './records/inventory.ts';
import { prepareTransaction } from './records/transactions.ts';
import {
  applyDeltas,
  applySourceEffects,
  checkApplies,
  checkTransform,
  counterDeltas,
  transformFields,
} from './records/transforms.ts';
import { refName } from './render.ts';
import type { SandboxSettings } from './settings.ts';
import type { Store, StoredRecord } from './store.ts';
import { isTransactionType, type SbType, type TransactionType } from './types.ts';
import { Ref } from './values.ts';

export class RecordEngine {
  readonly store: Store;
  readonly #clock: SandboxClock;
  readonly #settings: () => SandboxSettings;

  constructor(store: Store, clock: SandboxClock, settings: () => SandboxSettings) {
    this.store = store;
    this.#clock = clock;
    this.#settings = settings;
  }

  /** `id` or `eid:<externalId>` (section 4.5); items must match the type asked for. */
  find(type: SbType, key: string): StoredRecord {
    const rec = key.startsWith('eid:') ? this.store.byExternalId(type, key.slice(4)) : this.store.get(key);
    if (!rec || rec.type !== type) throw notFound();
    return rec;
  }

  create(type: SbType, body: unknown, externalId?: string): StoredRecord {
    const built = buildFields(this.store, type, requireObject(body), undefined, this.#buildOpts());
    return this.#insert(type, built, externalId);
  }

  update(type: SbType, key: string, body: unknown, replace: ReadonlySet<string> = new Set()): StoredRecord {
    const existing = this.find(type, key);
    const built = buildFields(this.store, type, requireObject(body), existing, this.#buildOpts(replace));
    checkRequired(type, built);
    const externalId =
      typeof built.body['externalId'] === 'string' ? built.body['externalId'] : existing.externalId;
    if (externalId !== existing.externalId) this.#checkExternalId(type, externalId);
    const after: StoredRecord = {
      ...existing,
      externalId,
      body: built.body,
      lines: built.lines,
      modifiedMs: this.#clock.now(),
    };
    if (type === 'salesOrder') checkOrderEdit(existing, after);
    this.#prepare(after);
    this.#commit(existing, after);
    return after;
  }

  /** PUT `/{type}/eid:X`: update when the external id exists, else create with it. */
  upsert(
    type: SbType,
    externalId: string,
    body: unknown,
    replace: ReadonlySet<string> = new Set(),
  ): { rec: StoredRecord; created: boolean } {
    const existing = this.store.byExternalId(type, externalId);
    if (existing) return { rec: this.update(type, existing.id, body, replace), created: false };
    return { rec: this.create(type, body, externalId), created: true };
  }

  delete(type: SbType, key: string): void {
    const rec = this.find(type, key);
    if (dependents(this.store, rec).length > 0) {
      throw userError('This record cannot be deleted because it has dependent records.');
    }
    this.#commit(rec, undefined);
  }

  transform(type: SbType, key: string, target: SbType, body: unknown): StoredRecord {
    const source = this.find(type, key);
    if (!isTransactionType(target)) throw userError(`Cannot transform into ${target}.`);
    checkTransform(source, target);
    const overrides = buildFields(this.store, target, requireObject(body), undefined, this.#buildOpts());
    const built = transformFields(
      this.store,
      source,
      target,
      overrides,
      this.#settings().behaviour.billOnlyFulfilled,
    );
    return this.#insert(target, built, undefined);
  }

  #buildOpts(replace: ReadonlySet<string> = new Set()): BuildOptions {
    const b = this.#settings().behaviour;
    return {
      replace,
      caseInsensitive: b.caseInsensitiveInput,
      itemLinesKeyedByLine: b.itemLinesKeyedByLine,
      singleRefInMultiSelect: b.singleRefInMultiSelect,
    };
  }

  #checkExternalId(type: SbType, externalId: string | undefined): void {
    if (externalId === undefined || !this.store.byExternalId(type, externalId)) return;
    const b = this.#settings().behaviour;
    throw new SandboxError(
      b.duplicateExternalIdStatus,
      b.duplicateExternalIdCode,
      'A record with the same external ID already exists.',
      {
        path: 'externalId',
      },
    );
  }

  #insert(type: SbType, built: Built, urlExternalId: string | undefined): StoredRecord {
    const externalId =
      urlExternalId ?? (typeof built.body['externalId'] === 'string' ? built.body['externalId'] : undefined);
    this.#checkExternalId(type, externalId);
    checkRequired(type, built);
    const now = this.#clock.now();
    const rec: StoredRecord = {
      type,
      id: this.store.newId(),
      externalId,
      body: built.body,
      lines: built.lines,
      createdMs: now,
      modifiedMs: now,
    };
    if (externalId !== undefined) rec.body['externalId'] = externalId;
    this.#prepare(rec);
    this.#commit(undefined, rec);
    return rec;
  }

  #prepare(rec: StoredRecord): void {
    if (isTransactionType(rec.type))
      prepareTransaction(
        { store: this.store, nowMs: this.#clock.now(), behaviour: this.#settings().behaviour },
        rec.type,
        rec,
      );
    else prepareEntity(this.store, rec);
  }

  /** Replaces `before` by `after` (either may be absent) with every side effect, atomically. */
  #commit(before: StoredRecord | undefined, after: StoredRecord | undefined): void {
    const now = this.#clock.now();
    const moves = netMoves(
      after ? stockMoves(this.store, after) : [],
      before ? stockMoves(this.store, before) : [],
    );
    checkMoves(this.store, moves, now);
    if (before) applySourceEffects(this.store, before, -1, now);
    try {
      if (after) checkApplies(this.store, after, applyDeltas(this.store, after));
    } catch (err) {
      if (before) applySourceEffects(this.store, before, 1, now);
      throw err;
    }
    const orders = new Set<string>([...sourceOrders(this.store, before), ...sourceOrders(this.store, after)]);
    if (before?.type === 'salesOrder' || after?.type === 'salesOrder') orders.add((after ?? before)!.id);
    const pairs = new Set([
      ...movePairs(moves),
      ...[...orders].flatMap((id) => this.#orderLinePairs(id, before, after)),
    ]);
    const snapshot = snapshotAvailable(this.store, pairs);
    applyMoves(this.store, moves, now);
    if (after) {
      this.store.put(after);
      applySourceEffects(this.store, after, 1, now);
    } else if (before) this.store.remove(before, now, refName(before));
    for (const id of orders) reindexOrder(this.store, id);
    recommit(this.store, snapshot, now, orders);
  }

  #orderLinePairs(id: string, before: StoredRecord | undefined, after: StoredRecord | undefined): string[] {
    const recs = [
      this.store.get(id),
      before?.id === id ? before : undefined,
      after?.id === id ? after : undefined,
    ];
    return recs.flatMap((r) => (r ? allLinePairs(this.store, r) : []));
  }
}

function refId(v: unknown): string | undefined {
  return v instanceof Ref ? v.id : undefined;
}

/** Item+location pairs of an order's lines that track stock (inventory items only). */
function allLinePairs(store: Store, rec: StoredRecord): string[] {
  const header = refId(rec.body['location']);
  return (rec.lines['item'] ?? []).flatMap((l) => {
    const item = refId(l['item']);
    const loc = refId(l['location']) ?? header;
    return item && loc && store.get(item)?.type === 'inventoryItem' ? [`${item}@${loc}`] : [];
  });
}

/** Sales orders whose line counters a fulfillment/bill/return changes. */
function sourceOrders(store: Store, rec: StoredRecord | undefined): string[] {
  if (!rec) return [];
  return counterDeltas(store, rec)
    .map((d) => d.source)
    .filter((id) => store.get(id)?.type === 'salesOrder');
}

/** A line cannot drop below what was already fulfilled, nor disappear once fulfilled. */
function checkOrderEdit(before: StoredRecord, after: StoredRecord): void {
  const kept = new Map((after.lines['item'] ?? []).map((l) => [l['line'], l]));
  (before.lines['item'] ?? []).forEach((old, i) => {
    const fulfilled = typeof old['quantityFulfilled'] === 'number' ? old['quantityFulfilled'] : 0;
    if (fulfilled === 0) return;
    const now = kept.get(old['line']);
    const qty = now && typeof now['quantity'] === 'number' ? now['quantity'] : 0;
    if (qty < fulfilled) {
      throw userError(
        `Line ${String(old['line'])} was fulfilled (${fulfilled}); its quantity cannot go below that.`,
        `item.items[${i}].quantity`,
      );
    }
  });
}

export type { TransactionType };
