import { type Kysely, sql } from 'kysely';

// Stock NetSuite -> TikTok with reservations (issue 6, docs/inventory.md). PostgreSQL 15 and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Units of a marketplace order held against a SKU until NetSuite shows them committed. Keyed by
  // channel so another channel later shares the pool. `imported_at`: when the import flow's upsert of
  // the sales order succeeded; a stock snapshot started after it reflects the commitment.
  await sql`
    CREATE TABLE stock_reservations (
      channel text NOT NULL,
      shop_id text NOT NULL,
      order_id text NOT NULL,
      sku text NOT NULL,
      quantity integer NOT NULL CHECK (quantity >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      imported_at timestamptz,
      cancelled_at timestamptz,
      released_at timestamptz,
      PRIMARY KEY (channel, shop_id, order_id, sku)
    )`.execute(db);
  await sql`CREATE INDEX stock_reservations_active ON stock_reservations (sku) WHERE released_at IS NULL AND cancelled_at IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX stock_reservations_updated ON stock_reservations (updated_at)`.execute(db);

  // Monotone counters per SKU: units ever reserved and units ever cancelled on the marketplace.
  // The push compares them between two evaluations to tell TikTok's own sales from NetSuite's changes.
  await sql`
    CREATE TABLE stock_ledger (
      sku text PRIMARY KEY,
      reserved_total bigint NOT NULL DEFAULT 0,
      cancelled_total bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  // Per shop and SKU: the TikTok ids and the baseline of the last applied evaluation.
  await sql`
    CREATE TABLE inventory_state (
      shop_id text NOT NULL,
      sku text NOT NULL,
      product_id text NOT NULL,
      sku_id text NOT NULL,
      snapshot_at timestamptz,
      raw integer,
      reserved_total bigint,
      cancelled_total bigint,
      listed integer,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (shop_id, sku)
    )`.execute(db);

  // One push per TikTok product at a time, across workers (a lease row, not a held connection).
  await sql`
    CREATE TABLE inventory_leases (
      shop_id text NOT NULL,
      product_id text NOT NULL,
      lease_owner text,
      lease_until timestamptz,
      PRIMARY KEY (shop_id, product_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS inventory_leases`.execute(db);
  await sql`DROP TABLE IF EXISTS inventory_state`.execute(db);
  await sql`DROP TABLE IF EXISTS stock_ledger`.execute(db);
  await sql`DROP TABLE IF EXISTS stock_reservations`.execute(db);
}
