import { type Kysely, sql } from 'kysely';

// Settlements (issue 14, docs/settlements.md). One row per TikTok statement and per payment as last
// read, normalised (domain/settlement.ts, amounts as decimal strings of minor units inside the json),
// with what was booked for it in NetSuite, and the last tie-out of each statement (what the
// dashboard's finance view and `tiksuite finance reconcile` show).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE finance_statements (
      shop_id text NOT NULL,
      statement_id text NOT NULL,
      statement_time bigint NOT NULL,
      currency text NOT NULL,
      settlement_minor text NOT NULL,
      payment_id text,
      payment_status text,
      content_hash text NOT NULL,
      statement jsonb NOT NULL,
      entry_id text,
      entry_hash text,
      tieout jsonb,
      tieout_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, statement_id)
    )`.execute(db);
  await sql`CREATE INDEX finance_statements_time ON finance_statements (statement_time)`.execute(db);
  await sql`CREATE INDEX finance_statements_payment ON finance_statements (shop_id, payment_id)`.execute(db);
  await sql`
    CREATE TABLE finance_payments (
      shop_id text NOT NULL,
      payment_id text NOT NULL,
      status text NOT NULL,
      create_time bigint NOT NULL,
      payment jsonb NOT NULL,
      deposit_id text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, payment_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS finance_payments`.execute(db);
  await sql`DROP TABLE IF EXISTS finance_statements`.execute(db);
}
