import { describe, expect, it } from 'vitest';
import { executeSuiteQL } from './index.ts';
import { column, rows } from './test-tables.ts';

describe('JOIN', () => {
  it('INNER JOIN ... ON a.x = b.y keeps only matching pairs', () => {
    const q = `SELECT i.itemid, iil.location, iil.quantityavailable FROM item i
               JOIN inventoryitemlocations iil ON iil.item = i.id ORDER BY i.id, iil.location`;
    expect(rows(q)).toEqual([
      { itemid: 'MUG-BLUE', location: '1', quantityavailable: '5' },
      { itemid: 'MUG-BLUE', location: '2', quantityavailable: '0' },
      { itemid: 'TEE_S', location: '1', quantityavailable: '12' },
    ]);
  });

  it('LEFT OUTER JOIN keeps unmatched rows with NULL columns (omitted, or null with omitNulls off)', () => {
    const q = `SELECT i.id, iil.location FROM item i LEFT OUTER JOIN inventoryitemlocations iil
               ON iil.item = i.id AND iil.location = 1 ORDER BY i.id`;
    expect(rows(q)).toEqual([
      { id: '1', location: '1' },
      { id: '2' },
      { id: '3', location: '1' },
      { id: '10' },
    ]);
    expect(rows(q, [], { omitNulls: false })[1]).toEqual({ id: '2', location: null });
    expect(column(`${q.replace('ORDER BY', 'WHERE iil.location IS NULL ORDER BY')}`, 'id')).toEqual([
      '2',
      '10',
    ]);
  });

  it('chains joins and resolves unqualified columns that exist in one table only', () => {
    const q = `SELECT t.tranid, itemid, l.name AS location_name FROM transaction t
               INNER JOIN transactionline tl ON tl.transaction = t.id
               INNER JOIN item i ON i.id = tl.item
               LEFT JOIN location l ON l.id = tl.location
               WHERE tl.mainline = 'F' AND t.type = ? ORDER BY t.id, tl.linesequencenumber`;
    expect(rows(q, ['SalesOrd'])).toEqual([
      { tranid: 'SO100', itemid: 'MUG-BLUE', location_name: 'Main warehouse' },
      { tranid: 'SO101', itemid: 'TEE_S', location_name: 'Main warehouse' },
      { tranid: 'SO101', itemid: 'TEE_S', location_name: 'Overflow' },
    ]);
  });

  it('joins on a non-equality condition with a nested loop', () => {
    const q = 'SELECT i.id, l.id AS loc FROM item i JOIN location l ON l.id >= i.id ORDER BY i.id, l.id';
    expect(rows(q)).toEqual([
      { id: '1', loc: '1' },
      { id: '1', loc: '2' },
      { id: '2', loc: '2' },
    ]);
  });

  it('never joins on NULL keys', () => {
    const q =
      'SELECT tl.linesequencenumber FROM transactionline tl JOIN item i ON i.id = tl.item WHERE tl.transaction = 100';
    expect(rows(q)).toEqual([{ linesequencenumber: '1' }]);
  });
});

describe('aggregates and GROUP BY', () => {
  it('COUNT(*), COUNT(col), COUNT(DISTINCT col) with GROUP BY', () => {
    const q = `SELECT itemtype, COUNT(*) AS n, COUNT(upccode) AS with_upc, COUNT(DISTINCT isinactive) AS states
               FROM item GROUP BY itemtype ORDER BY itemtype`;
    expect(rows(q)).toEqual([
      { itemtype: 'Assembly', n: '1', with_upc: '1', states: '1' },
      { itemtype: 'InvtPart', n: '2', with_upc: '1', states: '2' },
      { itemtype: 'Kit', n: '1', with_upc: '0', states: '1' },
    ]);
  });

  it('aggregates without GROUP BY give one row, even over no rows', () => {
    expect(rows('SELECT COUNT(*) AS n, SUM(id) AS s, MAX(id) AS m FROM item')).toEqual([
      { n: '4', s: '16', m: '10' },
    ]);
    expect(
      rows('SELECT COUNT(*) AS n, SUM(id) AS s FROM item WHERE id < 0', [], { omitNulls: false }),
    ).toEqual([{ n: '0', s: null }]);
  });

  it('SUM of decimal strings is exact and keeps the scale; large values do not lose digits', () => {
    expect(rows("SELECT SUM(foreigntotal) AS total FROM transaction WHERE type = 'SalesOrd'")).toEqual([
      { total: '10.30' },
    ]);
    expect(rows('SELECT SUM(foreigntotal) AS total FROM transaction')).toEqual([
      { total: '1000000000000000010.31' },
    ]);
    const tenths = { t: () => Array.from({ length: 10 }, () => ({ v: '0.1' })) };
    const r = executeSuiteQL('SELECT SUM(v) AS s FROM t', [], tenths, { limit: 10, offset: 0 });
    expect(r.items).toEqual([{ s: '1.0' }]);
  });

  it('MIN / MAX / AVG over numbers, decimal strings and dates', () => {
    expect(rows('SELECT MIN(foreigntotal) AS lo, MAX(foreigntotal) AS hi FROM transaction')).toEqual([
      { lo: '0.20', hi: '1000000000000000000.01' },
    ]);
    expect(rows('SELECT MAX(lastmodifieddate) AS d FROM item')).toEqual([{ d: '2026-03-15T23:59:59.000Z' }]);
    expect(rows('SELECT AVG(quantityavailable) AS a FROM inventoryitemlocations')).toEqual([
      { a: '5.66666666666666666667' },
    ]);
  });

  it('groups joined rows and filters groups with HAVING; sorts by an aggregate', () => {
    const q = `SELECT tl.transaction, SUM(ABS(tl.quantity)) AS qty, SUM(tl.foreignamount) AS amount
               FROM transactionline tl WHERE tl.mainline = 'F'
               GROUP BY tl.transaction HAVING COUNT(*) > 1 ORDER BY SUM(tl.foreignamount)`;
    expect(rows(q)).toEqual([{ transaction: '101', qty: '2', amount: '-0.20' }]);
    const counts =
      'SELECT location, COUNT(*) AS n FROM inventoryitemlocations GROUP BY location ORDER BY n DESC';
    expect(rows(counts)).toEqual([
      { location: '1', n: '2' },
      { location: '2', n: '1' },
    ]);
  });

  it('puts NULL keys in one group', () => {
    const q = 'SELECT upccode, COUNT(*) AS n FROM item GROUP BY upccode ORDER BY upccode';
    expect(rows(q)).toEqual([{ upccode: '0012', n: '1' }, { upccode: '12', n: '1' }, { n: '2' }]);
  });
});
