/**
 * The catalog's shop subsidiary filter over real HTTP: a NetSuite item's `subsidiary` is a
 * multi-select collection (NetSuite reference 7.3), so an item shared by several subsidiaries is
 * listed in a shop of any of them, and an item outside the shop's subsidiary is not listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CatalogWorld, catalogListing, runCatalogFlow, startCatalogWorld } from './support/catalog.ts';

let world: CatalogWorld;

beforeAll(async () => {
  world = await startCatalogWorld(
    'catalog-subsidiary',
    { category: { source: 'item.custom.custitem_tiktok_category', table: { Mugs: '600001' } } },
    (store) => ({ subsidiary: store.byExternalId('subsidiary', 'SUB-US')!.id }),
  );
});
afterAll(async () => {
  await world?.close();
});

/** An item in the given subsidiaries, written in the collection form NetSuite uses. */
function createItem(sku: string, subsidiaries: string[]): Promise<string> {
  return world.demo.rt.orders!.services.netsuite.records.upsert('inventoryItem', `EXT-${sku}`, {
    itemId: sku,
    displayName: `Shared mug ${sku}`,
    salesDescription: 'A mug sold by several subsidiaries.',
    weight: 12,
    weightUnit: 'oz',
    custitem_tiktok_category: 'Mugs',
    custitem_tiktok_images: 'tos-us/mug-front',
    subsidiary: { items: subsidiaries.map((externalId) => ({ externalId })) },
    price: { items: [{ priceLevel: { id: '1' }, currencyPage: { externalId: 'USD' }, price: 9.99 }] },
  });
}

describe('catalog shop subsidiary and multi-select item subsidiaries', () => {
  it('lists an item whose subsidiaries include the shop subsidiary, and not one outside it', async () => {
    const { demo, shopId } = world;
    const shared = await createItem('SHARED-CA-US', ['SUB-CA', 'SUB-US']);
    const elsewhere = await createItem('ONLY-UK', ['SUB-UK']);
    const run = await runCatalogFlow(demo, 'catalog.products', { items: [shared, elsewhere] });
    const errors = await demo.rt.stores.errors.list({
      flowId: 'catalog.products',
      status: 'open',
      limit: 10,
    });
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(run.status).toBe('succeeded');
    expect((await catalogListing(demo, shopId, shared))?.status).toBe('active');
    expect(await catalogListing(demo, shopId, elsewhere)).toBeUndefined();
  });
});
