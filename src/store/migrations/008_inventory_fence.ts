import { type Kysely, sql } from 'kysely';

// Fenced stock writes (ADR 7). PostgreSQL 15 and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A fenced write in flight: what TikTok showed for each SKU before the push zeroed it, kept on the
  // product's lease row until the final write was applied, so a push killed in between is finished by
  // its retry instead of leaving the SKUs at 0.
  await sql`ALTER TABLE inventory_leases ADD COLUMN fence jsonb`.execute(db);
  // When a TikTok sale of the SKU last reserved units: a SKU that sold lately is fenced.
  await sql`ALTER TABLE stock_ledger ADD COLUMN last_reserved_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE stock_ledger DROP COLUMN IF EXISTS last_reserved_at`.execute(db);
  await sql`ALTER TABLE inventory_leases DROP COLUMN IF EXISTS fence`.execute(db);
}
