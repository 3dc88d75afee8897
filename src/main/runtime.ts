/**
 * Builds the running system from a loaded config: database (+ lock, migrations), secret key,
 * stores, pg-boss, flow engine and metrics. Used by every command that touches the database.
 */
import { join } from 'node:path';
import type { PgBoss } from 'pg-boss';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { LoadedConfig } from '../config/load.ts';
import { NetSuiteClient } from '../connectors/netsuite/index.ts';
import { createTikTokShopClient, secretTokenStore } from '../connectors/tiktok-shop/index.ts';
import {
  type AftersalePoller,
  type AftersaleServices,
  aftersalePoller,
  aftersaleSource,
  type BookedMeasure,
  CANCELLATION_FLOW,
  cancellationsFlow,
  RETURN_FLOW,
  returnsFlow,
} from '../flows/aftersale/index.ts';
import type { CatalogServices } from '../flows/catalog/index.ts';
import type { AnyFlow, StepContext } from '../flows/engine/define.ts';
import {
  type FbtInput,
  FULFILLMENT_FLOW,
  FULFILLMENT_POLL_SOURCE,
  type FulfillmentPoller,
  type FulfillmentServices,
  fulfillmentFlow,
  fulfillmentPoller,
  recordFbtShipments,
  ShipByCheck,
  type ShipMeasure,
} from '../flows/fulfillment/index.ts';
import { allFlows, createEngineMetrics, FlowEngine } from '../flows/index.ts';
import {
  INVENTORY_FLOW,
  type InventoryPoller,
  type InventoryServices,
  inventoryKit,
  inventoryPoller,
  type PushMeasure,
  STOCK_POLL_SOURCE,
} from '../flows/inventory/index.ts';
import {
  ORDER_IMPORT_FLOW,
  type OrderIntakePump,
  type OrderServices,
  orderIntake,
  orderKey,
  ShopDirectory,
  type WebhookReceiver,
} from '../flows/orders/index.ts';
import { ItemResolver, lookupColumn } from '../flows/orders/items.ts';
import {
  paymentsFlow,
  type SettlementPoller,
  type SettlementServices,
  STATEMENT_FLOW,
  settlementPoller,
  settlementSource,
  statementsFlow,
} from '../flows/settlements/index.ts';
import {
  healthReporter,
  OK_WRITE_EVERY_SECONDS,
  Watchdog,
  type WatchdogDeps,
} from '../flows/watchdog/index.ts';
import { createBoss } from '../queue/boss.ts';
import { registerQueueGauges } from '../queue/metrics.ts';
import type { Logger } from '../shared/log.ts';
import {
  createStores,
  type DbHandle,
  migrateToLatest,
  openDatabase,
  resolveSecretKey,
  type Stores,
} from '../store/index.ts';

export interface Runtime {
  readonly config: LoadedConfig;
  readonly handle: DbHandle;
  readonly stores: Stores;
  readonly boss: PgBoss;
  readonly engine: FlowEngine;
  readonly registry: Registry;
  readonly log: Logger;
  /** The order flows' intake, when `tiktok:` and `netsuite:` are configured. */
  readonly orders?: { services: OrderServices; receiver: WebhookReceiver; pump: OrderIntakePump };
  /** The stock push, when `inventory.enabled` and the order services are configured. */
  readonly inventory?: { services: InventoryServices; poller: InventoryPoller };
  /** The fulfillment push, when `fulfillment.enabled` and the order services are configured. */
  readonly fulfillment?: { services: FulfillmentServices; poller: FulfillmentPoller };
  /** Cancellations, returns and refunds into NetSuite, when `aftersale.enabled`. */
  readonly aftersale?: { services: AftersaleServices; poller: AftersalePoller };
  /** Statements and payouts into NetSuite and the tie-out, when `settlements.enabled`. */
  readonly settlements?: { services: SettlementServices; poller: SettlementPoller };
  /** The stall watchdog, when this process runs the schedules and `watchdog.enabled`. */
  readonly watchdog?: Watchdog;
  /** The ship-by check (metric and warnings), when the fulfillment push runs its schedules here. */
  readonly shipBy?: ShipByCheck;
  close(opts?: { graceMs?: number }): Promise<void>;
}

export interface RuntimeOptions {
  log: Logger;
  /** Schema for app tables; pg-boss uses `<schema>_boss`. */
  schema?: string;
  flows?: readonly AnyFlow[];
  /** Run cron schedules (and the webhook intake pump) in this process. */
  schedule?: boolean;
  /** Overrides the order services built from the config (the demo passes sandbox-backed ones). */
  orderServices?: OrderServices;
  /** Observes every applied stock push (bench and demo latency figures). */
  onStockPush?: (m: PushMeasure) => void;
  /** Observes every tracking number that reached TikTok (bench and demo latency figures). */
  onShipped?: (m: ShipMeasure) => void;
  /** Observes every NetSuite document booked for a TikTok return (demo figures). */
  onBooked?: (m: BookedMeasure) => void;
  /** Observes every statement and payout booked (demo figures). */
  onSettled?: SettlementServices['onBooked'];
}

export async function openRuntime(config: LoadedConfig, opts: RuntimeOptions): Promise<Runtime> {
  const secret = resolveSecretKey(config);
  const handle = await openDatabase({
    url: config.database.url,
    dataDir: join(config.homeDir, 'data'),
    schema: opts.schema ?? config.database.schema,
    poolSize: config.database.poolSize,
    connectTimeoutMs: config.database.connectTimeoutMs,
  });
  try {
    await migrateToLatest(handle);
    const stores = createStores(handle, secret.key);
    const boss = createBoss({ handle, queue: config.queue, schedule: opts.schedule ?? true });
    boss.on('error', (err) => opts.log.error({ err: String(err) }, 'queue error'));
    await boss.start();
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    registerQueueGauges(registry, boss);
    const engine = new FlowEngine({
      boss,
      stores,
      queue: config.queue,
      log: opts.log,
      metrics: createEngineMetrics(registry),
      flowSettings: config.flows,
    });
    const base = opts.orderServices ?? buildOrderServices(config, stores, opts.log);
    const stock = base && config.inventory.enabled ? buildInventory(base, config, stores, opts) : undefined;
    let poller: InventoryPoller | undefined;
    const hooks = stock?.kit.hooks((skus) => poller?.wake(skus));
    const stocked = base && hooks ? { ...base, stock: hooks } : base;
    const ship =
      stocked && config.fulfillment.enabled ? fulfillmentServices(stocked, config, opts) : undefined;
    const services =
      stocked && ship
        ? {
            ...stocked,
            shipments: async (i: FbtInput, ctx: StepContext) => {
              const out = await recordFbtShipments(ship, i, ctx);
              return out.action === 'none' ? undefined : out;
            },
          }
        : stocked;
    const catalog = services && config.catalog.enabled ? catalogServices(services, config) : undefined;
    let engineRef: FlowEngine | undefined;
    const after =
      services && config.aftersale.enabled
        ? aftersaleServices(services, config, opts, (shopId, orderId) =>
            resync(engineRef, services, shopId, orderId),
          )
        : undefined;
    const settle =
      services && config.settlements.enabled ? settlementServices(services, config, stores, opts) : undefined;
    const own = [
      ...(settle ? [statementsFlow(settle) as AnyFlow, paymentsFlow(settle) as AnyFlow] : []),
      ...(stock ? [stock.kit.flow] : []),
      ...(ship ? [fulfillmentFlow(ship) as AnyFlow] : []),
      ...(after ? [returnsFlow(after) as AnyFlow, cancellationsFlow(after) as AnyFlow] : []),
    ];
    for (const f of opts.flows ?? [...allFlows(services, catalog), ...own]) await engine.register(f);
    engineRef = engine;
    const health = healthReporter(stores, opts.log);
    const aftersale = after && {
      services: after,
      poller: aftersalePoller({ stores, engine, services: after, log: opts.log, health }),
    };
    const orders = services && {
      services,
      ...orderIntake({
        ...{ intakeDb: handle.intake, stores, engine, services, log: opts.log, health },
        ...(aftersale ? { onAftersale: () => aftersale.poller.wake() } : {}),
        pump: {
          claimSeconds: services.settings.intakeClaimSeconds,
          runWindow: {
            idleSeconds: services.settings.webhookRunIdleSeconds,
            maxSeconds: services.settings.webhookRunMaxSeconds,
          },
        },
      }),
    };
    if (orders && (opts.schedule ?? true)) orders.pump.start();
    if (stock) {
      poller = inventoryPoller({
        stores,
        engine,
        services: stock.services,
        kit: stock.kit,
        log: opts.log,
        health,
      });
      if (opts.schedule ?? true) poller.start();
    }
    const inventory = stock && poller ? { services: stock.services, poller } : undefined;
    const fulfillment = ship && {
      services: ship,
      poller: fulfillmentPoller({ stores, engine, services: ship, log: opts.log, health }),
    };
    if (fulfillment && (opts.schedule ?? true)) fulfillment.poller.start();
    if (aftersale && (opts.schedule ?? true)) aftersale.poller.start();
    const settlements = settle && {
      services: settle,
      poller: settlementPoller({ stores, engine, services: settle, log: opts.log, health }),
    };
    if (settlements && (opts.schedule ?? true)) settlements.poller.start();
    const shipBy =
      fulfillment && (opts.schedule ?? true)
        ? new ShipByCheck({ stores, registry, log: opts.log, settings: config.fulfillment })
        : undefined;
    shipBy?.start();
    const watchdog =
      (opts.schedule ?? true) && config.watchdog.enabled
        ? startWatchdog(
            { stores, boss, engine, registry, log: opts.log },
            config,
            !!orders,
            !!inventory,
            !!fulfillment,
            aftersale ? aftersale.services.shops.ids() : [],
            settlements ? settlements.services.shops.ids() : [],
          )
        : undefined;
    let closed = false;
    return {
      config,
      handle,
      stores,
      boss,
      engine,
      registry,
      log: opts.log,
      ...(orders ? { orders } : {}),
      ...(inventory ? { inventory } : {}),
      ...(fulfillment ? { fulfillment } : {}),
      ...(aftersale ? { aftersale } : {}),
      ...(settlements ? { settlements } : {}),
      ...(watchdog ? { watchdog } : {}),
      ...(shipBy ? { shipBy } : {}),
      async close({ graceMs = config.server.shutdownGraceSeconds * 1000 } = {}) {
        if (closed) return;
        closed = true;
        const t0 = Date.now();
        await watchdog?.stop();
        await shipBy?.stop();
        await orders?.pump.stop();
        await inventory?.poller.stop();
        await fulfillment?.poller.stop();
        await aftersale?.poller.stop();
        await settlements?.poller.stop();
        const { released } = await engine.stop(graceMs);
        opts.log.info({ released, ms: Date.now() - t0 }, 'worker stopped');
        await boss.stop({ graceful: false, close: true, timeout: 5000 }).catch(() => undefined);
        opts.log.info({ ms: Date.now() - t0 }, 'queue stopped');
        await handle.close();
      },
    };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}

/** The stall watchdog over every scheduled flow, the webhook inbox and the stock poll (docs/orders.md). */
function startWatchdog(
  deps: Pick<WatchdogDeps, 'stores' | 'boss' | 'engine' | 'registry' | 'log'>,
  config: LoadedConfig,
  orders: boolean,
  inventory: boolean,
  fulfillment: boolean,
  aftersaleShops: readonly string[],
  settlementShops: readonly string[] = [],
): Watchdog {
  const stockPoll = {
    flowId: INVENTORY_FLOW,
    source: STOCK_POLL_SOURCE,
    // Successes are written at most every OK_WRITE_EVERY_SECONDS: a faster poll is judged at that pace.
    cadence: { everySeconds: Math.max(config.inventory.pollIntervalSeconds, OK_WRITE_EVERY_SECONDS) },
  };
  const watchdog = new Watchdog({
    ...deps,
    settings: config.watchdog,
    flowSettings: config.flows,
    inboxFlow: orders ? ORDER_IMPORT_FLOW : undefined,
    extraSources: [
      ...(inventory ? [stockPoll] : []),
      ...(fulfillment
        ? [
            {
              flowId: FULFILLMENT_FLOW,
              source: FULFILLMENT_POLL_SOURCE,
              cadence: {
                everySeconds: Math.max(config.fulfillment.pollIntervalSeconds, OK_WRITE_EVERY_SECONDS),
              },
            },
          ]
        : []),
      // Each shop's cancellations and returns searches (docs/returns.md).
      ...aftersaleShops.flatMap((shopId) =>
        (['cancellations', 'returns'] as const).map((kind) => ({
          flowId: kind === 'returns' ? RETURN_FLOW : CANCELLATION_FLOW,
          source: aftersaleSource(kind, shopId),
          cadence: {
            everySeconds: Math.max(config.aftersale.pollIntervalSeconds, OK_WRITE_EVERY_SECONDS),
          },
        })),
      ),
      // Each shop's statements and payments (docs/settlements.md).
      ...settlementShops.map((shopId) => ({
        flowId: STATEMENT_FLOW,
        source: settlementSource(shopId),
        cadence: {
          everySeconds: Math.max(config.settlements.pollIntervalSeconds, OK_WRITE_EVERY_SECONDS),
        },
      })),
    ],
  });
  watchdog.start();
  return watchdog;
}

function buildInventory(base: OrderServices, config: LoadedConfig, stores: Stores, opts: RuntimeOptions) {
  const services: InventoryServices = {
    db: stores.db,
    netsuite: base.netsuite,
    shops: base.shops,
    settings: config.inventory,
    ...(opts.onStockPush ? { onPush: opts.onStockPush } : {}),
  };
  return { services, kit: inventoryKit(services, stores) };
}

/** The fulfillment flow's services (docs/fulfillment.md), when `fulfillment.enabled`. */
function fulfillmentServices(
  services: OrderServices,
  config: LoadedConfig,
  opts: RuntimeOptions,
): FulfillmentServices {
  const items = config.mappings.items;
  return {
    netsuite: services.netsuite,
    shops: services.shops,
    settings: config.fulfillment,
    salesOrderPrefix: config.mappings.externalIdPrefix,
    items: new ItemResolver(services.netsuite, { field: lookupColumn(items.lookup) }),
    overrides: items.overrides,
    ...(opts.onShipped ? { onShipped: opts.onShipped } : {}),
  };
}

/** The aftersale flows' services (docs/returns.md), when `aftersale.enabled`. */
function aftersaleServices(
  services: OrderServices,
  config: LoadedConfig,
  opts: RuntimeOptions,
  resyncOrder: (shopId: string, orderId: string) => Promise<void>,
): AftersaleServices {
  return {
    netsuite: services.netsuite,
    shops: services.shops,
    settings: config.aftersale,
    mappings: config.mappings,
    items: new ItemResolver(services.netsuite, { field: lookupColumn(config.mappings.items.lookup) }),
    resyncOrder,
    ...(opts.onBooked ? { onBooked: opts.onBooked } : {}),
  };
}

/** The settlement flows' services (docs/settlements.md), when `settlements.enabled`. */
function settlementServices(
  services: OrderServices,
  config: LoadedConfig,
  stores: Stores,
  opts: RuntimeOptions,
): SettlementServices {
  return {
    netsuite: services.netsuite,
    shops: services.shops,
    settings: config.settlements,
    mappings: config.mappings,
    finance: stores.finance,
    salesOrdersOf: (shopId, orderIds) => stores.finance.salesOrdersOf(shopId, orderIds),
    ...(opts.onSettled ? { onBooked: opts.onSettled } : {}),
  };
}

/** Reads the order afresh and queues it on the import flow (a version already done is skipped). */
async function resync(
  engine: FlowEngine | undefined,
  services: OrderServices,
  shopId: string,
  orderId: string,
): Promise<void> {
  if (!engine) return;
  const api = await services.shops.api(shopId);
  const { orders } = await api.orders.readDetails([orderId]);
  await services.stock?.seen(shopId, orders);
  const records = orders.map((order) => ({ key: orderKey(shopId, order.id), payload: { shopId, order } }));
  if (records.length) await engine.submit(ORDER_IMPORT_FLOW, records, 'manual');
}

/** The clients the order flows use, from the `tiktok:`, `netsuite:`, `shops:` and `orders:` sections. */
function buildOrderServices(config: LoadedConfig, stores: Stores, log: Logger): OrderServices | undefined {
  const { tiktok: tt, netsuite: ns } = config;
  if (!tt || !ns) return undefined;
  const tiktok = createTikTokShopClient({
    appKey: tt.appKey,
    appSecret: tt.appSecret,
    baseUrl: tt.baseUrl,
    authBaseUrl: tt.authBaseUrl,
    tokenStore: secretTokenStore(stores.secrets),
    rateLimitPerSec: tt.rateLimitPerSec,
    ...(tt.rateLimitBurst ? { rateLimitBurst: tt.rateLimitBurst } : {}),
    timeoutMs: tt.timeoutMs,
    refreshBeforeSeconds: tt.refreshBeforeSeconds,
    reconsentWarningDays: tt.reconsentWarningDays,
    logger: log,
  });
  const netsuite = new NetSuiteClient({
    accountId: ns.accountId,
    ...(ns.baseUrl ? { baseUrl: ns.baseUrl } : {}),
    auth: ns.auth,
    concurrency: ns.concurrency,
    timeoutMs: ns.timeoutMs,
    logger: log,
  });
  return {
    tiktok,
    netsuite,
    shops: new ShopDirectory(tiktok, config.shops),
    settings: config.orders,
    mappings: config.mappings,
    app: { appKey: tt.appKey, appSecret: tt.appSecret },
  };
}

/** The catalog flows' services (docs/catalog.md), when `catalog.enabled`. */
function catalogServices(services: OrderServices, config: LoadedConfig): CatalogServices {
  return {
    netsuite: services.netsuite,
    shops: services.shops,
    settings: config.catalog,
    // Only internal ids can match the pricing sublist's currency reference.
    currencyIds: Object.fromEntries(
      Object.entries(config.mappings.currency.ids).flatMap(([iso, ref]) =>
        'id' in ref ? [[iso, ref.id]] : [],
      ),
    ),
  };
}
