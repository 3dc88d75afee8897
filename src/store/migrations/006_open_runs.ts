import { type Kysely, sql } from 'kysely';

// Open runs (ADR 5): a run that keeps accepting submitted records until `accepting_until`, so a
// webhook burst is one run instead of one per intake round. At most one open run per flow and
// trigger: concurrent submitters race on this index and the loser joins the winner's run.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE flow_runs ADD COLUMN accepting_until timestamptz`.execute(db);
  await sql`
    CREATE UNIQUE INDEX flow_runs_open ON flow_runs (flow_id, trigger)
    WHERE accepting_until IS NOT NULL AND NOT discovery_done`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX flow_runs_open`.execute(db);
  await sql`ALTER TABLE flow_runs DROP COLUMN accepting_until`.execute(db);
}
