import { type Kysely, sql } from 'kysely';

// The watchdog's memory (src/flows/watchdog): per flow and source (a shop's polling cursor, the
// webhook intake pump, the stock poller) when it last succeeded and how many times in a row it has
// failed since. A cursor alone cannot tell: it only moves when there is something new, and a shop
// whose poll never succeeded has none. `watched_since` dates a source that never succeeded.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE flow_health (
      flow_id text NOT NULL,
      source text NOT NULL,
      watched_since timestamptz NOT NULL DEFAULT now(),
      last_success_at timestamptz,
      failing_since timestamptz,
      failures integer NOT NULL DEFAULT 0,
      last_error text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (flow_id, source)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS flow_health`.execute(db);
}
