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
  readonly #inflight = new Map<string, Promise<void>>();

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

  /** Every SKU's item, or null when NetSuite has none; only active items are served from the cache. */
  async resolve(skus: readonly string[]): Promise<Map<string, ResolvedItem | null>> {
    const wanted = [...new Set(skus)];
    const now = Date.now();
    // Misses and inactive items are not trusted from the cache: the fix for either is made in
    // NetSuite (create or reactivate the item), then `errors retry` must see it at once.
    const missing = wanted.filter((s) => {
      const c = this.#cache.get(s);
      return !c?.item || c.item.inactive || now - c.at > this.#ttlMs;
    });
    const waits = missing.filter((s) => this.#inflight.has(s)).map((s) => this.#inflight.get(s)!);
    const fetchNow = missing.filter((s) => !this.#inflight.has(s));
    if (fetchNow.length) {
      const p = this.#fetch(fetchNow).finally(() => {
        for (const s of fetchNow) this.#inflight.delete(s);
      });
      for (const s of fetchNow) this.#inflight.set(s, p);
      waits.push(p);
    }
    await Promise.all(waits);
    return new Map(wanted.map((s) => [s, this.#cache.get(s)?.item ?? null]));
  }

  /** Forgets cached answers (after an error retry the fix should be seen at once). */
  forget(skus: readonly string[]): void {
    for (const s of skus) this.#cache.delete(s);
  }

  async #fetch(skus: string[]): Promise<void> {
    const at = Date.now();
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
      for (const s of batch) this.#cache.set(s, { item: found.get(s) ?? null, at });
    }
  }
}
