import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startSandboxWithClient } from '../testing.ts';
import type { ProductInput } from '../wire/products.ts';
import { collect } from './paginate.ts';

let h: Harness;
let warehouseId: string;
beforeAll(async () => {
  h = await startSandboxWithClient({ seed: 11 });
  warehouseId = h.creds.shops[0]!.warehouse_id;
});
afterAll(() => h.close());

const input = (sku: string, price = '9.99', quantity = 10): ProductInput => ({
  title: `Product ${sku}`,
  description: '<p>Soft.</p>',
  category_id: '600001',
  main_images: [{ uri: 'tos/main' }],
  package_weight: { value: '0.3', unit: 'KILOGRAM' },
  skus: [
    {
      seller_sku: sku,
      price: { amount: price, currency: 'USD' },
      inventory: [{ warehouse_id: warehouseId, quantity }],
    },
  ],
});

describe('products', () => {
  it('searches an empty catalog as an empty result', async () => {
    await expect(collect(h.us.products.search())).resolves.toEqual([]);
  });

  it('creates, reads, edits and finds products', async () => {
    const created = await h.us.products.create(input('CAT-1'));
    expect(created.skus).toEqual([expect.objectContaining({ seller_sku: 'CAT-1' })]);
    const p = await h.us.products.get(created.product_id);
    expect(p).toMatchObject({ title: 'Product CAT-1', status: 'ACTIVATE' });
    expect(p.skus[0]?.price).toMatchObject({ currency: 'USD', sale_price: '9.99' });
    await h.us.products.edit(created.product_id, { ...input('CAT-1', '11.50', 4), title: 'Renamed' });
    const edited = await h.us.products.get(created.product_id);
    expect(edited.title).toBe('Renamed');
    expect(edited.skus[0]?.id).toBe(created.skus[0]?.id);
    expect(edited.skus[0]?.inventory).toEqual([{ warehouse_id: warehouseId, quantity: 4 }]);
    const found = await collect(h.us.products.search({ seller_skus: ['CAT-1'] }));
    expect(found.map((x) => x.id)).toEqual([created.product_id]);
  });

  it('pages: exactly one page, then many pages', async () => {
    for (let i = 0; i < 6; i++) await h.us.products.create(input(`PG-${i}`));
    const all = await h.us.products.searchPage({}, 7);
    expect(all.items).toHaveLength(7);
    expect(all.nextPageToken).toBe('');
    const items = await collect(h.us.products.search({}, { pageSize: 2 }));
    expect(items).toHaveLength(7);
    expect(new Set(items.map((x) => x.id)).size).toBe(7);
  });

  it('updates inventory and prices, reporting per-item failures', async () => {
    const { product_id, skus } = await h.us.products.create(input('INV-1'));
    const skuId = skus[0]!.id;
    const inv = await h.us.products.updateInventory(product_id, {
      skus: [
        { id: skuId, inventory: [{ warehouse_id: warehouseId, quantity: 42 }] },
        { id: '999', inventory: [{ warehouse_id: warehouseId, quantity: 1 }] },
      ],
    });
    expect(inv.errors).toEqual([
      expect.objectContaining({ code: 12052990, detail: expect.objectContaining({ sku_id: '999' }) }),
    ]);
    const price = await h.us.products.updatePrice(product_id, {
      skus: [
        { id: skuId, price: { amount: '12.50', currency: 'USD' } },
        { id: skuId, price: { amount: '1.00', currency: 'GBP' } },
      ],
    });
    expect(price.errors).toHaveLength(1);
    const p = await h.us.products.get(product_id);
    expect(p.skus[0]).toMatchObject({ price: { sale_price: '12.50' }, inventory: [{ quantity: 42 }] });
  });

  it('searches listed quantities by product or SKU; a cancellation restocks unless switched off', async () => {
    const { product_id, skus } = await h.us.products.create(input('INVS-1', '9.99', 5));
    const skuId = skus[0]!.id;
    const byProduct = await h.us.products.searchInventory({ product_ids: [product_id, '424242'] });
    expect(byProduct.inventory).toEqual([
      expect.objectContaining({
        product_id,
        skus: [
          expect.objectContaining({
            id: skuId,
            seller_sku: 'INVS-1',
            total_available_quantity: 5,
            warehouse_inventory: [
              expect.objectContaining({ warehouse_id: warehouseId, available_quantity: 5 }),
            ],
          }),
        ],
      }),
    ]);
    const shopId = h.creds.shops[0]!.id;
    const placed = await h.admin<{ order_id: string }>('POST', '/orders', {
      shop_id: shopId,
      lines: [{ seller_sku: 'INVS-1', quantity: 2 }],
    });
    const bySku = await h.us.products.searchInventory({ sku_ids: [skuId] });
    expect(bySku.inventory[0]?.skus[0]?.total_available_quantity).toBe(3);
    await h.admin('PUT', '/settings', { business: { restockOnCancel: false } });
    await h.admin('POST', `/orders/${placed.order_id}/cancel`, { by: 'SELLER' });
    const after = await h.us.products.searchInventory({ sku_ids: [skuId] });
    expect(after.inventory[0]?.skus[0]?.total_available_quantity).toBe(3);
    await h.admin('PUT', '/settings', { business: { restockOnCancel: true } });
    await expect(h.us.products.searchInventory({})).rejects.toMatchObject({ code: 'tiktok_invalid_param' });
  });

  it('deactivates with per-id errors, and deactivated products are not sold', async () => {
    const { product_id } = await h.us.products.create(input('OFF-1'));
    const res = await h.us.products.deactivate([product_id, '123']);
    expect(res.errors.map((e) => e.detail?.product_id)).toEqual(['123']);
    expect((await h.us.products.get(product_id)).status).toBe('SELLER_DEACTIVATED');
    await expect(
      h.admin('POST', '/orders', {
        shop_id: h.creds.shops[0]!.id,
        lines: [{ seller_sku: 'OFF-1', quantity: 1 }],
      }),
    ).rejects.toThrow(/not on sale/);
  });

  it('activates a seller-deactivated product again', async () => {
    const { product_id } = await h.us.products.create(input('ON-1'));
    await h.us.products.deactivate([product_id]);
    const res = await h.us.products.activate([product_id, '123']);
    expect(res.errors.map((e) => e.detail?.product_id)).toEqual(['123']);
    expect((await h.us.products.get(product_id)).status).toBe('ACTIVATE');
  });

  it('refuses a product field TikTok checks, naming the field in details.param', async () => {
    const bad = { ...input('BAD-2'), category_id: '600000' };
    await expect(h.us.products.create(bad)).rejects.toMatchObject({
      code: 'tiktok_invalid_param',
      details: expect.objectContaining({ param: 'category_id' }),
    });
    const { product_id } = await h.us.products.create(input('BAD-3'));
    const heavy = { ...input('BAD-3'), package_weight: { value: '0', unit: 'KILOGRAM' as const } };
    await expect(h.us.products.edit(product_id, heavy)).rejects.toMatchObject({
      details: expect.objectContaining({ param: 'package_weight.value' }),
    });
    expect((await h.us.products.get(product_id)).package_weight).toEqual({ value: '0.3', unit: 'KILOGRAM' });
  });

  it('rejects an invalid body with tiktok_invalid_param', async () => {
    await expect(h.us.products.create({ ...input('BAD-1'), title: '' })).rejects.toMatchObject({
      code: 'tiktok_invalid_param',
    });
  });
});

describe('logistics', () => {
  it('lists warehouses, delivery options and their shipping providers', async () => {
    const [wh] = await h.us.logistics.warehouses();
    expect(wh).toMatchObject({ id: warehouseId, is_default: true });
    const options = await h.us.logistics.deliveryOptions(warehouseId);
    expect(options.length).toBeGreaterThan(0);
    const providers = await h.us.logistics.shippingProviders(options[0]!.id);
    expect(providers.map((p) => p.name)).toContain('USPS');
  });
});
