import { describe, expect, it } from 'vitest';
import { formatWithFormat } from './dates.ts';
import { executeSuiteQL } from './index.ts';
import { rows } from './test-tables.ts';

const one = (expr: string, params: unknown[] = [], table = 'location WHERE id = 1') =>
  rows(`SELECT ${expr} AS v FROM ${table}`, params, { omitNulls: false })[0]!['v'];

describe('scalar functions', () => {
  it('NVL, NVL2 and COALESCE pick the first non-NULL value', () => {
    expect(
      rows('SELECT id, NVL(displayname, itemid) AS name FROM item WHERE id IN (3, 10) ORDER BY id'),
    ).toEqual([
      { id: '3', name: "Kid's tee" },
      { id: '10', name: 'GIFT-KIT' },
    ]);
    expect(one("COALESCE(NULL, NULL, 'x', 'y')")).toBe('x');
    expect(one('COALESCE(NULL, NULL)')).toBeNull();
    expect(one("NVL2(NULL, 'a', 'b')")).toBe('b');
  });

  it('UPPER, LOWER, LENGTH, SUBSTR, TRIM and ||', () => {
    expect(one('UPPER(name)')).toBe('MAIN WAREHOUSE');
    expect(one('LOWER(name)')).toBe('main warehouse');
    expect(one('LENGTH(name)')).toBe('14');
    expect(one('SUBSTR(name, 6, 4)')).toBe('ware');
    expect(one("TRIM('  x ')")).toBe('x');
    expect(one("name || ' #' || id || NULL")).toBe('Main warehouse #1');
    expect(one("CONCAT(name, '!')")).toBe('Main warehouse!');
    expect(one("NULLIF(name, 'Main warehouse')")).toBeNull();
    expect(one('TO_CHAR(id)')).toBe('1');
    expect(one('name LIKE NULL')).toBeNull();
    expect(rows("SELECT id FROM item WHERE itemid LIKE itemtype || '%'")).toEqual([]);
  });

  it('arithmetic: + - * / with exact decimals; NULL propagates', () => {
    expect(one('1 + 2 * 3 - 4 / 2')).toBe('5');
    expect(one("'0.1' + '0.2'")).toBe('0.3');
    expect(one("'10.10' * 3")).toBe('30.30');
    expect(one('7 / 2')).toBe('3.5');
    expect(one('1 / 3')).toBe('0.33333333333333333333');
    expect(one('-id')).toBe('-1');
    expect(one('id + NULL')).toBeNull();
    expect(
      rows(
        'SELECT ABS(quantity) AS q, quantity * -1 AS neg FROM transactionline WHERE transaction = 100 AND item = 1',
      ),
    ).toEqual([{ q: '2', neg: '2' }]);
  });

  it('ROUND / TRUNC / TO_NUMBER and CASE', () => {
    expect(one("ROUND('2.345', 2)")).toBe('2.35');
    expect(one("ROUND('-2.5')")).toBe('-3');
    expect(one("TRUNC('2.999', 1)")).toBe('2.9');
    expect(one("TO_NUMBER('042.50')")).toBe('42.50');
    expect(one("CASE WHEN id = 1 THEN 'one' ELSE 'other' END")).toBe('one');
    expect(one("CASE id WHEN 2 THEN 'two' END")).toBeNull();
  });

  it('BUILTIN.DF returns the value as text, or the display text from the displayValue hook', () => {
    expect(
      rows('SELECT BUILTIN.DF(iil.location) AS loc FROM inventoryitemlocations iil WHERE iil.item = 3'),
    ).toEqual([{ loc: '1' }]);
    const names: Record<string, string> = { 'location:1': 'Main warehouse' };
    const hooked = rows(
      'SELECT BUILTIN.DF(iil.location) AS loc FROM inventoryitemlocations iil WHERE iil.item = 3',
      [],
      {
        displayValue: ({ table, column, value }) =>
          table === 'inventoryitemlocations' ? names[`${column}:${value}`] : undefined,
      },
    );
    expect(hooked).toEqual([{ loc: 'Main warehouse' }]);
  });
});

describe('dates', () => {
  it("TO_CHAR renders 'YYYY-MM-DD', 'YYYY-MM-DD HH24:MI:SS', 'MM/DD/YYYY' and 'MM/DD/YYYY HH24:MI:SS' in UTC", () => {
    const q = `SELECT TO_CHAR(lastmodifieddate, 'YYYY-MM-DD') AS d, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS dt,
               TO_CHAR(lastmodifieddate, 'MM/DD/YYYY') AS us, TO_CHAR(lastmodifieddate, 'MM/DD/YYYY HH24:MI:SS') AS usdt,
               TO_CHAR(lastmodifieddate, 'HH:MI AM') AS clock FROM item WHERE id = 3`;
    expect(rows(q)).toEqual([
      {
        d: '2026-03-15',
        dt: '2026-03-15 23:59:59',
        us: '03/15/2026',
        usdt: '03/15/2026 23:59:59',
        clock: '11:59 PM',
      },
    ]);
  });

  it('TO_DATE / TO_TIMESTAMP parse those formats and round-trip through TO_CHAR', () => {
    expect(one("TO_CHAR(TO_DATE('2026-03-14', 'YYYY-MM-DD'), 'YYYY-MM-DD HH24:MI:SS')")).toBe(
      '2026-03-14 00:00:00',
    );
    expect(
      one("TO_CHAR(TO_TIMESTAMP(?, 'YYYY-MM-DD HH24:MI:SS'), 'MM/DD/YYYY HH24:MI:SS')", [
        '2026-03-14 07:08:09',
      ]),
    ).toBe('03/14/2026 07:08:09');
    expect(one("TO_CHAR(TO_DATE('3/4/2026', 'MM/DD/YYYY'), 'YYYY-MM-DD')")).toBe('2026-03-04');
    expect(one("TO_DATE('2026-03-14', 'YYYY-MM-DD')")).toBe('2026-03-14T00:00:00.000Z');
    expect(one("TO_DATE('03/14/2026 12:30 AM', 'MM/DD/YYYY HH:MI AM')")).toBe('2026-03-14T00:30:00.000Z');
    expect(one("TO_DATE('03/14/2026 01:30 pm', 'MM/DD/YYYY HH:MI PM')")).toBe('2026-03-14T13:30:00.000Z');
    expect(one("TO_CHAR(TIMESTAMP '2026-03-14 05:06:07', 'YYYY-MM-DD\"T\"HH24:MI:SS.FF3')")).toBe(
      '2026-03-14T05:06:07.000',
    );
  });

  it('rejects dates that do not match their format or do not exist', () => {
    expect(() => one("TO_DATE('2026-02-30', 'YYYY-MM-DD')")).toThrow(/Unparseable date '2026-02-30'/);
    expect(() => one("TO_DATE('14/03/2026', 'YYYY-MM-DD')")).toThrow(/Unparseable date/);
    expect(() => one("TO_CHAR(name, 'YYYY-MM-DD')")).toThrow(/Unparseable date 'Main warehouse'/);
    expect(() => one("TO_DATE('2026', 'YYYY-MON')")).toThrow(/Unsupported date format element/);
  });

  it('SYSDATE uses the injected clock; date arithmetic is in days', () => {
    const now = () => Date.UTC(2026, 2, 16, 12, 0, 0);
    const run = (q: string) =>
      executeSuiteQL(
        q,
        [],
        { item: () => [{ id: 1, d: '2026-03-15T12:00:00.000Z' }] },
        { limit: 10, offset: 0, now },
      ).items;
    expect(run("SELECT TO_CHAR(SYSDATE, 'YYYY-MM-DD HH24:MI:SS') AS n FROM item")).toEqual([
      { n: '2026-03-16 12:00:00' },
    ]);
    expect(run('SELECT id FROM item WHERE d > SYSDATE - 1')).toEqual([]);
    expect(run('SELECT id FROM item WHERE d >= SYSDATE - 1')).toEqual([{ id: '1' }]);
    expect(run("SELECT TO_CHAR(TRUNC(SYSDATE) + 0.5, 'YYYY-MM-DD HH24:MI') AS t FROM item")).toEqual([
      { t: '2026-03-16 12:00' },
    ]);
    expect(run("SELECT SYSDATE - TO_DATE('2026-03-15', 'YYYY-MM-DD') AS days FROM item")).toEqual([
      { days: '1.5' },
    ]);
  });

  it('compares ISO strings with offsets as instants', () => {
    const t = {
      x: () => [
        { id: 1, d: '2026-03-14T10:00:00+02:00' },
        { id: 2, d: '2026-03-14T09:00:00Z' },
      ],
    };
    const r = executeSuiteQL('SELECT id FROM x ORDER BY d', [], t, { limit: 10, offset: 0 });
    expect(r.items).toEqual([{ id: '1' }, { id: '2' }]);
  });

  it('writes Date cells and date values as ISO instants, or with the formatDate hook', () => {
    const t = { x: () => [{ id: 1, d: new Date(Date.UTC(2026, 2, 14, 9, 5)) }] };
    const q = "SELECT d, TO_DATE('2026-03-15', 'YYYY-MM-DD') AS e FROM x WHERE d < DATE '2026-03-15'";
    expect(executeSuiteQL(q, [], t, { limit: 10, offset: 0 }).items).toEqual([
      { d: '2026-03-14T09:05:00.000Z', e: '2026-03-15T00:00:00.000Z' },
    ]);
    const us = (ms: number) => formatWithFormat(ms, 'MM/DD/YYYY');
    expect(executeSuiteQL(q, [], t, { limit: 10, offset: 0, formatDate: us }).items).toEqual([
      { d: '03/14/2026', e: '03/15/2026' },
    ]);
  });
});
