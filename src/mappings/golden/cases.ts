/** Test support: the golden cases of cases.json, run through the order mapping. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Order as TikTokOrder } from '../../connectors/tiktok-shop/index.ts';
import { isRecord } from '../../mapping/index.ts';
import { isAppError } from '../../shared/errors.ts';
import type { SalesOrderLookups } from '../items.ts';
import { compileOrderMapping } from '../orders.ts';

const DIR = import.meta.dirname;

const Case = z
  .object({
    name: z.string(),
    order: z.string(),
    shop: z.string(),
    variant: z.string().optional(),
    settings: z.string().default('standard'),
    omitItems: z.array(z.string()).default([]),
    inactiveItems: z.array(z.string()).default([]),
  })
  .strict();
export type Case = z.infer<typeof Case>;

const Cases = z.object({
  shops: z.record(z.string(), z.object({ id: z.string(), region: z.string() })),
  lookups: z.object({
    items: z.record(z.string(), z.object({ id: z.string() })),
    exchangeRates: z.record(z.string(), z.string()),
  }),
  settings: z.record(z.string(), z.unknown()),
  variants: z.record(z.string(), z.unknown()),
  cases: z.array(Case),
});

export const GOLDEN = Cases.parse(JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')));

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(join(DIR, path), 'utf8'));
}

export function loadWireOrder(name: string): TikTokOrder {
  return TikTokOrder.parse(readJson(`orders/${name}.json`));
}

/** JSON merge patch (RFC 7386): objects merge, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const out: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function settingsFor(c: Case): unknown {
  const base = c.settings === 'defaults' ? {} : GOLDEN.settings[c.settings];
  return c.variant ? mergePatch(base, GOLDEN.variants[c.variant]) : base;
}

export function lookupsFor(c: Case): SalesOrderLookups {
  const items = GOLDEN.lookups.items;
  return {
    itemBySku: (sku) => {
      const found = c.omitItems.includes(sku) ? undefined : items[sku];
      return found ? { id: found.id, inactive: c.inactiveItems.includes(sku) } : undefined;
    },
    itemById: (id) => ({ id, inactive: false }),
    exchangeRate: (from, to) => GOLDEN.lookups.exchangeRates[`${from}>${to}`],
  };
}

/** A number's exact value as text: "2.00", "2.0" and "2" are the same amount ("2"). */
function canonicalNumber(text: string): string {
  const [whole = '', frac = ''] = text.split('.');
  const f = frac.replace(/0+$/, '');
  const n = f ? `${whole}.${f}` : whole;
  return n === '-0' ? '0' : n;
}

/**
 * Parses JSON keeping every number exact: a number becomes "#<canonical digits>" (never a float),
 * so a golden reformatted by biome (2.00 -> 2.0) still compares equal and strings stay distinct.
 */
export function parseExact(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' ? `#${canonicalNumber(context?.source ?? String(value))}` : value,
  );
}

/** The case's outcome as JSON text: the mapping result, or the error it raised. */
export function runCase(c: Case): string {
  const shop = GOLDEN.shops[c.shop]!;
  try {
    const mapping = compileOrderMapping(settingsFor(c));
    const order = mapping.fromTikTok(loadWireOrder(c.order), shop);
    const result = mapping.toSalesOrder(order, lookupsFor(c));
    return JSON.stringify(result, null, 2);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return JSON.stringify({ error: { code: e.code, errorClass: e.errorClass, message: e.message } }, null, 2);
  }
}
