/**
 * A demo world for the catalog flows: both sandboxes and the runtime on a real database, the
 * catalog enabled for the US shop, polls parked so each test starts the runs it needs.
 */
import { type DemoEnv, startDemoEnv } from '../../src/main/demo/demo-env.ts';
import { silentLogger } from '../../src/shared/log.ts';
import { type TestEnv, testEnv } from './env.ts';
import { waitFor } from './proc.ts';

type NetSuiteStore = DemoEnv['netsuite']['state']['engine']['store'];

export interface CatalogWorld {
  env: TestEnv;
  demo: DemoEnv;
  /** The US shop the catalog lists in. */
  shopId: string;
  close(): Promise<void>;
}

/** `catalog` is the catalog section; `shop` adds to the US shop's settings (currency USD, price level 1). */
export async function startCatalogWorld(
  name: string,
  catalog: Record<string, unknown>,
  shop: (store: NetSuiteStore) => Record<string, unknown> = () => ({}),
): Promise<CatalogWorld> {
  const env = testEnv(name);
  const demo = await startDemoEnv({
    env: { ...env.childEnv, LOG_LEVEL: 'silent' },
    log: silentLogger(),
    speed: 0,
    config: ({ shops, netsuite }) => {
      const store = netsuite.state.engine.store;
      return {
        // The test starts every run itself: keep the 5-minute polls out of its way.
        flows: { 'catalog.products': { schedule: '0 0 1 1 *' }, 'catalog.prices': { schedule: '0 0 1 1 *' } },
        catalog: {
          enabled: true,
          shops: {
            [shops.find((s) => s.region === 'US')!.id]: {
              currency: 'USD',
              priceLevel: '1',
              priceCurrency: store.byExternalId('currency', 'USD')!.id,
              ...shop(store),
            },
          },
          ...catalog,
        },
      };
    },
  });
  const shopId = demo.shops.find((s) => s.region === 'US')!.id;
  return {
    env,
    demo,
    shopId,
    close: async () => {
      await demo.close();
      await env.cleanup();
    },
  };
}

/** Starts a catalog run and waits for it to end. */
export async function runCatalogFlow(
  demo: DemoEnv,
  flow: 'catalog.products' | 'catalog.prices',
  params: Record<string, unknown> = {},
) {
  const runId = await demo.rt.engine.trigger(flow, 'manual', params);
  const run = await waitFor(
    () => demo.rt.stores.runs.get(runId),
    (r) => r !== undefined && r.status !== 'running',
    undefined,
    50,
  );
  if (!run) throw new Error(`run ${runId} vanished`);
  return run;
}

/** The shop's listing row of a NetSuite item, if it is listed. */
export function catalogListing(demo: DemoEnv, shopId: string, itemId: string) {
  return demo.rt.stores.db
    .selectFrom('catalog_products')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();
}
