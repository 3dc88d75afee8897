import { describe, expect, it } from 'vitest';
import { parseSuiteQL, SuiteQLError } from './index.ts';

function parseError(query: string): SuiteQLError {
  try {
    parseSuiteQL(query);
  } catch (err) {
    if (err instanceof SuiteQLError) return err;
    throw err;
  }
  throw new Error(`expected ${query} to fail`);
}

describe('parseSuiteQL', () => {
  it('parses columns, aliases (AS and bare), table aliases and keywords in any case', () => {
    const stmt = parseSuiteQL(
      'select T.ID, t.TranId AS Number, t.status st FROM Transaction t where t.id > 0',
    );
    expect(stmt.from).toEqual({ table: 'transaction', alias: 't', pos: expect.any(Number) });
    expect(stmt.columns).toEqual([
      { kind: 'expr', expr: { kind: 'column', table: 't', name: 'id', pos: 7 }, alias: undefined },
      { kind: 'expr', expr: expect.objectContaining({ name: 'tranid' }), alias: 'number' },
      { kind: 'expr', expr: expect.objectContaining({ name: 'status' }), alias: 'st' },
    ]);
    expect(stmt.where).toMatchObject({ kind: 'binary', op: '>' });
  });

  it('counts bind parameters in order', () => {
    const stmt = parseSuiteQL('SELECT id FROM item WHERE id > ? AND itemid IN (?, ?)');
    expect(stmt.paramCount).toBe(3);
    expect(stmt.where).toMatchObject({
      left: { right: { kind: 'param', index: 0 } },
      right: { kind: 'in', list: [{ index: 1 }, { index: 2 }] },
    });
  });

  it("unescapes '' in string literals and skips comments", () => {
    const stmt = parseSuiteQL(
      "SELECT id FROM item -- trailing\n WHERE /* block */ displayname = 'Kid''s tee'",
    );
    expect(stmt.where).toMatchObject({ right: { kind: 'string', value: "Kid's tee" } });
  });

  it('respects precedence: AND binds tighter than OR, * tighter than +', () => {
    const stmt = parseSuiteQL('SELECT 1 + 2 * 3 AS x FROM item WHERE a = 1 OR b = 2 AND c = 3');
    expect(stmt.where).toMatchObject({ op: 'OR', right: { op: 'AND' } });
    expect(stmt.columns[0]).toMatchObject({ expr: { op: '+', right: { op: '*' } } });
  });

  it('parses joins, GROUP BY, HAVING, ORDER BY with NULLS, OFFSET and FETCH FIRST', () => {
    const stmt = parseSuiteQL(`
      SELECT i.itemtype, COUNT(*) AS n FROM item i
      INNER JOIN inventoryitemlocations iil ON iil.item = i.id AND iil.location = 1
      LEFT OUTER JOIN location l ON l.id = iil.location
      GROUP BY i.itemtype HAVING COUNT(*) > 1
      ORDER BY n DESC, 1 ASC NULLS FIRST OFFSET 2 ROWS FETCH FIRST 10 ROWS ONLY`);
    expect(stmt.joins.map((j) => [j.type, j.source.alias])).toEqual([
      ['inner', 'iil'],
      ['left', 'l'],
    ]);
    expect(stmt.groupBy).toHaveLength(1);
    expect(stmt.having).toBeDefined();
    expect(stmt.orderBy.map((k) => [k.desc, k.nullsFirst])).toEqual([
      [true, true],
      [false, true],
    ]);
    expect([stmt.skip, stmt.fetch]).toEqual([2, 10]);
  });

  it('parses BUILTIN.DF, CASE, NOT IN, NOT LIKE, NOT BETWEEN and IS NOT NULL', () => {
    const stmt =
      parseSuiteQL(`SELECT BUILTIN.DF(t.status), CASE WHEN a = 1 THEN 'x' ELSE 'y' END FROM transaction t
      WHERE a NOT IN (1) AND b NOT LIKE 'x%' AND c NOT BETWEEN 1 AND 2 AND d IS NOT NULL`);
    expect(stmt.columns[0]).toMatchObject({ expr: { kind: 'call', name: 'BUILTIN.DF' } });
    expect(stmt.columns[1]).toMatchObject({ expr: { kind: 'case' } });
  });

  it('reports syntax errors naming the token and its position', () => {
    const err = parseError('SELECT id FROM item WHERE');
    expect(err.kind).toBe('syntax_error');
    expect(err.code).toBe('INVALID_PARAMETER');
    expect(err.message).toMatch(/^Invalid search query\. Detailed unprocessed description follows\./);
    expect(err.message).toContain("near 'end of query'");
    expect(parseError('SELECT id FROM item WHERE id = = 2').message).toContain("near '=' at position 31");
    expect(parseError("SELECT id FROM item WHERE x = 'open").message).toContain('syntax error');
    expect(parseError('SELECT id item').message).toContain("near 'end of query'");
    expect(parseError('SELECT id FROM item ORDER id').message).toContain("near 'id'");
  });

  it('reports unsupported SQL as NetSuite does ("Invalid or unsupported search") and names it', () => {
    for (const [query, what] of [
      ['SELECT id FROM item UNION SELECT id FROM item', 'UNION'],
      ['SELECT id FROM item WHERE id IN (SELECT item FROM x)', 'subquery'],
      ['SELECT id FROM item RIGHT JOIN x ON x.a = item.id', 'RIGHT JOIN'],
      ['SELECT id FROM item, location', 'comma-separated FROM'],
      ["SELECT id FROM item WHERE a LIKE 'x' ESCAPE '!'", 'ESCAPE'],
    ] as const) {
      const err = parseError(query);
      expect(err.kind).toBe('unsupported');
      expect(err.message).toContain('Invalid or unsupported search');
      expect(err.message).toContain(what);
    }
  });

  it('caches parsed statements by query text', () => {
    const q = 'SELECT id FROM item WHERE id = 42';
    expect(parseSuiteQL(q)).toBe(parseSuiteQL(q));
  });

  it('evicts the least recently used statement past 256 cached texts', () => {
    const first = parseSuiteQL('SELECT id FROM item WHERE id = 0');
    for (let i = 1; i <= 300; i++) parseSuiteQL(`SELECT id FROM item WHERE id = ${i}`);
    expect(parseSuiteQL('SELECT id FROM item WHERE id = 0')).not.toBe(first);
    expect(parseSuiteQL('SELECT id FROM item WHERE id = 0')).toEqual(first);
  });
});
