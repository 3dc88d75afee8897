/**
 * Catalog end to end over real HTTP: NetSuite items (NetSuite sandbox) become TikTok products
 * (TikTok sandbox) through the catalog flows on a real database: create, update by polling,
 * price-only change through the price endpoint, deactivate and reactivate, and each product field
 * TikTok refuses as an error record naming the field, fixed in NetSuite, then retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogCommand } from '../src/cli/catalog.ts';
import { catalogXref } from '../src/flows/catalog/index.ts';
import { retryError } from '../src/flows/index.ts';
import type { DemoEnv } from '../src/main/demo/demo-env.ts';
import { type CatalogWorld, catalogListing, runCatalogFlow, startCatalogWorld } from './support/catalog.ts';
import { demoCliServices } from './support/orders.ts';
import { waitFor } from './support/proc.ts';

let world: CatalogWorld;
let demo: DemoEnv;
let shopId: string;

const CATEGORIES = { Mugs: '600001', Hoodies: '600002', Home: '600000' };

beforeAll(async () => {
  world = await startCatalogWorld('catalog', {
    category: { source: 'item.custom.custitem_tiktok_category', table: CATEGORIES },
    brand: { source: 'item.custom.custitem_brand', table: { Glow: '7082427311584347905', Acme: '999' } },
    attributes: { '100392': { source: 'item.custom.custitem_material', table: { Cotton: '1001533' } } },
  });
  ({ demo, shopId } = world);
});
afterAll(async () => {
  await world?.close();
});

const ns = () => demo.rt.orders!.services.netsuite;
let seq = 0;

/** A NetSuite item that maps to a valid TikTok product; `patch` breaks or changes it. */
async function createItem(patch: Record<string, unknown> = {}): Promise<{ id: string; sku: string }> {
  const sku = `CAT-${++seq}-${Date.now() % 100000}`;
  const id = await ns().records.upsert('inventoryItem', `EXT-${sku}`, {
    itemId: sku,
    displayName: `Glow mug ${seq}`,
    salesDescription: 'Glows in the dark.',
    weight: 12,
    weightUnit: 'oz',
    custitem_tiktok_category: 'Mugs',
    custitem_brand: 'Glow',
    custitem_tiktok_images: 'tos-us/mug-front,tos-us/mug-side',
    price: { items: [{ priceLevel: { id: '1' }, currencyPage: { externalId: 'USD' }, price: 14.99 }] },
    ...patch,
  });
  return { id, sku };
}

const updateItem = (id: string, body: Record<string, unknown>) =>
  ns().records.update('inventoryItem', id, body, { replace: 'price' in body ? ['price'] : [] });

const runFlow = (flow: 'catalog.products' | 'catalog.prices', params: Record<string, unknown> = {}) =>
  runCatalogFlow(demo, flow, params);

const listing = (itemId: string) => catalogListing(demo, shopId, itemId);

function product(productId: string) {
  const p = demo.tiktok.ctx.state.products.get(productId)!;
  const sku = demo.tiktok.ctx.state.skus.get(p.skuIds[0]!)!;
  return { ...p, sku };
}

async function productOf(itemId: string) {
  const row = await listing(itemId);
  expect(row, `item ${itemId} is listed`).toBeDefined();
  return product(row!.product_id);
}

describe('NetSuite item -> TikTok product', () => {
  let item: { id: string; sku: string };

  it('creates the product with every mapped field and links item, product and SKU', async () => {
    item = await createItem();
    const run = await runFlow('catalog.products', { items: [item.id] });
    expect(run.succeeded).toBe(1);
    const p = await productOf(item.id);
    expect(p).toMatchObject({
      title: `Glow mug ${seq}`,
      description: '<p>Glows in the dark.</p>',
      categoryId: '600001',
      brandId: '7082427311584347905',
      mainImages: ['tos-us/mug-front', 'tos-us/mug-side'],
      packageWeight: { value: '0.75', unit: 'POUND' },
      status: 'ACTIVATE',
    });
    expect(p.sku).toMatchObject({ sellerSku: item.sku, price: 1499n, currency: 'USD' });
    const xref = demo.rt.stores.xref;
    expect(await xref.get(catalogXref(item.id, shopId, 'product'))).toBe(p.id);
    expect(await xref.get(catalogXref(item.id, shopId, 'sku'))).toBe(p.sku.id);
  });

  it('polls item changes and edits the product, keeping the stock TikTok holds', async () => {
    const before = await productOf(item.id);
    before.sku.stock.set(demo.shops.find((s) => s.id === shopId)!.warehouse_id, 7);
    await runFlow('catalog.products'); // first poll: sets the cursor
    await updateItem(item.id, { displayName: 'Glow mug, renamed' });
    const run = await runFlow('catalog.products');
    expect(run.received).toBeGreaterThanOrEqual(1);
    const after = await productOf(item.id);
    expect(after.title).toBe('Glow mug, renamed');
    expect(after.edits).toBe(before.edits + 1);
    expect([...after.sku.stock.values()]).toEqual([7]);
  });

  it('sets a price-only change with the price endpoint, without a full edit', async () => {
    const before = await productOf(item.id);
    await updateItem(item.id, {
      price: { items: [{ priceLevel: { id: '1' }, currencyPage: { externalId: 'USD' }, price: 12.49 }] },
    });
    await runFlow('catalog.products');
    await runFlow('catalog.prices');
    const after = await productOf(item.id);
    expect(after.sku.price).toBe(1249n);
    expect(after.edits, 'no full edit for a price change').toBe(before.edits);
    expect((await listing(item.id))?.price).toBe('12.49');
  });

  it('deactivates the product when the item goes inactive, and lists it again when it comes back', async () => {
    await updateItem(item.id, { isInactive: true });
    await runFlow('catalog.products', { items: [item.id] });
    expect((await productOf(item.id)).status).toBe('SELLER_DEACTIVATED');
    expect((await listing(item.id))?.status).toBe('deactivated');
    await updateItem(item.id, { isInactive: false });
    await runFlow('catalog.products', { items: [item.id] });
    expect((await productOf(item.id)).status).toBe('ACTIVATE');
  });

  it('adopts a product already on TikTok with the same seller SKU instead of listing it twice', async () => {
    const other = await createItem();
    const created = await demo.rt.orders!.services.shops.api(shopId);
    const existing = await created.products.create({
      title: 'Listed by hand',
      description: '<p>x</p>',
      category_id: '600001',
      main_images: [{ uri: 'tos/x' }],
      package_weight: { value: '1', unit: 'POUND' },
      skus: [
        { seller_sku: other.sku, price: { amount: '1.00', currency: 'USD' }, inventory: [{ quantity: 3 }] },
      ],
    });
    await runFlow('catalog.products', { items: [other.id] });
    const p = await productOf(other.id);
    expect(p.id).toBe(existing.product_id);
    expect(p.title).toBe(`Glow mug ${seq}`);
    expect(demo.tiktok.ctx.state.products.ofShop(shopId).filter((x) => x.title === p.title)).toHaveLength(1);
  });
});

describe('overlapping runs', () => {
  it('list a new item once and leave no error record', async () => {
    const item = await createItem();
    await Promise.all([
      runFlow('catalog.products', { items: [item.id] }),
      runFlow('catalog.products', { items: [item.id] }),
    ]);
    const skus = [...demo.tiktok.ctx.state.skus.values()].filter((s) => s.sellerSku === item.sku);
    expect(skus).toHaveLength(1);
    const errors = await demo.rt.stores.errors.list({
      flowId: 'catalog.products',
      status: 'open',
      limit: 100,
    });
    expect(errors.filter((e) => e.recordKey?.startsWith(`netsuite:item:${item.id}:`))).toEqual([]);
  });
});

const tooLong = 'x'.repeat(300);

// Each item breaks one rule TikTok checks (reference §5.2, §5.4); the fix makes it valid.
const REFUSALS: Array<{
  rule: string;
  bad: Record<string, unknown>;
  field: RegExp;
  fix: Record<string, unknown>;
}> = [
  {
    rule: 'title too long',
    bad: { displayName: tooLong },
    field: /title.*displayName/,
    fix: { displayName: 'Short' },
  },
  {
    rule: 'description with tags TikTok refuses',
    bad: { salesDescription: '<p>Hi</p><script>x</script>' },
    field: /description.*salesDescription/,
    fix: { salesDescription: '<p>Hi</p>' },
  },
  {
    rule: 'category that is not a leaf',
    bad: { custitem_tiktok_category: 'Home' },
    field: /category_id.*custitem_tiktok_category.*catalog\.category/,
    fix: { custitem_tiktok_category: 'Mugs' },
  },
  {
    rule: 'category attribute missing',
    bad: { custitem_tiktok_category: 'Hoodies' },
    field: /product_attributes.*custitem_material.*catalog\.attributes/,
    fix: { custitem_material: 'Cotton' },
  },
  {
    rule: 'brand the shop may not use',
    bad: { custitem_brand: 'Acme' },
    field: /brand_id.*custitem_brand/,
    fix: { custitem_brand: 'Glow' },
  },
  {
    rule: 'no image',
    bad: { custitem_tiktok_images: '' },
    field: /main_images.*custitem_tiktok_images/,
    fix: { custitem_tiktok_images: 'tos/a' },
  },
  {
    rule: 'ten images',
    bad: { custitem_tiktok_images: Array.from({ length: 10 }, (_, i) => `tos/${i}`).join(',') },
    field: /main_images/,
    fix: { custitem_tiktok_images: 'tos/a' },
  },
  { rule: 'zero weight', bad: { weight: 0 }, field: /package_weight\.value.*weight/, fix: { weight: 1.5 } },
  {
    rule: 'price above the market maximum',
    bad: {
      price: { items: [{ priceLevel: { id: '1' }, currencyPage: { externalId: 'USD' }, price: 9000 }] },
    },
    field: /skus\.0\.price\.amount.*prices.*priceLevel/,
    fix: { price: { items: [{ priceLevel: { id: '1' }, currencyPage: { externalId: 'USD' }, price: 90 }] } },
  },
];

describe('TikTok refusals become error records that name the field', () => {
  it.each(REFUSALS.map((r) => [r.rule, r] as const))(
    '%s: error record, fix in NetSuite, retry',
    async (_n, r) => {
      const item = await createItem(r.bad);
      const run = await runFlow('catalog.products', { items: [item.id] });
      expect(run.failed).toBe(1);
      const [err] = await demo.rt.stores.errors
        .list({ flowId: 'catalog.products', status: 'open', limit: 50 })
        .then((list) => list.filter((e) => e.recordKey?.startsWith(`netsuite:item:${item.id}:`)));
      expect(err?.code).toBe('catalog_product_rejected');
      expect(err?.message).toMatch(r.field);
      expect(err?.message).toMatch(/then retry/);
      expect(await listing(item.id)).toBeUndefined();
      await updateItem(item.id, r.fix);
      await retryError({ stores: demo.rt.stores, engine: demo.rt.engine }, err!.id);
      await waitFor(
        () => listing(item.id),
        (row) => row !== undefined,
        undefined,
        50,
      );
      expect((await productOf(item.id)).status).toBe('ACTIVATE');
      const after = await demo.rt.stores.errors.get(err!.id);
      expect(after?.status).not.toBe('open');
    },
  );

  it('an item without a price at the shop price level is a catalog_price_missing record naming the setting', async () => {
    const item = await createItem({
      price: { items: [{ priceLevel: { id: '2' }, currencyPage: { externalId: 'USD' }, price: 5 }] },
    });
    await runFlow('catalog.products', { items: [item.id] });
    const list = await demo.rt.stores.errors.list({ flowId: 'catalog.products', status: 'open', limit: 50 });
    const err = list.find((e) => e.recordKey?.startsWith(`netsuite:item:${item.id}:`));
    expect(err?.code).toBe('catalog_price_missing');
    expect(err?.message).toMatch(/price level 1 in currency \S+ .*catalog\.shops/);
  });
});

describe('tiksuite catalog sync', () => {
  const cli = (args: string[]) => {
    return catalogCommand(demoCliServices(demo))
      .exitOverride()
      .parseAsync(['node', 'catalog', ...args]);
  };

  it('lists named items now, running the product and the price flow', async () => {
    const item = await createItem();
    await cli(['sync', '--items', item.sku, '--wait', '--json']);
    expect((await productOf(item.id)).status).toBe('ACTIVATE');
    const runs = await demo.rt.stores.runs.list({ limit: 5 });
    expect(
      runs
        .slice(0, 2)
        .map((r) => r.flowId)
        .sort(),
    ).toEqual(['catalog.prices', 'catalog.products']);
  });

  it('refuses --full with --items', async () => {
    await expect(cli(['sync', '--full', '--items', '1'])).rejects.toThrow(/--full or --items/);
  });
});
