import { type Kysely, sql } from 'kysely';

// Dashboard sessions ended by logout (src/api/auth.ts). PostgreSQL 15 and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per session cookie signed out before it expired; a row is useless once the cookie
  // would have expired anyway, so rows past expires_at are pruned.
  await sql`
    CREATE TABLE revoked_sessions (
      id text PRIMARY KEY,
      expires_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX revoked_sessions_expires_at ON revoked_sessions (expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS revoked_sessions`.execute(db);
}
