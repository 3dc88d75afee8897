import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestEnv, testEnv, usePostgres } from '../../test/support/env.ts';
import { type DbHandle, migrateToLatest, openDatabase } from './index.ts';
import { MIGRATION_NAMES } from './migrate.ts';

let env: TestEnv | undefined;
let handle: DbHandle | undefined;
afterEach(async () => {
  await handle?.close();
  await env?.cleanup();
  handle = undefined;
});

describe(`database (${usePostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('returns the same JS types on both engines', async () => {
    env = testEnv('dbtypes');
    const c = env.config();
    handle = await openDatabase({ url: c.database.url, dataDir: join(env.home, 'data'), schema: env.schema });
    const { rows } = await sql<Record<string, unknown>>`
      SELECT 9007199254740991::int8 AS big, count(*) AS n, 12.50::numeric AS amount, '\\x00ff'::bytea AS bytes,
             DATE '2026-11-26' AS day, TIMESTAMPTZ '2026-11-26T10:00:00Z' AS at, '{"a":[1]}'::jsonb AS doc,
             true AS flag, NULL::text AS nothing
      FROM (VALUES (1), (2)) v(x)`.execute(handle.db);
    const r = rows[0]!;
    expect(r.big).toBe(9007199254740991);
    expect(r.n).toBe(2);
    expect(r.amount).toBe('12.50');
    expect(Buffer.isBuffer(r.bytes) && (r.bytes as Buffer).equals(Buffer.from([0, 255]))).toBe(true);
    expect(r.day).toBe('2026-11-26');
    expect(r.at).toEqual(new Date('2026-11-26T10:00:00Z'));
    expect(r.doc).toEqual({ a: [1] });
    expect(r.flag).toBe(true);
    expect(r.nothing).toBeNull();
    await expect(sql`SELECT 9007199254740993::int8 AS too_big`.execute(handle.db)).rejects.toThrow(
      /safe integer range/,
    );
  });

  it('applies migrations once, into its own schema, and again is a no-op', async () => {
    env = testEnv('dbmigrate');
    const c = env.config();
    handle = await openDatabase({ url: c.database.url, dataDir: join(env.home, 'data'), schema: env.schema });
    expect((await migrateToLatest(handle)).applied).toEqual([...MIGRATION_NAMES]);
    expect(MIGRATION_NAMES.slice(0, 2)).toEqual(['001_core', '002_selftest']);
    expect((await migrateToLatest(handle)).applied).toEqual([]);
    const tables = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = ${env.schema} ORDER BY table_name`.execute(
      handle.db,
    );
    expect(tables.rows.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        'cursors',
        'errors',
        'flow_runs',
        'record_outcomes',
        'secrets',
        'step_checkpoints',
        'xref',
      ]),
    );
  });
});
