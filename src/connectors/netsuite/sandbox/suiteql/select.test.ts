import { describe, expect, it } from 'vitest';
import { executeSuiteQL } from './index.ts';
import { column, rows, run } from './test-tables.ts';

describe('SELECT and WHERE', () => {
  it('returns lower-case keys, string values, T/F booleans and omits NULL columns', () => {
    expect(
      rows('SELECT ID, ItemId AS SKU, isinactive, upccode FROM item WHERE id IN (1, 2) ORDER BY id'),
    ).toEqual([
      { id: '1', sku: 'MUG-BLUE', isinactive: 'F', upccode: '0012' },
      { id: '2', sku: 'MUG-RED', isinactive: 'T' },
    ]);
  });

  it('keeps NULL columns as null when omitNulls is false', () => {
    expect(rows('SELECT id, upccode FROM item WHERE id = 2', [], { omitNulls: false })).toEqual([
      { id: '2', upccode: null },
    ]);
  });

  it('expands * and alias.* from the row keys', () => {
    expect(Object.keys(rows('SELECT * FROM location WHERE id = 1')[0]!)).toEqual([
      'id',
      'name',
      'subsidiary',
    ]);
    expect(rows('SELECT l.* FROM location l WHERE l.id = 2')).toEqual([
      { id: '2', name: 'Overflow', subsidiary: '1' },
    ]);
  });

  it('names unaliased expressions exprN and keeps bare column names', () => {
    expect(rows('SELECT i.id, UPPER(i.itemid), i.id + 1 FROM item i WHERE i.id = 1')).toEqual([
      { id: '1', expr1: 'MUG-BLUE', expr2: '2' },
    ]);
  });

  it.each([
    ['id = 2', [2]],
    ['id <> 2', [1, 3, 10]],
    ['id != 2', [1, 3, 10]],
    ['id < 3', [1, 2]],
    ['id > 3', [10]],
    ['id <= 3', [1, 2, 3]],
    ['id >= 3', [3, 10]],
    ["itemtype IN ('Kit', 'Assembly')", [3, 10]],
    ["itemtype NOT IN ('InvtPart')", [3, 10]],
    ['id BETWEEN 2 AND 3', [2, 3]],
    ['id NOT BETWEEN 2 AND 3', [1, 10]],
    ['upccode IS NULL', [2, 10]],
    ['upccode IS NOT NULL', [1, 3]],
    ["isinactive = 'T'", [2]],
    ["NOT (isinactive = 'T') AND (id = 1 OR id = 10)", [1, 10]],
    ["itemtype = 'InvtPart' OR itemtype = 'Kit' AND id > 5", [1, 2, 10]],
    ["(itemtype = 'InvtPart' OR itemtype = 'Kit') AND id > 5", [10]],
    ["displayname = 'Kid''s tee'", [3]],
  ])('WHERE %s', (where, ids) => {
    expect(column(`SELECT id FROM item WHERE ${where} ORDER BY id`, 'id')).toEqual(ids.map(String));
  });

  it('treats comparisons with NULL as unknown (NOT IN with a NULL matches nothing)', () => {
    expect(column("SELECT id FROM item WHERE upccode <> '12' ORDER BY id", 'id')).toEqual(['1']);
    expect(column("SELECT id FROM item WHERE NOT (upccode = '12') ORDER BY id", 'id')).toEqual(['1']);
    expect(column('SELECT id FROM item WHERE id NOT IN (1, NULL)', 'id')).toEqual([]);
  });

  it('LIKE: % and _ wildcards, case-sensitive by default, case-insensitive by option', () => {
    expect(column("SELECT id FROM item WHERE itemid LIKE 'MUG-%' ORDER BY id", 'id')).toEqual(['1', '2']);
    expect(column("SELECT id FROM item WHERE itemid LIKE 'TEE__'", 'id')).toEqual(['3']);
    expect(column("SELECT id FROM item WHERE itemid LIKE 'mug%'", 'id')).toEqual([]);
    expect(column("SELECT id FROM item WHERE itemid NOT LIKE '%-%'", 'id')).toEqual(['3']);
    expect(column("SELECT id FROM item WHERE displayname LIKE '%(%'", 'id')).toEqual([]);
    const ci = rows("SELECT id FROM item WHERE itemid LIKE 'mug%' ORDER BY id", [], {
      likeCaseInsensitive: true,
    });
    expect(ci).toEqual([{ id: '1' }, { id: '2' }]);
  });

  it('binds ? parameters positionally; strings compare to numeric columns as numbers', () => {
    expect(column('SELECT id FROM item WHERE id > ? AND id < ? ORDER BY id', 'id', ['1', 10])).toEqual([
      '2',
      '3',
    ]);
    expect(column('SELECT id FROM item WHERE itemid = ?', 'id', ['MUG-RED'])).toEqual(['2']);
    expect(column('SELECT id FROM item WHERE id = ?', 'id', [null])).toEqual([]);
  });

  it('compares canonical numeric strings as numbers but keeps leading-zero codes as text', () => {
    expect(column("SELECT id FROM transaction WHERE foreigntotal > '2' ORDER BY id", 'id')).toEqual([
      '100',
      '102',
    ]);
    expect(column("SELECT id FROM item WHERE upccode = '12'", 'id')).toEqual(['3']);
    expect(column("SELECT id FROM item WHERE upccode = '0012'", 'id')).toEqual(['1']);
    // Against a number, a string is read as a number (Oracle converts the VARCHAR side).
    expect(column('SELECT id FROM item WHERE upccode = 12 ORDER BY id', 'id')).toEqual(['1', '3']);
  });

  it('compares ISO date strings and TO_DATE / TO_TIMESTAMP values as instants', () => {
    const q = "SELECT id FROM item WHERE lastmodifieddate >= TO_DATE('2026-03-14', 'YYYY-MM-DD') ORDER BY id";
    expect(column(q, 'id')).toEqual(['1', '3']);
    const ts =
      "SELECT id FROM item WHERE lastmodifieddate > TO_TIMESTAMP(?, 'YYYY-MM-DD HH24:MI:SS') ORDER BY id";
    expect(column(ts, 'id', ['2026-03-14 10:00:00'])).toEqual(['3']);
    const us = "SELECT id FROM transaction WHERE trandate = TO_DATE('03/15/2026', 'MM/DD/YYYY')";
    expect(column(us, 'id')).toEqual(['101']);
    expect(
      column(
        "SELECT id FROM transaction WHERE trandate BETWEEN DATE '2026-03-15' AND DATE '2026-03-16'",
        'id',
      ),
    ).toEqual(['101', '102']);
  });

  it('supports ROWNUM in WHERE (counted before ORDER BY, as Oracle does)', () => {
    expect(column('SELECT id FROM item WHERE ROWNUM <= 2', 'id')).toEqual(['1', '2']);
    expect(column('SELECT id FROM item WHERE id > 1 AND ROWNUM <= 2 ORDER BY id DESC', 'id')).toEqual([
      '3',
      '2',
    ]);
  });
});

describe('ORDER BY', () => {
  it('sorts by several keys, ASC/DESC, by alias, by position and by expression', () => {
    expect(column('SELECT id, itemtype FROM item ORDER BY itemtype DESC, id', 'id')).toEqual([
      '10',
      '1',
      '2',
      '3',
    ]);
    expect(column('SELECT id AS n FROM item ORDER BY n DESC', 'n')).toEqual(['10', '3', '2', '1']);
    expect(column('SELECT itemid, id FROM item ORDER BY 2 DESC', 'id')).toEqual(['10', '3', '2', '1']);
    expect(column('SELECT id FROM item ORDER BY 0 - id', 'id')).toEqual(['10', '3', '2', '1']);
  });

  it('sorts numbers numerically, decimal strings exactly, dates as instants, text as text', () => {
    expect(column('SELECT id FROM transaction ORDER BY foreigntotal', 'id')).toEqual(['101', '100', '102']);
    expect(column('SELECT id FROM item ORDER BY lastmodifieddate DESC', 'id')).toEqual(['3', '1', '2', '10']);
    expect(column('SELECT itemid FROM item ORDER BY itemid', 'itemid')).toEqual([
      'GIFT-KIT',
      'MUG-BLUE',
      'MUG-RED',
      'TEE_S',
    ]);
  });

  it('puts NULLs last ascending and first descending, unless NULLS FIRST/LAST says otherwise', () => {
    expect(column('SELECT id FROM item ORDER BY upccode, id', 'id')).toEqual(['1', '3', '2', '10']);
    expect(column('SELECT id FROM item ORDER BY upccode DESC, id', 'id')).toEqual(['2', '10', '3', '1']);
    expect(column('SELECT id FROM item ORDER BY upccode NULLS FIRST, id', 'id')).toEqual([
      '2',
      '10',
      '1',
      '3',
    ]);
  });

  it('applies DISTINCT to the projected rows', () => {
    expect(column('SELECT DISTINCT itemtype FROM item ORDER BY itemtype', 'itemtype')).toEqual([
      'Assembly',
      'InvtPart',
      'Kit',
    ]);
  });
});

describe('paging', () => {
  const q = 'SELECT id FROM item ORDER BY id';

  it('returns an empty page for no rows', () => {
    expect(run('SELECT id FROM item WHERE id = 999')).toEqual({
      items: [],
      totalResults: 0,
      count: 0,
      offset: 0,
      hasMore: false,
    });
  });

  it('returns exactly one page when everything fits', () => {
    expect(run(q, [], { limit: 4 })).toMatchObject({ totalResults: 4, count: 4, hasMore: false });
  });

  it('walks many pages after ORDER BY: offset/limit, hasMore and totalResults', () => {
    const first = run(q, [], { limit: 3, offset: 0 });
    expect(first).toMatchObject({ totalResults: 4, count: 3, hasMore: true, offset: 0 });
    expect(first.items.map((r) => r.id)).toEqual(['1', '2', '3']);
    const second = run(q, [], { limit: 3, offset: 3 });
    expect(second).toMatchObject({
      totalResults: 4,
      count: 1,
      hasMore: false,
      offset: 3,
      items: [{ id: '10' }],
    });
    expect(run(q, [], { limit: 3, offset: 6 })).toMatchObject({ totalResults: 4, count: 0, hasMore: false });
  });

  it('applies OFFSET / FETCH FIRST before the page', () => {
    const r = run('SELECT id FROM item ORDER BY id OFFSET 1 ROWS FETCH NEXT 2 ROWS ONLY', [], { limit: 1 });
    expect(r).toMatchObject({ totalResults: 2, count: 1, hasMore: true, items: [{ id: '2' }] });
  });

  it('rejects a non-positive limit or a negative offset', () => {
    expect(() => run(q, [], { limit: 0 })).toThrow(/Invalid limit/);
    expect(() => run(q, [], { offset: -1 })).toThrow(/Invalid offset/);
  });
});

describe('IN over mixed types', () => {
  it('matches a non-canonical numeric string against a numeric list, like =', () => {
    expect(column('SELECT id FROM item WHERE upccode IN (12) ORDER BY id', 'id')).toEqual(['1', '3']);
    expect(column("SELECT id FROM item WHERE id IN ('3', '10') ORDER BY id", 'id')).toEqual(['3', '10']);
  });
});

describe('ORDER BY key types', () => {
  const sorted = (values: unknown[], dir = 'ASC') =>
    executeSuiteQL(
      `SELECT v FROM t ORDER BY v ${dir}`,
      [],
      { t: () => values.map((v) => ({ v })) },
      { limit: 100, offset: 0 },
    ).items.map((r) => r['v'] ?? null);

  it('mixes numbers and decimal strings exactly, including negatives and > 15 digits', () => {
    expect(sorted([3, '2.5', '-1.25', '10', null, '-1.3'])).toEqual([
      '-1.3',
      '-1.25',
      '2.5',
      '3',
      '10',
      null,
    ]);
    expect(sorted(['100000000000000000000.1', '100000000000000000000.05', 7])).toEqual([
      '7',
      '100000000000000000000.05',
      '100000000000000000000.1',
    ]);
    expect(sorted([0.1, '0.09', 1e3], 'DESC')).toEqual(['1000', '0.1', '0.09']);
  });

  it('sorts Date cells and ISO strings as instants, and anything mixed as text', () => {
    expect(sorted([new Date(Date.UTC(2026, 0, 2)), '2026-01-01T12:00:00Z', '2025-12-31'])).toEqual([
      '2025-12-31',
      '2026-01-01T12:00:00Z',
      '2026-01-02T00:00:00.000Z',
    ]);
    expect(sorted(['b', 10, 'a', 9])).toEqual(['10', '9', 'a', 'b']);
  });
});
