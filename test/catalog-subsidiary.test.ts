/**
 * The catalog's shop subsidiary filter over real HTTP: a NetSuite item's `subsidiary` is a
 * multi-select collection (NetSuite reference 7.3), so an item shared by several subsidiaries is
 * listed in a shop of any of them, and an item outside the shop's subsidiary is not listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoEnv, startDemoEnv } from '../src/main/demo-env.ts';
import { silentLogger } from '../src/shared/log.ts';
import { type TestEnv, testEnv } from './support/env.ts';
import { waitFor } from './support/proc.ts';

let env: TestEnv;
let demo: DemoEnv;
let shopId: string;

beforeAll(async () => {
  env = testEnv('catalog-subsidiary');
  demo = await startDemoEnv({
    env: { ...env.childEnv, LOG_LEVEL: 'silent' },
    log: silentLogger(),
    speed: 0,
    config: ({ shops, netsuite }) => {
      const store = netsuite.state.engine.store;
      return {
        flows: { 'catalog.products': { schedule: '0 0 1 1 *' }, 'catalog.prices': { schedule: '0 0 1 1 *' } },
        catalog: {
          enabled: true,
          shops: {
            [shops.find((s) => s.region === 'US')!.id]: {
              currency: 'USD',
              priceLevel: '1',
              priceCurrency: store.byExternalId('currency', 'USD')!.id,
              subsidiary: store.byExternalId('subsidiary', 'SUB-US')!.id,
            },
          },
          category: { source: 'item.custom.custitem_tiktok_category', table: { Mugs: '600001' } },
        },
      };
    },
  });
  shopId = demo.shops.find((s) => s.region === 'US')!.id;
}, 60_000);
afterAll(async () => {
  await demo?.close();
  await env?.cleanup();
});

/** An item in the given subsidiaries, written in the collection form NetSuite uses. */
async function createItem(sku: string, subsidiaries: string[]): Promise<string> {
  return demo.rt.orders!.services.netsuite.records.upsert('inventoryItem', `EXT-${sku}`, {
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

async function runProducts(items: string[]) {
  const runId = await demo.rt.engine.trigger('catalog.products', 'manual', { items });
  const run = await waitFor(
    () => demo.rt.stores.runs.get(runId),
    (r) => r !== undefined && r.status !== 'running',
    20_000,
    50,
  );
  const errors = await demo.rt.stores.errors.list({ flowId: 'catalog.products', status: 'open', limit: 10 });
  expect(errors.map((e) => e.message)).toEqual([]);
  expect(run?.status).toBe('succeeded');
}

const listing = (itemId: string) =>
  demo.rt.stores.db
    .selectFrom('catalog_products')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();

describe('catalog shop subsidiary and multi-select item subsidiaries', () => {
  it('lists an item whose subsidiaries include the shop subsidiary, and not one outside it', async () => {
    const shared = await createItem('SHARED-CA-US', ['SUB-CA', 'SUB-US']);
    const elsewhere = await createItem('ONLY-UK', ['SUB-UK']);
    await runProducts([shared, elsewhere]);
    expect((await listing(shared))?.status).toBe('active');
    expect(await listing(elsewhere)).toBeUndefined();
  });
});
