import { type Kysely, sql } from 'kysely';

// Side effects written by the built-in `selftest` flow: one row per record execution, so an
// operator (and the crash / scale-out tests) can check that every record ran exactly once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE selftest_effects (
      id bigserial PRIMARY KEY,
      run_id uuid NOT NULL,
      record_key text NOT NULL,
      worker text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX selftest_effects_run ON selftest_effects (run_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS selftest_effects`.execute(db);
}
