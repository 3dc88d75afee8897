import { type Kysely, sql } from 'kysely';

// The order flows' tables (issue 5). Plain SQL valid on PostgreSQL 15 and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Webhook inbox and replay guard in one: the notification id is the key, so a replayed push
  // inserts nothing. Rows are kept >= 16 hours after receipt (purged by the intake pump).
  await sql`
    CREATE TABLE tiktok_webhooks (
      notification_id text PRIMARY KEY,
      shop_id text NOT NULL,
      event_type integer NOT NULL,
      order_id text,
      received_at timestamptz NOT NULL DEFAULT now(),
      claimed_until timestamptz,
      processed_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX tiktok_webhooks_pending ON tiktok_webhooks (received_at) WHERE processed_at IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX tiktok_webhooks_received ON tiktok_webhooks (received_at)`.execute(db);

  // Per TikTok order: the newest update_time applied to NetSuite (older versions are stale and
  // skipped) and a short lease that serialises work on one order across workers (ADR 2).
  await sql`
    CREATE TABLE order_sync (
      shop_id text NOT NULL,
      order_id text NOT NULL,
      applied_update_time bigint NOT NULL DEFAULT 0,
      tiktok_status text,
      action text,
      sales_order_id text,
      applied_hash text,
      lease_owner text,
      lease_until timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, order_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS order_sync`.execute(db);
  await sql`DROP TABLE IF EXISTS tiktok_webhooks`.execute(db);
}
