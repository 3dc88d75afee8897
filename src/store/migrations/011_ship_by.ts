import { type Kysely, sql } from 'kysely';

// Ship-by deadlines (issue 12, docs/orders.md "Ship-by deadlines"). Per TikTok order: `ship_by`,
// TikTok's latest ship time (`rts_sla_time`, reference section 4.4), written by the order import
// with the status; `shipped_at`, when TikSuite's shipments left no unit of the order to ship
// (written by the fulfillment flow, ahead of TikTok's status change). The partial index holds just
// the orders the ship-by check reads: those still waiting for a shipment.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE order_sync ADD COLUMN ship_by timestamptz`.execute(db);
  await sql`ALTER TABLE order_sync ADD COLUMN shipped_at timestamptz`.execute(db);
  await sql`
    CREATE INDEX order_sync_ship_by ON order_sync (ship_by)
    WHERE ship_by IS NOT NULL AND shipped_at IS NULL
      AND tiktok_status IN ('AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS order_sync_ship_by`.execute(db);
  await sql`ALTER TABLE order_sync DROP COLUMN IF EXISTS shipped_at`.execute(db);
  await sql`ALTER TABLE order_sync DROP COLUMN IF EXISTS ship_by`.execute(db);
}
