/** End-to-end helpers for the stock tests: the demo world with the stock push on, and fresh SKUs. */
import type { PushMeasure } from '../../src/flows/inventory/index.ts';
import { admin, type DemoEnv, seedItem, startDemoEnv } from '../../src/main/demo/demo-env.ts';
import { silentLogger } from '../../src/shared/log.ts';
import { type TestEnv, testEnv } from './env.ts';
import { waitFor } from './proc.ts';

export interface StockWorld {
  env: TestEnv;
  demo: DemoEnv;
  us: DemoEnv['shops'][number];
  pushes: PushMeasure[];
  /** A new SKU: an inventory item in NetSuite with stock per location, a TikTok listing. */
  addSku(
    sku: string,
    stock: { austin?: number; reno?: number; listed: number },
  ): Promise<{ productId: string }>;
  /** What TikTok lists for the SKU now (sandbox state). */
  listed(sku: string): number;
  waitListed(sku: string, ok: (q: number) => boolean): Promise<number>;
  /**
   * From now on, every quantity TikTok lists for the SKU, in order (the sandbox's state after each
   * write, repeats left out): a value that lasts less than a poll is still seen.
   */
  history(sku: string): number[];
  /** How many orders hold (or held) a reservation of the SKU in TikSuite's ledger. */
  reservedOrders(sku: string): Promise<number>;
  /** Another channel's NetSuite sales order at Austin. */
  otherChannelOrder(sku: string, quantity: number): Promise<void>;
  /** Stock arrives (or leaves, negative) at Austin. */
  receive(sku: string, quantity: number, location?: string): Promise<void>;
  /** A TikTok buyer orders; undefined when TikTok refuses (not enough listed). */
  buy(sku: string, quantity: number): Promise<string | undefined>;
  close(): Promise<void>;
}

export async function startStockWorld(
  name: string,
  inventory: Record<string, unknown> = {},
  config: Record<string, unknown> = {},
): Promise<StockWorld> {
  const env = testEnv(name);
  const pushes: PushMeasure[] = [];
  const demo = await startDemoEnv({
    env: { ...env.childEnv, LOG_LEVEL: 'silent' },
    log: silentLogger(),
    speed: 0,
    inventory: { pollIntervalSeconds: 0.25, overlapSeconds: 2, ...inventory },
    onStockPush: (m) => pushes.push(m),
    config: {
      queue: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 },
      ...config,
    },
  });
  const us = demo.shops.find((s) => s.region === 'US')!;
  const ctx = demo.tiktok.ctx;
  const listed = (sku: string) => {
    const s = ctx.state.skuBySellerSku.get(ctx.state.skuKey(us.id, sku));
    return s ? [...s.stock.values()].reduce((a, q) => a + q, 0) : Number.NaN;
  };
  return {
    env,
    demo,
    us,
    pushes,
    async addSku(sku, stock) {
      await admin(demo.netsuite.url, 'POST', '/seed', {
        items: [seedItem(sku, 10)],
        stock: [
          { item: sku, location: 'Austin DC', quantity: stock.austin ?? 0 },
          ...(stock.reno === undefined ? [] : [{ item: sku, location: 'Reno DC', quantity: stock.reno }]),
        ],
      });
      const p = await admin<{ product_id: string }>(demo.tiktok.url, 'POST', '/products', {
        shop_id: us.id,
        title: `Flash ${sku}`,
        skus: [{ seller_sku: sku, price: '10.00', quantity: stock.listed }],
      });
      return { productId: p.product_id };
    },
    listed,
    history(sku) {
      const s = ctx.state.skuBySellerSku.get(ctx.state.skuKey(us.id, sku));
      if (!s) throw new Error(`${sku} is not listed on TikTok`);
      const seen: number[] = [];
      const set = s.stock.set.bind(s.stock);
      s.stock.set = (warehouse, q) => {
        set(warehouse, q);
        const now = listed(sku);
        if (seen.at(-1) !== now) seen.push(now);
        return s.stock;
      };
      return seen;
    },
    waitListed: (sku, ok) => waitFor(async () => listed(sku), ok, undefined, 25) as Promise<number>,
    async reservedOrders(sku) {
      const rows = await demo.rt.stores.db
        .selectFrom('stock_reservations')
        .select('order_id')
        .where('sku', '=', sku)
        .execute();
      return rows.length;
    },
    async otherChannelOrder(sku, quantity) {
      await admin(demo.netsuite.url, 'POST', '/orders', {
        customer: 'CUST-DEMO',
        location: 'LOC-AUS',
        lines: [{ sku: `SKU-${sku}`, quantity }],
      });
    },
    async receive(sku, quantity, location = 'LOC-AUS') {
      await admin(demo.netsuite.url, 'POST', '/receive', { sku: `SKU-${sku}`, location, quantity });
    },
    async buy(sku, quantity) {
      const res = await fetch(`${demo.tiktok.url}/_sandbox/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ shop_id: us.id, lines: [{ seller_sku: sku, quantity }] }),
      });
      const body = (await res.json()) as { order_id?: string };
      return res.ok ? body.order_id : undefined;
    },
    async close() {
      await demo.close();
      await env.cleanup();
    },
  };
}
