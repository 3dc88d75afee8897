/**
 * Golden tests of the product mapping: each case of golden/products/cases.json (a NetSuite item as
 * the Record API returns it, a shop, catalog settings) must produce exactly
 * golden/products/expected/<case>.json: TikTok's create body, or the error with code and message.
 * Regenerate after a deliberate change with GOLDEN_UPDATE=1, then review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CatalogSettings } from '../config/catalog-settings.ts';
import { parseNsJson, RECORD_SCHEMAS } from '../connectors/netsuite/index.ts';
import { isAppError } from '../shared/errors.ts';
import { compileProductMapping, type ItemScope, itemScope, productInput } from './product.ts';

const DIR = join(import.meta.dirname, 'golden', 'products');
const update = process.env['GOLDEN_UPDATE'] === '1';

const Cases = z.object({
  shops: z.record(z.string(), z.custom<ItemScope['shop']>()),
  settings: z.record(z.string(), z.unknown()),
  cases: z.array(z.object({ name: z.string(), item: z.string(), shop: z.string(), settings: z.string() })),
});
const GOLDEN = Cases.parse(JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')));

function runCase(c: (typeof GOLDEN.cases)[number]): string {
  const item = RECORD_SCHEMAS.inventoryItem.parse(
    parseNsJson(readFileSync(join(DIR, 'items', `${c.item}.json`), 'utf8')),
  );
  try {
    const mapping = compileProductMapping(CatalogSettings.parse(GOLDEN.settings[c.settings]));
    const draft = mapping.map(itemScope(item, GOLDEN.shops[c.shop]!));
    return JSON.stringify(productInput(draft, item, [{ quantity: 0 }]), null, 2);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return JSON.stringify({ error: { code: e.code, errorClass: e.errorClass, message: e.message } }, null, 2);
  }
}

describe('product mapping golden cases', () => {
  it.each(GOLDEN.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const actual = runCase(c);
    const file = join(DIR, 'expected', `${name}.json`);
    if (update) writeFileSync(file, `${actual}\n`);
    expect(existsSync(file), `missing golden ${file}`).toBe(true);
    expect(JSON.parse(actual)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });

  it('names the NetSuite fields behind a TikTok field', () => {
    const m = compileProductMapping(CatalogSettings.parse(GOLDEN.settings['standard']));
    expect(m.sourcesOf('package_weight.value')).toEqual({
      draftField: 'weight',
      sources: ['item.weight', 'item.weightUnit'],
    });
    expect(m.sourcesOf('category_id')?.sources).toEqual(['item.class']);
    expect(m.sourcesOf('skus.0.price.amount')?.sources).toEqual(['item.prices']);
    expect(m.sourcesOf('warranty')).toBeUndefined();
  });

  it('takes only poll intervals a cron schedule can keep', () => {
    for (const ok of [1, 5, 15, 30, 60, 120, 1440])
      expect(CatalogSettings.safeParse({ pollIntervalMinutes: ok }).success).toBe(true);
    for (const bad of [7, 45, 90, 300])
      expect(CatalogSettings.safeParse({ pollIntervalMinutes: bad }).success).toBe(false);
  });

  it('refuses a field mapping that reads a path the item does not have', () => {
    expect(() =>
      compileProductMapping(CatalogSettings.parse({ fields: { title: { path: 'item.nope' } } })),
    ).toThrow(/item\.nope/);
  });
});
