import { type Kysely, sql } from 'kysely';

// Plain SQL valid on PostgreSQL 15 and 18 (PGlite). Unqualified names land in the app schema
// through search_path.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE flow_runs (
      id uuid PRIMARY KEY,
      flow_id text NOT NULL,
      flow_version integer NOT NULL,
      trigger text NOT NULL CHECK (trigger IN ('schedule', 'webhook', 'manual', 'backfill')),
      status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'partial')),
      params jsonb,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      discovery_done boolean NOT NULL DEFAULT false,
      received integer NOT NULL DEFAULT 0,
      succeeded integer NOT NULL DEFAULT 0,
      failed integer NOT NULL DEFAULT 0,
      skipped integer NOT NULL DEFAULT 0,
      error text
    )`.execute(db);
  await sql`CREATE INDEX flow_runs_flow_started ON flow_runs (flow_id, started_at DESC)`.execute(db);

  await sql`
    CREATE TABLE record_outcomes (
      flow_id text NOT NULL,
      record_key text NOT NULL,
      version text NOT NULL,
      status text NOT NULL CHECK (status IN ('succeeded', 'failed', 'skipped')),
      run_id uuid,
      target_id text,
      attempts integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (flow_id, record_key)
    )`.execute(db);

  await sql`
    CREATE TABLE step_checkpoints (
      flow_id text NOT NULL,
      record_key text NOT NULL,
      version text NOT NULL,
      step_id text NOT NULL,
      output jsonb,
      done_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (flow_id, record_key, version, step_id)
    )`.execute(db);

  await sql`
    CREATE TABLE xref (
      source_system text NOT NULL,
      source_type text NOT NULL,
      source_id text NOT NULL,
      target_system text NOT NULL,
      target_type text NOT NULL,
      target_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source_system, source_type, source_id, target_system, target_type)
    )`.execute(db);
  await sql`CREATE INDEX xref_target ON xref (target_system, target_type, target_id)`.execute(db);

  await sql`
    CREATE TABLE cursors (
      flow_id text NOT NULL,
      source text NOT NULL,
      value text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (flow_id, source)
    )`.execute(db);

  await sql`
    CREATE TABLE errors (
      id uuid PRIMARY KEY,
      flow_id text NOT NULL,
      record_key text,
      fingerprint text NOT NULL,
      error_class text NOT NULL,
      code text NOT NULL,
      message text NOT NULL,
      details jsonb,
      payload jsonb,
      edited_payload jsonb,
      job_queue text,
      status text NOT NULL CHECK (status IN ('open', 'retrying', 'resolved')),
      attempts integer NOT NULL DEFAULT 1,
      occurrences integer NOT NULL DEFAULT 1,
      run_id uuid,
      first_seen timestamptz NOT NULL DEFAULT now(),
      last_seen timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz,
      resolution text
    )`.execute(db);
  // One open error per record: a record failing again updates its error instead of adding one.
  await sql`CREATE UNIQUE INDEX errors_open_record ON errors (flow_id, record_key) WHERE status <> 'resolved' AND record_key IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX errors_fingerprint ON errors (fingerprint, status)`.execute(db);
  await sql`CREATE INDEX errors_status_seen ON errors (status, last_seen DESC)`.execute(db);

  await sql`
    CREATE TABLE secrets (
      name text PRIMARY KEY,
      sealed text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE settings (
      key text PRIMARY KEY,
      value jsonb,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'settings',
    'secrets',
    'errors',
    'cursors',
    'xref',
    'step_checkpoints',
    'record_outcomes',
    'flow_runs',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.id(t)}`.execute(db);
  }
}
