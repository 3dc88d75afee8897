/** Applies the app schema migrations (kysely Migrator, migrations listed in code, run in order). */
import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely/migration';
import { AppError } from '../shared/errors.ts';
import type { DbHandle } from './db.ts';
import * as m001 from './migrations/001_core.ts';
import * as m002 from './migrations/002_selftest.ts';
import * as m003 from './migrations/003_orders.ts';
import * as m005 from './migrations/005_catalog.ts';
import * as m006 from './migrations/006_open_runs.ts';
import * as m007 from './migrations/007_inventory.ts';
import * as m008 from './migrations/008_inventory_fence.ts';
import * as m009 from './migrations/009_revoked_sessions.ts';
import * as m010 from './migrations/010_flow_health.ts';
import * as m011 from './migrations/011_ship_by.ts';
import * as m012 from './migrations/012_order_base_hash.ts';
import * as m013 from './migrations/013_finance.ts';

const MIGRATIONS: Record<string, Migration> = {
  '001_core': m001,
  '002_selftest': m002,
  '003_orders': m003,
  '005_catalog': m005,
  '006_open_runs': m006,
  '007_inventory': m007,
  '008_inventory_fence': m008,
  '009_revoked_sessions': m009,
  '010_flow_health': m010,
  '011_ship_by': m011,
  '012_order_base_hash': m012,
  '013_finance': m013,
};

/** Migration names in the order they apply. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export interface MigrateResult {
  applied: string[];
  pending: number;
}

export async function migrateToLatest(handle: DbHandle): Promise<MigrateResult> {
  const migrator = new Migrator({
    db: handle.db,
    provider,
    migrationTableSchema: handle.schema,
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AppError('internal', `migration ${failed} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
  return {
    applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    pending: 0,
  };
}
