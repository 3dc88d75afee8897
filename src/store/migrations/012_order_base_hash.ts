import { type Kysely, sql } from 'kysely';

// Cancellations after fulfilment (docs/orders.md "Cancellations"). Per TikTok order, the hash of
// the sales order last applied with its cancelled units folded back into their lines: a new
// version with the same base hash differs only by cancellations, which TikSuite may apply to a
// sales order NetSuite has started to fulfil; any other change stays a human's call. Null for
// orders applied before this column existed (such a change is then refused like any other).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE order_sync ADD COLUMN applied_base_hash text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE order_sync DROP COLUMN IF EXISTS applied_base_hash`.execute(db);
}
