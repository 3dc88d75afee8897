import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryCommand } from '../src/cli/inventory.ts';
import { INVENTORY_FLOW } from '../src/flows/inventory/index.ts';
import { demoCliServices } from './support/orders.ts';
import { waitFor } from './support/proc.ts';
import { type StockWorld, startStockWorld } from './support/stock.ts';

let w: StockWorld;
beforeAll(async () => {
  w = await startStockWorld('inventory', {
    buffer: 0,
    skuBuffers: { 'INV-BUF': '50%' },
    forceZero: ['INV-ZERO'],
  });
});
afterAll(async () => {
  await w?.close();
});

describe('stock NetSuite -> TikTok', () => {
  it('propagates a NetSuite change to TikTok, summing the locations that feed the warehouse', async () => {
    await w.addSku('INV-A', { austin: 7, reno: 5, listed: 99 });
    await w.waitListed('INV-A', (q) => q === 12);
    await w.receive('INV-A', 4, 'LOC-RNO');
    // How soon is a figure (`npm run bench:inventory`); here: it arrives.
    await w.waitListed('INV-A', (q) => q === 16);
  });

  it('lowers TikTok when another channel sells in NetSuite, and raises it on a restock', async () => {
    await w.addSku('INV-B', { austin: 10, listed: 0 });
    await w.waitListed('INV-B', (q) => q === 10);
    await w.otherChannelOrder('INV-B', 3);
    await w.waitListed('INV-B', (q) => q === 7);
    await w.receive('INV-B', 5);
    await w.waitListed('INV-B', (q) => q === 12);
  });

  it('applies buffers and forced zero', async () => {
    await w.addSku('INV-BUF', { austin: 9, listed: 50 });
    await w.addSku('INV-ZERO', { austin: 9, listed: 50 });
    await w.waitListed('INV-BUF', (q) => q === 4);
    await w.waitListed('INV-ZERO', (q) => q === 0);
  });

  it('skips values TikTok already has', async () => {
    await w.addSku('INV-C', { austin: 6, listed: 0 });
    await w.waitListed('INV-C', (q) => q === 6);
    // The push is recorded once its call answered, a moment after TikTok shows the number.
    const pushesOf = async () => w.pushes.filter((p) => p.skus.includes('INV-C')).length;
    const before = await waitFor(pushesOf, (n) => n >= 1, undefined, 10);
    const runId = await w.demo.rt.engine.trigger(INVENTORY_FLOW, 'manual', { skus: ['INV-C'] });
    const run = await waitFor(
      () => w.demo.rt.stores.runs.get(runId),
      (r) => r?.status !== 'running',
      undefined,
      50,
    );
    expect(run).toMatchObject({ status: 'succeeded', received: 1 });
    expect(await pushesOf()).toBe(before);
    expect(w.listed('INV-C')).toBe(6);
  });

  it('keeps a TikTok sale reserved until NetSuite commits it, so a restock cannot raise TikTok above what exists', async () => {
    await w.addSku('INV-D', { austin: 5, listed: 0 });
    await w.waitListed('INV-D', (q) => q === 5);
    const id = await w.buy('INV-D', 3);
    expect(id).toBeDefined();
    expect(w.listed('INV-D')).toBe(2);
    await waitFor(
      () =>
        w.demo.rt.stores.db
          .selectFrom('stock_reservations')
          .selectAll()
          .where('order_id', '=', id!)
          .execute(),
      (rows) => rows.length === 1 && rows[0]!.quantity === 3,
      undefined,
      25,
    );
    // NetSuite still shows 5 available (the order is on hold, not imported): +1 must give 3, not 6.
    await w.receive('INV-D', 1);
    await w.waitListed('INV-D', (q) => q === 3);
    // And it stays there: a fresh computation of the SKU (a manual sync run, done) still lists 3.
    const again = await w.demo.rt.engine.trigger(INVENTORY_FLOW, 'manual', { skus: ['INV-D'] });
    await waitFor(
      () => w.demo.rt.stores.runs.get(again),
      (r) => r?.status !== 'running',
      undefined,
      50,
    );
    expect(w.listed('INV-D')).toBe(3);
    // The hold ends: the sales order commits 3 in NetSuite, the reservation is released, TikTok stays at 3.
    w.demo.tiktok.advance(3601);
    await waitFor(
      () =>
        w.demo.rt.stores.db
          .selectFrom('stock_reservations')
          .selectAll()
          .where('order_id', '=', id!)
          .execute(),
      (rows) => rows[0]?.released_at !== null && rows[0]?.released_at !== undefined,
      undefined,
      50,
    );
    expect(w.listed('INV-D')).toBe(3);
  });

  it('turns a SKU TikTok refuses into an error record naming it, and still pushes the others', async () => {
    const api = await w.demo.rt.orders!.services.shops.api(w.us.id);
    await w.addSku('INV-E1', { austin: 4, listed: 0 });
    // INV-E2 lives on a warehouse the shop does not own: TikTok refuses its update.
    await w.addSku('INV-E2', { austin: 4, listed: 0 });
    const created = await api.products.create({
      title: 'Two SKUs',
      description: '<p>Two</p>',
      category_id: '600001',
      main_images: [{ uri: 'tos-sandbox/main' }],
      package_weight: { value: '0.5', unit: 'KILOGRAM' },
      skus: [
        { seller_sku: 'INV-E3', price: { amount: '5.00', currency: 'USD' }, inventory: [{ quantity: 0 }] },
        {
          seller_sku: 'INV-E4',
          price: { amount: '5.00', currency: 'USD' },
          inventory: [{ warehouse_id: 'WH-NOT-OURS', quantity: 0 }],
        },
      ],
    });
    expect(created.skus).toHaveLength(2);
    await w.addSku('INV-E3', { austin: 6, listed: 0 }).catch(() => undefined);
    await w.addSku('INV-E4', { austin: 6, listed: 0 }).catch(() => undefined);
    await w.waitListed('INV-E3', (q) => q === 6);
    const err = await waitFor(
      async () =>
        (await w.demo.rt.stores.errors.list({ flowId: INVENTORY_FLOW })).find((e) =>
          e.recordKey?.endsWith(':sku:INV-E4'),
        ),
      (e) => e !== undefined,
      undefined,
      50,
    );
    expect(err).toMatchObject({ code: 'inventory_sku_rejected', status: 'open' });
    expect(err?.message).toContain('SKU INV-E4');
  });
});

describe('tiksuite inventory sync', () => {
  const cli = (args: string[]) => {
    return inventoryCommand(demoCliServices(w.demo))
      .exitOverride()
      .parseAsync(['node', 'inventory', ...args]);
  };

  it('repairs a listing changed on TikTok by hand, by SKU and in a full resync', async () => {
    await w.addSku('INV-F', { austin: 8, listed: 0 });
    await w.waitListed('INV-F', (q) => q === 8);
    const ctx = w.demo.tiktok.ctx;
    const sku = ctx.state.skuBySellerSku.get(ctx.state.skuKey(w.us.id, 'INV-F'))!;
    // Someone set 50 in Seller Center: nothing changed in NetSuite, so only a resync repairs it.
    sku.stock.set([...sku.stock.keys()][0]!, 50);
    await cli(['sync', '--skus', 'INV-F', '--wait', '--json']);
    await w.waitListed('INV-F', (q) => q === 8);
    // Listed too low (an earlier race, a hand edit): only the full resync lists the sellable number again.
    sku.stock.set([...sku.stock.keys()][0]!, 2);
    await cli(['sync', '--skus', 'INV-F', '--wait', '--json']);
    expect(w.listed('INV-F')).toBe(2);
    await cli(['sync', '--full', '--wait', '--json']);
    await w.waitListed('INV-F', (q) => q === 8);
  });

  it('joins the polls of a stretch of changes into one run', async () => {
    await w.addSku('INV-RUN', { austin: 10, listed: 0 });
    await w.waitListed('INV-RUN', (q) => q === 10);
    const pollRuns = async () =>
      (
        await w.demo.rt.stores.db
          .selectFrom('flow_runs')
          .select('id')
          .where('flow_id', '=', INVENTORY_FLOW)
          .where('trigger', '=', 'schedule')
          .execute()
      ).length;
    const before = await pollRuns();
    // Four changes, each found by its own poll (0.25 s apart): one run, or none new if one was open.
    for (let i = 1; i <= 4; i++) {
      await w.receive('INV-RUN', 1);
      await w.waitListed('INV-RUN', (q) => q === 10 + i);
    }
    expect((await pollRuns()) - before).toBeLessThanOrEqual(1);
    const open = await w.demo.rt.stores.db
      .selectFrom('flow_runs')
      .select(['received', 'accepting_until'])
      .where('flow_id', '=', INVENTORY_FLOW)
      .where('trigger', '=', 'schedule')
      .orderBy('started_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(open.received).toBeGreaterThanOrEqual(4);
    expect(open.accepting_until).not.toBeNull();
  });

  it('refuses neither or both of --full and --skus', async () => {
    await expect(cli(['sync'])).rejects.toThrow(/either --full/);
    await expect(cli(['sync', '--full', '--skus', 'A'])).rejects.toThrow(/either --full/);
  });
});
