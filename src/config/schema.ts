/**
 * The one schema for tiksuite.yaml plus environment. Every field has a default that works for the
 * embedded demo; production differs only by what the file and environment say.
 */

import { z } from 'zod';
// The order mapping settings are validated here too, so a bad `mappings:` block fails at load.
import { AftersaleSettings } from './aftersale-settings.ts';
import { CatalogSettings } from './catalog-settings.ts';
import { FulfillmentSettings } from './fulfillment-settings.ts';
import { OrderMappingSettings } from './order-settings.ts';
import { SettlementSettings } from './settlement-settings.ts';

const port = z.number().int().min(0).max(65535);

export const DatabaseConfig = z
  .object({
    /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
    url: z.string().min(1).optional(),
    /** Schema holding TikSuite's tables (pg-boss uses `<schema>_boss`): lets several installs share a database. */
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,40}$/, 'lower-case letters, digits and _, at most 41 characters')
      .default('tiksuite'),
    /** Pool size for PostgreSQL (app queries; pg-boss keeps its own pool). */
    poolSize: z.number().int().min(1).max(100).default(10),
    /** Connect timeout before `database_unreachable`. */
    connectTimeoutMs: z.number().int().min(100).default(5000),
  })
  .strict();

export const ServerConfig = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: port.default(7700),
    /** Seconds to let in-flight jobs finish on SIGTERM before they are released back to the queue. */
    shutdownGraceSeconds: z.number().int().min(0).max(600).default(20),
    /**
     * Bearer token for the REST API and the dashboard (TIKSUITE_ADMIN_TOKEN). Required in production;
     * development generates one into <home>/admin.token. Never logged.
     */
    adminToken: z
      .string()
      .min(16, 'at least 16 characters; generate one with `openssl rand -hex 32`')
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces (it travels in an HTTP header)')
      .optional(),
    /** Serve /metrics without the admin token (Prometheus scraping); false puts it behind the token. */
    metricsPublic: z.boolean().default(true),
  })
  .strict();

export const LogConfig = z
  .object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    pretty: z.boolean().default(false),
  })
  .strict();

export const QueueConfig = z
  .object({
    /** Attempts after the first before a job is dead-lettered into the error store. */
    retryLimit: z.number().int().min(0).max(50).default(4),
    /** First retry delay; doubled each attempt with jitter (capped by retryDelayMaxSeconds). */
    retryDelaySeconds: z.number().int().min(1).default(5),
    retryDelayMaxSeconds: z.number().int().min(1).default(600),
    /** A job active longer than this is considered lost (worker died) and retried. */
    expireInSeconds: z.number().int().min(1).default(300),
    /** Jobs fetched per poll; a full batch triggers an immediate re-fetch (burst mode). */
    batchSize: z.number().int().min(10).max(1000).default(50),
    /** Concurrent handlers per queue per process. */
    concurrency: z.number().int().min(1).max(256).default(8),
    /** Idle polling interval; LISTEN/NOTIFY wakes workers sooner on PostgreSQL. */
    pollingIntervalSeconds: z.number().min(0.5).default(2),
    /**
     * A worker that stops sending heartbeats for this long is presumed dead and its jobs retried
     * (>= 10; much shorter than expireInSeconds, so a killed worker's jobs come back fast).
     */
    heartbeatSeconds: z.number().int().min(10).default(30),
    /** How often expired / heartbeat-lost jobs are detected and queue stats refreshed. */
    superviseIntervalSeconds: z.number().int().min(1).default(10),
  })
  .strict();

export const FlowConfig = z
  .object({
    enabled: z.boolean().default(true),
    /** Cron expression (UTC) for scheduled runs; omit to disable the schedule. */
    schedule: z.string().optional(),
    /** Incremental pulls re-read this many seconds before the saved cursor. */
    overlapSeconds: z.number().int().min(0).default(300),
  })
  .strict();

export const TikTokConfig = z
  .object({
    appKey: z.string().min(1),
    appSecret: z.string().min(1),
    /** API host; point at the sandbox with e.g. http://127.0.0.1:7701 */
    baseUrl: z.string().url().default('https://open-api.tiktokglobalshop.com'),
    authBaseUrl: z.string().url().default('https://auth.tiktok-shops.com'),
    /** Requests per second per shop; TikTok publishes no figure (reference §10.1), so start low. */
    rateLimitPerSec: z.number().positive().default(10),
    /** Bucket size of the per-shop limiter (default: one second's worth). */
    rateLimitBurst: z.number().int().positive().optional(),
    /** Per-request timeout. */
    timeoutMs: z.number().int().min(100).default(30_000),
    /** Refresh an access token this many seconds before it expires. */
    refreshBeforeSeconds: z.number().int().min(0).default(300),
    /** Warn this many days before the seller authorization (refresh token) expires. */
    reconsentWarningDays: z.number().int().min(0).default(30),
    /** Partner Center service id: when set, the current authorize page is used (reference §3.1). */
    serviceId: z.string().min(1).optional(),
    /** The app's registered redirect URL that receives ?code&state after seller consent. */
    redirectUrl: z.string().url().optional(),
  })
  .strict();

export const NetSuiteConfig = z
  .object({
    accountId: z
      .string()
      .regex(/^[0-9A-Za-z]+(?:[_-][A-Za-z0-9]+)?$/, 'an account id like 1234567 or 1234567_SB1'),
    /** Override of https://<account>.suitetalk.api.netsuite.com, e.g. the sandbox. */
    baseUrl: z.string().url().optional(),
    /** Concurrent requests allowed for this account (its integration allocation). */
    concurrency: z.number().int().min(1).max(100).default(5),
    /** Per-attempt request timeout, counted once a concurrency slot is granted. */
    timeoutMs: z.number().int().min(1000).max(900_000).default(60_000),
    auth: z.discriminatedUnion('type', [
      z
        .object({
          type: z.literal('tba'),
          consumerKey: z.string().min(1),
          consumerSecret: z.string().min(1),
          tokenId: z.string().min(1),
          tokenSecret: z.string().min(1),
        })
        .strict(),
      z
        .object({
          type: z.literal('m2m'),
          clientId: z.string().min(1),
          certificateId: z.string().min(1),
          privateKey: z.string().min(1),
          algorithm: z.enum(['PS256', 'ES256']).default('PS256'),
          /** Scopes of the client assertion; REST needs rest_webservices. */
          scope: z.string().min(1).default('rest_webservices'),
        })
        .strict(),
    ]),
  })
  .strict();

/** A TikTok shop the order flows serve; its tokens live in the encrypted secret store. */
export const ShopConfig = z
  .object({
    id: z.string().min(1),
    /** shop_cipher; when omitted it is read from the app's authorized shops (GET /authorization/202309/shops). */
    cipher: z.string().min(1).optional(),
    name: z.string().optional(),
    /** Market (US, GB ...); read from the authorized shops when omitted. */
    region: z.string().min(2).optional(),
  })
  .strict();

export const OrdersConfig = z
  .object({
    /**
     * When a TikTok order becomes a NetSuite sales order: `released` once it leaves ON_HOLD (default;
     * the buyer can no longer cancel at once and the address is visible), `awaiting_shipment` at
     * AWAITING_SHIPMENT or later, `paid` at payment (during the hold). UNPAID orders never.
     */
    importAt: z.enum(['released', 'awaiting_shipment', 'paid']).default('released'),
    /** The first polling run (no cursor yet) reads orders updated this many hours back. */
    pollLookbackHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(24),
    /** Webhook notification ids are kept this long for the replay guard (at least 16 hours). */
    webhookRetentionHours: z.number().int().min(16).default(24),
    /**
     * How long the intake pump holds the inbox rows it claimed. A process killed mid-round leaves
     * its claim until then; a round that outlives it only means a second, harmless submit.
     */
    intakeClaimSeconds: z.number().int().min(2).max(3600).default(60),
    /**
     * Webhook intake joins one open run per burst (ADR 5): the run closes after this many seconds
     * without new pushes, and takes records for at most webhookRunMaxSeconds.
     */
    webhookRunIdleSeconds: z.number().int().min(1).max(3600).default(10),
    webhookRunMaxSeconds: z.number().int().min(1).max(86_400).default(300),
  })
  .strict();

/** A stock buffer: units held back from TikTok, absolute (`5`) or a share of available (`"10%"`). */
export const StockBuffer = z.union([
  z.number().int().min(0),
  z.string().regex(/^\d{1,2}(\.\d+)?%$|^100%$/, 'a percentage like "10%" (0-100)'),
]);
export type StockBuffer = z.infer<typeof StockBuffer>;

/** Which NetSuite locations feed which TikTok warehouse of one shop (several may feed one). */
export const InventoryShopConfig = z
  .object({
    warehouses: z
      .array(
        z
          .object({
            /** TikTok warehouse id; omit for SKUs with a single warehouse (TikTok then takes it). */
            warehouseId: z.string().min(1).optional(),
            /** NetSuite locations by internal id or name (e.g. "Austin DC"). */
            locations: z.array(z.string().min(1)).min(1),
          })
          .strict(),
      )
      .min(1),
    /** Buffer for this shop's SKUs (overrides the global one; a per-SKU buffer overrides both). */
    buffer: StockBuffer.optional(),
    maxListed: z.number().int().min(0).max(99_999).optional(),
  })
  .strict();

export const InventoryConfig = z
  .object({
    /** Push NetSuite stock to TikTok (issue 6). Off by default: turn it on per install. */
    enabled: z.boolean().default(false),
    /** How often NetSuite is polled for stock changes (`lastquantityavailablechange`). */
    pollIntervalSeconds: z.number().min(0.2).max(3600).default(15),
    /**
     * Polls that find changes join one open run (ADR 5) until two poll intervals pass without changes,
     * or this long after it opened.
     */
    pollRunMaxSeconds: z.number().int().min(1).max(86_400).default(900),
    /** Each poll re-reads changes this many seconds before the saved cursor (clock skew, same-second writes). */
    overlapSeconds: z.number().int().min(0).max(3600).default(30),
    /** Cron (UTC) of the full resync; every SKU is re-evaluated. */
    nightlyResyncCron: z.string().min(1).default('30 3 * * *'),
    /** Shop id -> location/warehouse map; a shop not listed sums every location into its SKUs' only warehouse. */
    shops: z.record(z.string(), InventoryShopConfig).default({}),
    /** Global buffer (units or percent), below per-shop and per-SKU buffers. */
    buffer: StockBuffer.default(0),
    /** Per seller SKU buffer (the most specific). */
    skuBuffers: z.record(z.string(), StockBuffer).default({}),
    /** Seller SKUs never pushed. */
    exclude: z.array(z.string()).default([]),
    /** Seller SKUs always pushed as 0 (e.g. discontinued). */
    forceZero: z.array(z.string()).default([]),
    /** Never list more than this many units (TikTok's own ceiling is 99,999). */
    maxListed: z.number().int().min(0).max(99_999).optional(),
    /** Reserve TikTok orders' units until NetSuite commits them. Turn off only to demonstrate overselling. */
    reservations: z.boolean().default(true),
    /** Reservations are keyed by channel so another channel can share one pool later. */
    channel: z.string().min(1).default('tiktok'),
    /**
     * Whether TikTok puts a cancelled order's units back on sale by itself (reference: UNCONFIRMED).
     * true: a cancellation is not added again by TikSuite; false: TikSuite raises the stock itself.
     */
    tiktokRestocksOnCancel: z.boolean().default(true),
    /**
     * Fence a stock write so no TikTok sale can be lost to it (ADR 7): set the SKUs to 0, read how many
     * units TikTok committed meanwhile and NetSuite's number, then write. Buyers see the SKU sold out
     * while the fence is up. `selling`: SKUs holding reservations or sold within `sellingWindowSeconds`;
     * `always`; `never`: read then write, leaving a window of one call in which a sale can be overwritten.
     */
    writeFence: z.enum(['selling', 'always', 'never']).default('selling'),
    /** With `writeFence: selling`, a SKU TikTok sold within this many seconds counts as selling. */
    sellingWindowSeconds: z.number().int().min(0).max(604_800).default(3600),
    /** SKUs per inventory update call (one call per product; a product with more SKUs is split). */
    batchSize: z.number().int().min(1).max(100).default(50),
  })
  .strict();
export type InventoryConfig = z.infer<typeof InventoryConfig>;

/**
 * The stall watchdog (docs/orders.md "When import stops"): a flow that makes no progress while work
 * waits shows on /metrics (tiksuite_flow_stalled), on /readyz (status "degraded") and as an error
 * record. It runs in every process that runs the schedules (`serve`, `worker`).
 */
export const WatchdogConfig = z
  .object({
    enabled: z.boolean().default(true),
    /** How often the conditions below are checked. */
    checkIntervalSeconds: z.number().min(0.2).max(3600).default(30),
    /** A webhook waiting in the inbox longer than this means the intake pump is not getting through. */
    inboxMaxAgeSeconds: z.number().min(1).max(86_400).default(600),
    /** A polled source (a shop's order cursor, the stock poll) with no success for this many of its schedule intervals. */
    missedPolls: z.number().int().min(2).max(1000).default(3),
    /** The same source (intake pump, stock poll) or a flow's scheduled discovery failing this many times in a row. */
    failuresInRow: z.number().int().min(2).max(1000).default(5),
    /** Record jobs ready to run but not taken for this long (no worker, or workers wedged). */
    queueMaxWaitSeconds: z.number().min(1).max(86_400).default(900),
  })
  .strict();
export type WatchdogConfig = z.infer<typeof WatchdogConfig>;

export const ConfigSchema = z
  .object({
    /** production requires TIKSUITE_SECRET_KEY; development generates a local key file. */
    mode: z.enum(['development', 'production']).default('development'),
    /** Where the embedded database, lock file and local key live. */
    home: z.string().min(1).default('.tiksuite'),
    database: DatabaseConfig.default(() => DatabaseConfig.parse({})),
    server: ServerConfig.default(() => ServerConfig.parse({})),
    log: LogConfig.default(() => LogConfig.parse({})),
    queue: QueueConfig.default(() => QueueConfig.parse({})),
    flows: z.record(z.string(), FlowConfig).default({}),
    tiktok: TikTokConfig.optional(),
    netsuite: NetSuiteConfig.optional(),
    /** TikTok shops to sync (ids; ciphers optional). */
    shops: z.array(ShopConfig).default([]),
    orders: OrdersConfig.default(() => OrdersConfig.parse({})),
    /** How an order becomes a sales order (customer, items, discounts, tax, routing): docs/mapping.md. */
    mappings: OrderMappingSettings.default(() => OrderMappingSettings.parse({})),
    /** NetSuite items -> TikTok products and prices: docs/catalog.md. */
    catalog: CatalogSettings.default(() => CatalogSettings.parse({})),
    /** Stock NetSuite -> TikTok with reservations: docs/inventory.md. */
    inventory: InventoryConfig.default(() => InventoryConfig.parse({})),
    /** NetSuite fulfillments -> TikTok shipments and tracking, FBT, ship-by warnings: docs/fulfillment.md. */
    fulfillment: FulfillmentSettings.default(() => FulfillmentSettings.parse({})),
    /** TikTok cancellations, returns and refunds into NetSuite: docs/returns.md. */
    aftersale: AftersaleSettings.default(() => AftersaleSettings.parse({})),
    /** TikTok statements and payouts into NetSuite, and the tie-out: docs/settlements.md. */
    settlements: SettlementSettings.default(() => SettlementSettings.parse({})),
    /** When a flow stops making progress (issue 11): docs/orders.md. */
    watchdog: WatchdogConfig.default(() => WatchdogConfig.parse({})),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type QueueConfig = z.infer<typeof QueueConfig>;
export type FlowConfig = z.infer<typeof FlowConfig>;
export type ShopConfig = z.infer<typeof ShopConfig>;
export type OrdersConfig = z.infer<typeof OrdersConfig>;
export type TikTokConfig = z.infer<typeof TikTokConfig>;
export type NetSuiteConfig = z.infer<typeof NetSuiteConfig>;
