/**
 * SKU -> NetSuite item pre-resolution before mapping: one SuiteQL query per batch of unknown SKUs
 * (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html), with
 * found items cached per process for a few minutes so a burst of orders costs a handful of lookups.
 */
import type { NetSuiteClient } from '../../connectors/netsuite/index.ts';

/** The SuiteQL `item` column a SKU is matched on: itemid, upccode, a custitem field, or id (overrides). */
export type ItemLookupField = string;

/** The column for the mapping's `items.lookup` setting. */
export function lookupColumn(
  lookup: { kind: 'item_id' } | { kind: 'upc' } | { kind: 'custom_field'; field: string },
) {
  if (lookup.kind === 'upc') return 'upccode';
  if (lookup.kind === 'custom_field') return lookup.field;
  return 'itemid';
}

export interface ResolvedItem {
  /** NetSuite internal id. */
  id: string;
  sku: string;
  inactive: boolean;
}

interface Cached {
  item: ResolvedItem | null;
  at: number;
}

export class ItemResolver {
  readonly #netsuite: NetSuiteClient;
  readonly #field: ItemLookupField;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, Cached>();
  readonly #inflight = new Map<string, Promise<Map<string, ResolvedItem | null>>>();

  constructor(netsuite: NetSuiteClient, opts: { field?: ItemLookupField; ttlMs?: number } = {}) {
    this.#netsuite = netsuite;
    const field = opts.field ?? 'itemid';
    // Interpolated into SuiteQL: only a plain column name is accepted.
    if (!/^[a-z][a-z0-9_]*$/.test(field))
      throw new Error(`item lookup field "${field}" is not a column name`);
    this.#field = field;
    this.#ttlMs = opts.ttlMs ?? 5 * 60_000;
  }

  get field(): ItemLookupField {
    return this.#field;
  }

  /**
   * Every SKU's item, or null when NetSuite has none. The answer is built from this call's own
   * cache hits and lookups, never re-read from the shared cache after an await: another job's
   * forget() (an error retry) may clear the cache in between, which must not turn a found item into
   * an unknown SKU.
   */
  async resolve(skus: readonly string[]): Promise<Map<string, ResolvedItem | null>> {
    const wanted = [...new Set(skus)];
    const now = Date.now();
    const out = new Map<string, ResolvedItem | null>();
    const pending: Array<Promise<Map<string, ResolvedItem | null>>> = [];
    const fetchNow: string[] = [];
    for (const s of wanted) {
      // Misses and inactive items are not trusted from the cache: the fix for either is made in
      // NetSuite (create or reactivate the item), then `errors retry` must see it at once.
      const c = this.#cache.get(s);
      const flight = this.#inflight.get(s);
      if (c?.item && !c.item.inactive && now - c.at <= this.#ttlMs) out.set(s, c.item);
      else if (flight) pending.push(flight);
      else fetchNow.push(s);
    }
    if (fetchNow.length) {
      const p: Promise<Map<string, ResolvedItem | null>> = this.#fetch(fetchNow).finally(() => {
        for (const s of fetchNow) if (this.#inflight.get(s) === p) this.#inflight.delete(s);
      });
      for (const s of fetchNow) this.#inflight.set(s, p);
      pending.push(p);
    }
    for (const found of await Promise.all(pending))
      for (const s of wanted) if (!out.has(s) && found.has(s)) out.set(s, found.get(s) ?? null);
    return new Map(wanted.map((s) => [s, out.get(s) ?? null]));
  }

  /** Forgets cached answers and lookups in flight (after an error retry the fix should be seen at once). */
  forget(skus: readonly string[]): void {
    for (const s of skus) {
      this.#cache.delete(s);
      this.#inflight.delete(s);
    }
  }

  async #fetch(skus: string[]): Promise<Map<string, ResolvedItem | null>> {
    const at = Date.now();
    const result = new Map<string, ResolvedItem | null>();
    for (let i = 0; i < skus.length; i += 100) {
      const batch = skus.slice(i, i + 100);
      const marks = batch.map(() => '?').join(', ');
      const q = `SELECT id, ${this.#field} AS sku, isinactive FROM item WHERE ${this.#field} IN (${marks})`;
      const found = new Map<string, ResolvedItem>();
      for await (const row of this.#netsuite.suiteql.rows(q, batch)) {
        const sku = row.sku;
        if (typeof sku !== 'string' || typeof row.id !== 'string') continue;
        found.set(sku, { id: row.id, sku, inactive: row.isinactive === 'T' });
      }
      for (const s of batch) {
        const item = found.get(s) ?? null;
        result.set(s, item);
        this.#cache.set(s, { item, at });
      }
    }
    return result;
  }
}
