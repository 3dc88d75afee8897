import { type Kysely, sql } from 'kysely';

// A fenced stock write in flight (ADR 7): what TikTok showed for each SKU before the push zeroed it,
// kept on the product's lease row until the final write was applied, so a push killed in between is
// finished by its retry instead of leaving the SKUs at 0. PostgreSQL 15 and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE inventory_leases ADD COLUMN fence jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE inventory_leases DROP COLUMN IF EXISTS fence`.execute(db);
}
