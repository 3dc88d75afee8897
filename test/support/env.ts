/**
 * Where the database-backed tests run: TIKSUITE_TEST_DB=postgres (the `pg` vitest project) uses the
 * PostgreSQL server at TIKSUITE_TEST_PG_URL, each test in its own schema; otherwise embedded PGlite
 * in a fresh temporary directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type LoadedConfig, loadConfig } from '../../src/config/load.ts';

export const usePostgres = process.env.TIKSUITE_TEST_DB === 'postgres';
export const pgUrl = process.env.TIKSUITE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestEnv {
  home: string;
  schema: string;
  /** Environment for child processes (tiksuite worker) pointing at the same database. */
  childEnv: NodeJS.ProcessEnv;
  config(overrides?: Record<string, unknown>): LoadedConfig;
  cleanup(): Promise<void>;
}

export function testEnv(name: string): TestEnv {
  const home = mkdtempSync(join(tmpdir(), `tiksuite-${name}-`));
  const schema = `t_${name.replace(/[^a-z0-9]/g, '_')}_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const env: NodeJS.ProcessEnv = {
    TIKSUITE_HOME: home,
    TIKSUITE_SCHEMA: schema,
    ...(usePostgres ? { DATABASE_URL: pgUrl } : {}),
  };
  return {
    home,
    schema,
    childEnv: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    config: (overrides = {}) =>
      loadConfig({
        env,
        cwd: home,
        overrides: {
          queue: {
            retryDelaySeconds: 1,
            retryDelayMaxSeconds: 2,
            superviseIntervalSeconds: 1,
            pollingIntervalSeconds: 0.5,
          },
          ...overrides,
        },
      }),
    async cleanup() {
      if (usePostgres) {
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.query(`DROP SCHEMA IF EXISTS ${schema}_boss CASCADE`);
        await client.end();
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
