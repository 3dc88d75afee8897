import { type Kysely, sql } from 'kysely';

// The catalog flows' table (issue 6, part B). Plain SQL valid on PostgreSQL 15 and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Per shop and NetSuite item: the TikTok product/SKU it is listed as, the hash of the product
  // body last written (everything but price and stock: an unchanged body is not edited again) and
  // the price last set (the price flow sets only a changed price).
  await sql`
    CREATE TABLE catalog_products (
      shop_id text NOT NULL,
      item_id text NOT NULL,
      product_id text NOT NULL,
      sku_id text NOT NULL,
      content_hash text,
      price text,
      currency text,
      status text NOT NULL,
      item_modified text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, item_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS catalog_products`.execute(db);
}
