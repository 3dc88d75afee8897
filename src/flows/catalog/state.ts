/** The catalog_products row per shop and item: which product it is, what was last written. */
import type { Kysely } from 'kysely';
import type { CatalogProductsTable, Database } from '../../store/schema.ts';

export type CatalogRow = Omit<CatalogProductsTable, 'updated_at'>;

export async function readListing(
  db: Kysely<Database>,
  shopId: string,
  itemId: string,
): Promise<CatalogRow | undefined> {
  return db
    .selectFrom('catalog_products')
    .select([
      'shop_id',
      'item_id',
      'product_id',
      'sku_id',
      'content_hash',
      'price',
      'currency',
      'status',
      'item_modified',
    ])
    .where('shop_id', '=', shopId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();
}

/** The price flow's write: only the price columns, so it never undoes the product flow's row. */
export async function savePrice(
  db: Kysely<Database>,
  key: { shopId: string; itemId: string },
  price: { amount: string; currency: string },
): Promise<void> {
  await db
    .updateTable('catalog_products')
    .set({ price: price.amount, currency: price.currency, updated_at: new Date() })
    .where('shop_id', '=', key.shopId)
    .where('item_id', '=', key.itemId)
    .execute();
}

export async function saveListing(db: Kysely<Database>, row: CatalogRow): Promise<void> {
  const now = new Date();
  const { shop_id: _s, item_id: _i, ...rest } = row;
  await db
    .insertInto('catalog_products')
    .values({ ...row, updated_at: now })
    .onConflict((oc) => oc.columns(['shop_id', 'item_id']).doUpdateSet({ ...rest, updated_at: now }))
    .execute();
}
