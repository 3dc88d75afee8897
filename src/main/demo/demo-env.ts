/**
 * The demo's world in one process: both sandboxes, a catalog seeded in both (the same SKUs in
 * TikTok and as NetSuite item ids, stock at the shop's NetSuite location), and TikSuite (runtime,
 * worker, HTTP API) configured against them with the sandbox's shop tokens in the secret store and
 * its webhooks pointed at our endpoint. Used by `tiksuite demo` and the end-to-end tests.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../../api/app.ts';
import { type LoadedConfig, loadConfig } from '../../config/load.ts';
import { type RunningSandbox, startNetSuiteSandbox } from '../../connectors/netsuite/index.ts';
import {
  type SandboxShopCredentials,
  secretTokenStore,
  startTikTokSandbox,
  type TikTokSandbox,
  type TikTokSandboxOptions,
  tokensOf,
} from '../../connectors/tiktok-shop/index.ts';
import type { PushMeasure } from '../../flows/inventory/index.ts';
import type { Logger } from '../../shared/log.ts';
import { pingDatabase } from '../../store/index.ts';
import { openRuntime, type Runtime, type RuntimeOptions } from '../runtime.ts';

export interface DemoEnvOptions {
  /** TIKSUITE_HOME-like directory for the embedded database (or env with DATABASE_URL/TIKSUITE_SCHEMA). */
  env: NodeJS.ProcessEnv;
  log: Logger;
  shops?: number;
  netsuiteConcurrency?: number;
  netsuiteLatencyMs?: number;
  tiktokPort?: number;
  netsuitePort?: number;
  port?: number;
  /** Simulated TikTok seconds per real second (0 = frozen; tests advance it by hand). */
  speed?: number;
  /** The TikTok sandbox's simulated time at start (ms; default now): a bench replaying a past month. */
  startTime?: number;
  /** Extra config (e.g. `orders: { importAt: 'paid' }`, queue tuning). */
  config?: Record<string, unknown> | ((world: DemoWorld) => Record<string, unknown>);
  /** Measures each webhook push as TikTok sees it (ms until our answer). */
  onWebhookAnswer?: (ms: number, status: number) => void;
  /**
   * The fault run: NetSuite 5 % 5xx and 2 % timeout-after-commit, TikTok 5 % 5xx,
   * duplicated and reordered webhooks, and 10 % of webhooks lost on the way (the sender thinks they
   * arrived), so only the polling backstop finds those orders.
   */
  faults?: boolean;
  /** Subscribe the service to the sandbox's webhooks (default true; a benchmark sending its own pushes turns it off). */
  subscribe?: boolean;
  /**
   * Turns the stock push on (docs/inventory.md): each shop's NetSuite location feeds its TikTok
   * warehouse; the object is merged over that `inventory:` block (poll interval, reservations ...).
   */
  inventory?: Record<string, unknown>;
  /** Observes every applied stock push. */
  onStockPush?: (m: PushMeasure) => void;
  /** Observes every statement and payout booked in NetSuite. */
  onSettled?: RuntimeOptions['onSettled'];
  /** Merged over the demo's `fulfillment:` block (carriers, poll interval ...), the flow on. */
  fulfillment?: Record<string, unknown>;
  /** TikTok sandbox business settings (carrier collection and delivery delays, the on-hold window ...). */
  business?: TikTokSandboxOptions['business'];
}

/** Webhooks lost in transit: the sandbox's push sees a 200 that never reached TikSuite. */
function lossyFetch(o: DemoEnvOptions): typeof fetch {
  let seed = 99;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  return async (input, init) => {
    if (o.faults && random() < 0.1) return new Response(null, { status: 200 });
    const t0 = performance.now();
    const res = await fetch(input, init);
    o.onWebhookAnswer?.(performance.now() - t0, res.status);
    return res;
  };
}

export interface CatalogSku {
  sku: string;
  price: string;
  region: 'US' | 'GB';
}

export const CATALOG: readonly CatalogSku[] = [
  { sku: 'LIVE-HOODIE-BLK', price: '39.00', region: 'US' },
  { sku: 'LIVE-CAP-RED', price: '19.50', region: 'US' },
  { sku: 'LIVE-MUG-GLOW', price: '14.99', region: 'US' },
  { sku: 'LIVE-TOTE-SAND', price: '24.25', region: 'US' },
  { sku: 'LIVE-SCARF-UK', price: '18.00', region: 'GB' },
  { sku: 'LIVE-MUG-UK', price: '9.95', region: 'GB' },
];

const PLACEMENT = {
  US: { subsidiary: 'SUB-US', location: 'LOC-AUS', locationName: 'Austin DC', customer: 'CUST-DEMO' },
  GB: { subsidiary: 'SUB-UK', location: 'LOC-LON', locationName: 'London DC', customer: 'CUST-UK' },
} as const;

/** Routing by market, one generic customer per subsidiary, discounts on the seeded discount items. */
export const DEMO_MAPPINGS = {
  customer: {
    strategy: 'generic',
    bySubsidiary: { 'SUB-US': { externalId: 'CUST-DEMO' }, 'SUB-UK': { externalId: 'CUST-UK' } },
  },
  discounts: {
    seller: { treatment: 'discount_line', item: { externalId: 'DISC-SELLER' } },
    platform: { treatment: 'receivable', item: { externalId: 'TIKTOK-RECEIVABLE' } },
  },
  routing: {
    rules: [
      {
        name: 'UK shops',
        when: { regions: ['GB'] },
        set: { subsidiary: { externalId: 'SUB-UK' }, location: { externalId: 'LOC-LON' } },
      },
    ],
    default: { subsidiary: { externalId: 'SUB-US' }, location: { externalId: 'LOC-AUS' } },
  },
} as const;

/** The sandboxes as started, for config that depends on them (shop ids, NetSuite internal ids). */
export interface DemoWorld {
  tiktok: TikTokSandbox;
  netsuite: RunningSandbox;
  shops: SandboxShopCredentials[];
}

export interface DemoEnv {
  tiktok: TikTokSandbox;
  netsuite: RunningSandbox;
  rt: Runtime;
  config: LoadedConfig;
  url: string;
  /** A fresh admin token for the API and dashboard, and the dashboard's login URL carrying it. */
  adminToken: string;
  loginUrl: string;
  shops: SandboxShopCredentials[];
  close(): Promise<void>;
}

export async function startDemoEnv(o: DemoEnvOptions): Promise<DemoEnv> {
  const regions = Array.from({ length: o.shops ?? 2 }, (_, i) => (i % 2 === 0 ? 'US' : 'GB') as 'US' | 'GB');
  const tiktok = await startTikTokSandbox({
    seed: 7,
    port: o.tiktokPort ?? 0,
    speed: o.speed ?? 0,
    ...(o.startTime === undefined ? {} : { startTime: o.startTime }),
    shops: regions.map((region) => ({ region })),
    fetch: lossyFetch(o),
    faults: { rateLimit: null, ...(o.faults ? { errorRate: 0.05 } : {}) },
    ...(o.faults ? { webhooks: { duplicateRate: 0.1, outOfOrderWindowMs: 500 } } : {}),
    ...(o.business ? { business: o.business } : {}),
  });
  const netsuite = await startNetSuiteSandbox({
    port: o.netsuitePort ?? 0,
    settings: {
      concurrency: o.netsuiteConcurrency ?? 15,
      latency: { baseMs: o.netsuiteLatencyMs ?? 0, jitter: 0.1 },
      ...(o.faults ? { faults: { error5xxRate: 0.05, dropAfterCommitRate: 0.02 } } : {}),
    },
  });
  try {
    const shops = tiktok.credentials().shops;
    await seedCatalog(tiktok.url, netsuite.url, shops);
    const config = demoConfig(o, tiktok, netsuite, shops);
    const rt = await openRuntime(config, {
      log: o.log,
      ...(o.onStockPush ? { onStockPush: o.onStockPush } : {}),
      ...(o.onSettled ? { onSettled: o.onSettled } : {}),
    });
    const tokens = secretTokenStore(rt.stores.secrets);
    for (const s of shops) await tokens.save(s.id, tokensOf(s));
    await rt.engine.work();
    const adminToken = randomBytes(24).toString('hex');
    const { server, url } = await listen(rt, config, o.log, adminToken);
    if (o.subscribe ?? true)
      await admin(tiktok.url, 'POST', '/webhooks', { address: `${url}/webhooks/tiktok` });
    return {
      tiktok,
      netsuite,
      rt,
      config,
      url,
      adminToken,
      loginUrl: `${url}/login?token=${adminToken}`,
      shops,
      async close() {
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
        await rt.close({ graceMs: 2000 });
        await tiktok.close();
        await netsuite.close();
      },
    };
  } catch (err) {
    await tiktok.close();
    await netsuite.close();
    throw err;
  }
}

function demoConfig(
  o: DemoEnvOptions,
  tiktok: TikTokSandbox,
  netsuite: RunningSandbox,
  shops: SandboxShopCredentials[],
): LoadedConfig {
  const ns = netsuite.credentials();
  return loadConfig({
    env: o.env,
    cwd: o.env.TIKSUITE_HOME ?? process.cwd(),
    overrides: {
      server: { port: o.port ?? 0 },
      // A batch is worked in one wave, so NetSuite's slots stay busy across batch boundaries.
      queue: {
        pollingIntervalSeconds: 0.5,
        retryDelaySeconds: 1,
        retryDelayMaxSeconds: 5,
        batchSize: 200,
        concurrency: 200,
      },
      tiktok: {
        appKey: tiktok.appKey,
        appSecret: tiktok.appSecret,
        baseUrl: tiktok.url,
        authBaseUrl: tiktok.url,
        rateLimitPerSec: 40,
      },
      netsuite: {
        accountId: ns.account_id,
        baseUrl: netsuite.url,
        concurrency: o.netsuiteConcurrency ?? 15,
        auth: {
          type: 'tba',
          consumerKey: ns.consumer_key,
          consumerSecret: ns.consumer_secret,
          tokenId: ns.token_id,
          tokenSecret: ns.token_secret,
        },
      },
      shops: shops.map((s) => ({ id: s.id, cipher: s.cipher, name: s.name, region: s.region })),
      mappings: DEMO_MAPPINGS,
      fulfillment: DEMO_FULFILLMENT,
      aftersale: DEMO_AFTERSALE,
      ...(o.inventory ? { inventory: demoInventory(o.inventory, shops) } : {}),
      ...(o.fulfillment ? { fulfillment: { ...DEMO_FULFILLMENT, enabled: true, ...o.fulfillment } } : {}),
      ...(typeof o.config === 'function' ? o.config({ tiktok, netsuite, shops }) : o.config),
    },
  });
}

/**
 * The sandbox's NetSuite ship methods -> TikTok providers (docs/fulfillment.md). "Local Courier" is
 * left unmapped on purpose: a fulfillment shipped with it is an error record naming the setting.
 */
export const DEMO_FULFILLMENT = {
  carriers: { 'UPS Ground': 'UPS', 'USPS Priority Mail': 'USPS', 'FedEx Home Delivery': 'FedEx' },
};

/**
 * Refunds as credit memos paid by customer refunds from the TikTok clearing account; partial
 * refunds on their own item (docs/returns.md). Polled every 2 s so the demo shows them promptly.
 */
export const DEMO_AFTERSALE = {
  pollIntervalSeconds: 2,
  refunds: {
    model: 'credit_memo_and_refund',
    account: { externalId: 'ACC-TIKTOK' },
    partialRefundItem: { externalId: 'REFUND-PARTIAL' },
  },
};

/**
 * Settlements (docs/settlements.md): a journal entry per statement against the TikTok clearing
 * account (the account the returns flow pays customer refunds from, so refunds net out there), every
 * fee key and shipping cost on its own account, payouts deposited to each market's bank. Polled every
 * 2 s so the demo shows statements as the sandbox's clock closes the days.
 */
export const DEMO_SETTLEMENTS = {
  enabled: true,
  // The nested version: each statement lists its reserves, so the entries carry them.
  transactionsVersion: '202501',
  pollIntervalSeconds: 2,
  rereadDays: 3,
  subsidiary: { externalId: 'SUB-US' },
  accounts: {
    clearing: { externalId: 'ACC-TIKTOK' },
    bank: { externalId: 'ACC-BANK-US' },
    sales: { externalId: 'ACC-TT-RECEIVABLE' },
    refunds: { externalId: 'ACC-TIKTOK' },
    fees: {
      referral_fee: { externalId: 'ACC-FEE-REFERRAL' },
      platform_commission: { externalId: 'ACC-FEE-REFERRAL' },
      transaction_fee: { externalId: 'ACC-FEE-TRANSACTION' },
      refund_administration_fee: { externalId: 'ACC-FEE-REFUND-ADMIN' },
      affiliate_commission: { externalId: 'ACC-FEE-AFFILIATE' },
    },
    shipping: { actual_shipping_fee: { externalId: 'ACC-SHIP-LABELS' } },
    adjustments: {
      default: { externalId: 'ACC-TT-ADJUSTMENTS' },
      CHARGE_BACK: { externalId: 'ACC-TT-CHARGEBACKS' },
    },
    reserve: { externalId: 'ACC-TT-RESERVE' },
    variance: { externalId: 'ACC-TT-VARIANCE' },
  },
  shops: { GB: { subsidiary: { externalId: 'SUB-UK' }, accounts: { bank: { externalId: 'ACC-BANK-UK' } } } },
};

/** The GL accounts DEMO_SETTLEMENTS names (seeded into the NetSuite sandbox with the catalog). */
const SETTLEMENT_ACCOUNTS: Array<[string, string, string, string]> = [
  ['ACC-BANK-US', 'Operating bank (USD)', '1000', 'Bank'],
  ['ACC-BANK-UK', 'Operating bank (GBP)', '1001', 'Bank'],
  ['ACC-TT-RECEIVABLE', 'Due from TikTok Shop', '1210', 'OthCurrAsset'],
  ['ACC-TT-RESERVE', 'TikTok Shop reserves held', '1220', 'OthCurrAsset'],
  ['ACC-FEE-REFERRAL', 'TikTok referral fees', '6110', 'Expense'],
  ['ACC-FEE-TRANSACTION', 'TikTok transaction fees', '6120', 'Expense'],
  ['ACC-FEE-REFUND-ADMIN', 'TikTok refund administration fees', '6130', 'Expense'],
  ['ACC-FEE-AFFILIATE', 'Creator (affiliate) commissions', '6210', 'Expense'],
  ['ACC-SHIP-LABELS', 'TikTok shipping labels', '6310', 'Expense'],
  ['ACC-TT-ADJUSTMENTS', 'TikTok adjustments', '6410', 'Expense'],
  ['ACC-TT-CHARGEBACKS', 'TikTok chargebacks', '6420', 'Expense'],
  ['ACC-TT-VARIANCE', 'TikTok settlement variance', '6490', 'Expense'],
];

/** Each shop's NetSuite location feeds its only TikTok warehouse. */
function demoInventory(extra: Record<string, unknown>, shops: SandboxShopCredentials[]) {
  const map = Object.fromEntries(
    shops.map((s) => [
      s.id,
      { warehouses: [{ locations: s.region === 'GB' ? ['London DC'] : ['Austin DC', 'Reno DC'] }] },
    ]),
  );
  return { enabled: true, shops: map, ...extra };
}

/** Seeds the catalog in both sandboxes (by URL, so sandboxes in another process work too). */
/** A NetSuite inventory item in the sandbox's seed format: item name = the TikTok seller SKU, external id `SKU-<sku>`. */
export function seedItem(sku: string, rate: number, subsidiary = 'SUB-US') {
  return {
    type: 'inventoryItem',
    externalId: `SKU-${sku}`,
    itemId: sku,
    displayName: sku,
    rate,
    // An item's subsidiary is a multi-select: a collection of references (NetSuite reference 7.3).
    subsidiary: { items: [{ externalId: subsidiary }] },
  };
}

export async function seedCatalog(
  tiktokUrl: string,
  netsuiteUrl: string,
  shops: ReadonlyArray<Pick<SandboxShopCredentials, 'id' | 'region'>>,
) {
  const items: Record<string, unknown>[] = CATALOG.map((c) =>
    seedItem(c.sku, Number(c.price), PLACEMENT[c.region].subsidiary),
  );
  // Discount and receivable lines (docs/mapping.md): non-inventory items usable by every subsidiary.
  items.push(
    { type: 'nonInventorySaleItem', externalId: 'DISC-SELLER', itemId: 'Seller discount', rate: 0 },
    { type: 'nonInventorySaleItem', externalId: 'TIKTOK-RECEIVABLE', itemId: 'Due from TikTok', rate: 0 },
    { type: 'nonInventorySaleItem', externalId: 'REFUND-PARTIAL', itemId: 'Partial refund', rate: 0 },
  );
  // Refunds are paid out of the TikTok clearing account (docs/returns.md).
  const accounts = [
    { externalId: 'ACC-TIKTOK', acctName: 'TikTok Shop clearing', acctNumber: '1050', acctType: 'Bank' },
    ...SETTLEMENT_ACCOUNTS.map(([externalId, acctName, acctNumber, acctType]) => ({
      externalId,
      acctName,
      acctNumber,
      acctType,
    })),
  ];
  const stock = CATALOG.map((c) => ({
    item: c.sku,
    location: PLACEMENT[c.region].locationName,
    quantity: 100_000,
  }));
  await admin(netsuiteUrl, 'POST', '/seed', { accounts, items, stock });
  for (const shop of shops) {
    const skus = CATALOG.filter((c) => c.region === (shop.region === 'GB' ? 'GB' : 'US'));
    await admin(tiktokUrl, 'POST', '/products', {
      shop_id: shop.id,
      title: `Live drop ${shop.region}`,
      skus: skus.map((c) => ({ seller_sku: c.sku, price: c.price, quantity: 99_999 })),
    });
  }
}

async function listen(
  rt: Runtime,
  config: LoadedConfig,
  log: Logger,
  token: string,
): Promise<{ server: Server; url: string }> {
  const app = createApp({
    stores: rt.stores,
    engine: rt.engine,
    registry: rt.registry,
    log,
    readiness: { database: () => pingDatabase(rt.handle), queue: () => rt.boss.getQueues() },
    auth: { token, metricsPublic: true },
    stalls: () => rt.watchdog?.report.stalls ?? [],
    ...(rt.orders ? { webhooks: rt.orders.receiver } : {}),
    lateWarningHours: config.fulfillment.lateWarningHours,
    ...(rt.settlements ? { settlements: rt.settlements.services } : {}),
  });
  const ready = Promise.withResolvers<void>();
  const server = serve({ fetch: app.fetch, port: config.server.port, hostname: config.server.host }, () =>
    ready.resolve(),
  ) as Server;
  server.once('error', ready.reject);
  await ready.promise;
  return { server, url: `http://${config.server.host}:${(server.address() as AddressInfo).port}` };
}

/** Calls a sandbox's admin API (`/_sandbox/...`); rejects on a non-2xx answer. */
/**
 * A kept-alive socket the sandbox closed as idle just as a request went out comes back as a reset
 * before the request was read (seen under a 50,000-SKU bench's load): sent again, up to 3 times.
 */
async function sendAdmin(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (attempt >= 3 || (code !== 'ECONNRESET' && code !== 'UND_ERR_SOCKET')) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

export async function admin<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await sendAdmin(`${base}/_sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json as T;
}
