import { describe, expect, it } from 'vitest';
import { executeSuiteQL, type SuiteQLRow } from './index.ts';

/** A sanity run at the sandbox's expected scale (50,000 item-location rows); not a timed assertion. */
describe('50,000 rows', () => {
  const items: SuiteQLRow[] = [];
  const stock: SuiteQLRow[] = [];
  for (let i = 1; i <= 10_000; i++)
    items.push({ id: i, itemid: `SKU-${i}`, itemtype: i % 3 ? 'InvtPart' : 'Kit' });
  for (let i = 0; i < 50_000; i++) {
    stock.push({
      item: (i % 10_000) + 1,
      location: (i % 5) + 1,
      quantityavailable: i % 97,
      averagecostmli: `${i % 1000}.${String(i % 100).padStart(2, '0')}`,
      lastquantityavailablechange: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    });
  }
  const tables = { item: () => items, inventoryitemlocations: () => stock };

  it('filters, sorts and pages one table', () => {
    const q = `SELECT item, location, quantityavailable FROM inventoryitemlocations
               WHERE lastquantityavailablechange > TO_TIMESTAMP(?, 'YYYY-MM-DD HH24:MI:SS') AND quantityavailable > ?
               ORDER BY item DESC, location`;
    const r = executeSuiteQL(q, ['2026-01-01 00:00:00', '0'], tables, { limit: 1000, offset: 2000 });
    // The same query in plain JS, as the oracle.
    const since = Date.UTC(2026, 0, 1);
    const num = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);
    const expected = stock
      .filter(
        (row) =>
          Date.parse(String(row['lastquantityavailablechange'])) > since && num(row['quantityavailable']) > 0,
      )
      .sort((a, b) => num(b['item']) - num(a['item']) || num(a['location']) - num(b['location']));
    expect(r).toMatchObject({ totalResults: expected.length, count: 1000, hasMore: true, offset: 2000 });
    expect(r.items).toEqual(
      expected.slice(2000, 3000).map((row) => ({
        item: String(row['item']),
        location: String(row['location']),
        quantityavailable: String(row['quantityavailable']),
      })),
    );
  });

  it('joins and aggregates', () => {
    const q = `SELECT i.itemtype, COUNT(*) AS n, SUM(iil.averagecostmli) AS cost FROM item i
               JOIN inventoryitemlocations iil ON iil.item = i.id GROUP BY i.itemtype ORDER BY i.itemtype`;
    const r = executeSuiteQL(q, [], tables, { limit: 1000, offset: 0 });
    expect(r.items.map((row) => row['n'])).toEqual(['33335', '16665']);
    expect(
      r.items.every((row) => typeof row['cost'] === 'string' && /^\d+\.\d{2}$/.test(String(row['cost']))),
    ).toBe(true);
  });
});
