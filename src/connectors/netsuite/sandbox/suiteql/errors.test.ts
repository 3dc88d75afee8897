import { describe, expect, it } from 'vitest';
import { SuiteQLError } from './index.ts';
import { run } from './test-tables.ts';

function failure(query: string, params: unknown[] = [], opts = {}): SuiteQLError {
  try {
    run(query, params, opts);
  } catch (err) {
    if (err instanceof SuiteQLError) return err;
    throw err;
  }
  throw new Error(`expected ${query} to fail`);
}

const PREFIX = 'Invalid search query. Detailed unprocessed description follows. ';

describe('SuiteQL errors', () => {
  it('unknown table: "Record \'x\' was not found."', () => {
    const err = failure('SELECT id FROM salesorders');
    expect(err).toMatchObject({ kind: 'unknown_table', code: 'INVALID_PARAMETER', status: 400 });
    expect(err.message).toBe(`${PREFIX}Search error occurred: Record 'salesorders' was not found.`);
  });

  it('unknown column: "Unknown identifier \'x\'. Available identifiers are: {alias=table}"', () => {
    const err = failure(
      'SELECT t.id, nosuchfield FROM transaction t JOIN transactionline tl ON tl.transaction = t.id',
    );
    expect(err.kind).toBe('unknown_column');
    expect(err.message).toBe(
      `${PREFIX}Search error occurred: Unknown identifier 'nosuchfield'. Available identifiers are: {t=transaction, tl=transactionline}.`,
    );
  });

  it("unknown qualified column: \"Field 'x' for record 'table' was not found.\"", () => {
    expect(failure('SELECT t.location FROM transaction t').message).toBe(
      `${PREFIX}Search error occurred: Field 'location' for record 'transaction' was not found.`,
    );
    expect(failure('SELECT x.id FROM transaction t').message).toContain("Unknown identifier 'x.id'");
  });

  it('checks columns in WHERE, ORDER BY, GROUP BY and ON too', () => {
    expect(failure('SELECT id FROM item WHERE nope = 1').message).toContain("'nope'");
    expect(failure('SELECT id FROM item ORDER BY nope').message).toContain("'nope'");
    expect(failure('SELECT COUNT(*) FROM item GROUP BY nope').message).toContain("'nope'");
    expect(failure('SELECT i.id FROM item i JOIN location l ON l.nope = i.id').message).toContain("'nope'");
  });

  it('reads unknown columns as NULL when unknownColumns is "null"', () => {
    expect(run('SELECT id, nope FROM item WHERE id = 1', [], { unknownColumns: 'null' }).items).toEqual([
      { id: '1' },
    ]);
  });

  it('uses the declared column list when given (empty tables included)', () => {
    expect(
      run('SELECT id, symbol FROM currency', [], { columns: { currency: ['id', 'name', 'symbol'] } }).items,
    ).toEqual([]);
    expect(failure('SELECT iso FROM currency', [], { columns: { currency: ['id', 'name'] } }).kind).toBe(
      'unknown_column',
    );
    // Without a declared list an empty table cannot tell, so the column is accepted.
    expect(run('SELECT iso FROM currency').items).toEqual([]);
  });

  it('ambiguous unqualified column across joined tables', () => {
    const err = failure('SELECT id FROM item i JOIN location l ON l.id = i.id');
    expect(err.kind).toBe('ambiguous_column');
    expect(err.message).toContain("Column 'id' is ambiguously defined");
  });

  it('bind parameter count mismatch, and unsupported parameter types', () => {
    const err = failure('SELECT id FROM item WHERE id > ? AND id < ?', ['1']);
    expect(err).toMatchObject({ kind: 'bind_mismatch', code: 'INVALID_PARAMETER' });
    expect(err.message).toContain('2 bind parameter(s) (?) but 1 value(s)');
    expect(failure('SELECT id FROM item', ['1']).kind).toBe('bind_mismatch');
    expect(failure('SELECT id FROM item WHERE id = ?', [{ id: 1 }]).message).toContain('params[0]');
  });

  it('unknown functions and misplaced aggregates', () => {
    expect(failure('SELECT REGEXP_LIKE(itemid, 1) FROM item').message).toContain("function 'REGEXP_LIKE'");
    expect(failure('SELECT id FROM item WHERE COUNT(*) > 1').message).toContain(
      'group function COUNT is not allowed here',
    );
    expect(failure('SELECT NVL(id) FROM item').message).toContain("Function 'NVL' takes 2 arguments, got 1");
  });

  it('invalid numbers and non-boolean conditions', () => {
    expect(failure('SELECT itemid + 1 FROM item').message).toContain("Invalid number 'MUG-BLUE'");
    expect(failure('SELECT id FROM item WHERE id').message).toContain('Expected a condition');
    expect(failure('SELECT 1 / 0 FROM item').message).toContain('Division by zero');
  });
});

describe('grouping and aliases', () => {
  it('refuses columns that are neither grouped nor aggregated', () => {
    expect(failure('SELECT itemtype, id, COUNT(*) FROM item GROUP BY itemtype').message).toContain(
      "'id' is not a GROUP BY expression",
    );
    expect(failure('SELECT id, COUNT(*) FROM item').kind).toBe('invalid_value');
    expect(failure('SELECT itemtype FROM item GROUP BY itemtype HAVING id > 1').message).toContain("'id'");
  });

  it('accepts grouped columns with or without their table alias, and ORDER BY aliases', () => {
    const q = 'SELECT i.itemtype AS t, COUNT(*) AS n FROM item i GROUP BY itemtype ORDER BY t, i.itemtype, n';
    expect(run(q).count).toBe(3);
    expect(run('SELECT UPPER(itemtype) FROM item GROUP BY UPPER(itemtype)').count).toBe(3);
  });

  it('refuses a duplicate table alias', () => {
    expect(failure('SELECT item.id FROM item JOIN item ON item.id = item.id').message).toContain(
      "Duplicate table alias 'item'",
    );
  });
});
