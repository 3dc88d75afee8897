/**
 * Every sandbox setting, with its default. Behaviour the reference tags UNCONFIRMED lives here
 * (and in docs/sandbox-tiktok.md) instead of being hard-coded in the emulator's logic.
 */
import { z } from 'zod';
import type { Clock } from '../../../shared/clock.ts';
import type { FetchFn } from '../../../shared/http.ts';
import { AftersaleSettings, Duration } from './options-aftersale.ts';
import { FinanceSettings } from './options-finance.ts';

const Rate = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal rate like "0.06"');
/** Checked here: a bad amount used to throw later inside a settlement timer, losing that settlement. */
const Amount = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal amount like "4.50"');

function isRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** Switches that can change at run time through PUT /_sandbox/faults. */
export const FaultSettings = z.object({
  /** Share of API requests answered 500 + 36009003 (0..1). */
  errorRate: z.number().min(0).max(1).default(0),
  /** Share of API requests whose connection is dropped without an answer (0..1). */
  dropRate: z.number().min(0).max(1).default(0),
  /** Extra latency per API request, uniform in [min, max] ms (real time). */
  latencyMs: z.object({ min: z.number().min(0), max: z.number().min(0) }).default({ min: 0, max: 0 }),
  /** Long tail: a share of requests waits `ms` more on top of latencyMs. */
  latencySpike: z
    .object({ rate: z.number().min(0).max(1), ms: z.number().min(0) })
    .default({ rate: 0, ms: 0 }),
  /** Exact failures for the next matching requests: deterministic fault injection for tests. */
  failNext: z
    .array(
      z.object({
        pathPrefix: z.string().default('/'),
        /** 0 drops the connection; otherwise an HTTP status (a Response cannot carry another). */
        status: z
          .number()
          .int()
          .refine((n) => n === 0 || (n >= 200 && n <= 599), 'must be 0 (drop) or an HTTP status 200-599')
          .default(500),
        code: z.number().int().default(36009003),
        times: z.number().int().min(1).default(1),
        /** Let this many matching requests through before failing `times` of them. */
        skip: z.number().int().min(0).default(0),
      }),
    )
    .default([]),
  /** Per-shop (and per-app for shopless paths) token bucket; null disables it. UNCONFIRMED numbers. */
  rateLimit: z
    .object({
      perSecond: z.number().positive(),
      burst: z.number().int().positive(),
      /** HTTP status of a throttled answer (the envelope code is always 36009002). */
      status: z.union([z.literal(429), z.literal(200)]).default(429),
      /** Retry-After seconds to send; none found in any source, so omitted by default. */
      retryAfterSeconds: z.number().int().min(0).nullable().default(null),
      /** An extra bucket shared by every shop of the app; null = no app-wide limit. */
      appPerSecond: z.number().positive().nullable().default(null),
    })
    .nullable()
    .default({ perSecond: 50, burst: 50, status: 429, retryAfterSeconds: null, appPerSecond: null }),
  /** Accepted request timestamp skew (reference §1.2 UNCONFIRMED: 5 min behind, 30 s ahead). */
  timestampSkew: z
    .object({ behindSeconds: z.number().int().min(0), aheadSeconds: z.number().int().min(0) })
    .default({ behindSeconds: 300, aheadSeconds: 30 }),
  /** API modules (first path segment, e.g. "finance") answered 105005 (scope missing). */
  deniedScopes: z.array(z.string()).default([]),
});
export type FaultSettings = z.infer<typeof FaultSettings>;

export const WebhookSettings = z.object({
  /** Real-time delay before the first delivery attempt, ms. */
  delayMs: z.number().min(0).default(0),
  /** Probability that a push is delivered twice (same tts_notification_id). */
  duplicateRate: z.number().min(0).max(1).default(0),
  /** Each push waits an extra random [0, window] ms, so pushes can arrive out of order. */
  outOfOrderWindowMs: z.number().min(0).default(0),
  /** Delays of the retries after a failed delivery (non-2xx or network); UNCONFIRMED schedule. */
  retryScheduleMs: z.array(z.number().min(0)).default([1000, 5000, 30_000, 120_000]),
  timeoutMs: z.number().min(1).default(5000),
});
export type WebhookSettings = z.infer<typeof WebhookSettings>;

/** Business rules; all durations in simulated seconds. */
export const BusinessSettings = z.object({
  /** On-hold window after payment (reference: the 1-hour On hold rule). */
  onHoldSeconds: z.number().int().min(0).default(3600),
  /**
   * recipient_address of an ON_HOLD order: `hidden` as reference §4.4 states (default), or `shown`
   * to exercise clients that import during the hold (TikSuite's `orders.importAt: paid`).
   */
  recipientAddressOnHold: z.enum(['hidden', 'shown']).default('hidden'),
  /** Shipped (TIKTOK logistics) -> collected by the carrier; null = only by admin call. */
  autoCollectSeconds: z
    .number()
    .int()
    .min(0)
    .nullable()
    .default(4 * 3600),
  /** Collected -> delivered; null = only by admin call. */
  autoDeliverSeconds: z
    .number()
    .int()
    .min(0)
    .nullable()
    .default(2 * 86_400),
  /** Delivered -> COMPLETED when no return is open (settles at the next 00:00 UTC). */
  completeAfterSeconds: z
    .number()
    .int()
    .min(0)
    .default(7 * 86_400),
  /** US referral fee (accounting §3.2: 6 %), on customer payment + platform discount - tax. */
  referralFeeRate: Rate.default('0.06'),
  /** Transaction fee rate on customer payment; 0 for US since the 2024 change. */
  transactionFeeRate: Rate.default('0'),
  /** Refund administration fee: share of the referral fee, capped per SKU (accounting §3.2). */
  refundAdminRate: Rate.default('0.2'),
  refundAdminCap: Amount.default('5.00'),
  /** Label cost charged for TikTok-shipped orders (negative actual_shipping_fee). */
  labelCost: Amount.default('4.50'),
  /** Sales tax rate applied to US orders (TikTok collects and remits it). */
  usSalesTaxRate: Rate.default('0.08'),
  /** §8.2 disagreement: the statement_time of a day is its start or its end. */
  statementTimeIs: z.enum(['period_start', 'period_end']).default('period_end'),
  /** §8.4: 202501 fee/cost amounts as negative numbers (like 202309) or positive magnitudes. */
  finance202501Sign: z.enum(['negative', 'positive']).default('negative'),
  /** §7.2: which spelling of the cancelled-cancellation status the sandbox emits. */
  cancelledCancellationStatus: z
    .enum(['CANCELLATION_REQUEST_CANCEL', 'CANCELLATION_REQUEST_CANCELLED'])
    .default('CANCELLATION_REQUEST_CANCEL'),
  /** Whether cancelling a line puts its unit back on sale (reference: UNCONFIRMED; assumed yes). */
  restockOnCancel: z.boolean().default(true),
  /** Access/refresh token lifetimes (wall seconds); §3.2: 7 days, refresh UNCONFIRMED. */
  accessTokenTtlSeconds: z
    .number()
    .int()
    .min(1)
    .default(7 * 86_400),
  refreshTokenTtlSeconds: z
    .number()
    .int()
    .min(1)
    .default(365 * 86_400),
  /** §3.3 UNCONFIRMED: whether the old refresh token dies when a new one is issued. */
  revokeOldRefreshToken: z.boolean().default(false),
  /**
   * Ship-by deadlines of a new order (reference §4.4), seconds after its paid time. The reference
   * names the fields but gives no durations: rts 2 days and tts 3 days match the gaps in TikTok's
   * sample order; the three auto-cancel deadlines are guesses. The admin order creation may
   * override each one (absolute Unix seconds).
   */
  rtsSlaSeconds: Duration.default(2 * 86_400),
  ttsSlaSeconds: Duration.default(3 * 86_400),
  shippingDueSeconds: Duration.default(5 * 86_400),
  collectionDueSeconds: Duration.default(7 * 86_400),
  deliveryDueSeconds: Duration.default(14 * 86_400),
  /**
   * FULFILLMENT_BY_TIKTOK orders: TikTok's warehouse ships this long after the order leaves
   * ON_HOLD (no figure in the reference); null = only by admin call.
   */
  fbtShipAfterSeconds: Duration.nullable().default(12 * 3600),
  /**
   * Tracking numbers that mark-shipped, ship and shipping_info update accept. TikTok's rule is
   * UNCONFIRMED; the default takes what carriers print: letters, digits and dashes, 6-40 long.
   */
  trackingNumberPattern: z
    .string()
    .min(1)
    .refine(isRegExp, 'a JavaScript regular expression')
    .default('^[A-Za-z0-9-]{6,40}$'),
  /** Envelope code for an unknown id: no such code is confirmed (§1.4), so this one is invented. */
  notFoundCode: z.number().int().default(36009010),
  /** Envelope code for an action the entity's state forbids (e.g. ship a cancelled order). */
  invalidStateCode: z.number().int().default(36009011),
  ...AftersaleSettings,
  ...FinanceSettings,
});
export type BusinessSettings = z.infer<typeof BusinessSettings>;

const Category = z
  .object({
    id: z.string().min(1),
    name: z.string().default(''),
    /** Only leaf categories take products (reference §5.1). */
    leaf: z.boolean().default(true),
    /** Attribute ids a product of this category must carry (category rules; UNCONFIRMED which). */
    requiredAttributes: z.array(z.string()).default([]),
  })
  .strict();

/**
 * Product create/edit rules (reference §5.2). The documented ones are on by default; the numbers
 * the reference does not settle (title length, price bounds outside the US, per-field error codes)
 * are settings.
 */
export const CatalogSettings = z.object({
  /** Categories the shop may list in; null accepts any category id (no tree check). */
  categories: z
    .array(Category)
    .nullable()
    .default([
      { id: '600001', name: 'Kitchen/Mugs', leaf: true, requiredAttributes: [] },
      { id: '600002', name: 'Apparel/Hoodies', leaf: true, requiredAttributes: ['100392'] },
      { id: '600000', name: 'Home', leaf: false, requiredAttributes: [] },
    ]),
  /** Brand ids the seller may use (`brand_id` is optional); null accepts any. */
  brands: z.array(z.string()).nullable().default(['7082427311584347905', '7082427311584347906']),
  /** Title length; TikTok's limit is not in the reference (UNCONFIRMED). */
  titleMaxLength: z.number().int().min(1).default(255),
  /** §5.2: at most 10,000 characters of an HTML subset. */
  descriptionMaxLength: z.number().int().min(1).default(10_000),
  descriptionTags: z
    .array(z.string())
    .default(['p', 'img', 'ul', 'ol', 'li', 'br', 'strong', 'b', 'i', 'em', 'u']),
  /** §5.2: 1-9 main images. */
  maxImages: z.number().int().min(1).default(9),
  /** §5.2: SKUs per product in US/GB (300 elsewhere). */
  maxSkus: z.number().int().min(1).default(100),
  /** §5.4 doc text: US 0.01-7600 USD; other markets UNCONFIRMED (same numbers by default). */
  priceMin: z.string().default('0.01'),
  priceMax: z.string().default('7600'),
  /** Envelope code of a refused product field; TikTok's product codes are UNCONFIRMED (§1.4). */
  invalidFieldCode: z.number().int().default(36009004),
});
export type CatalogSettings = z.infer<typeof CatalogSettings>;

export interface TikTokSandboxOptions {
  /** Default 0 (any free port); host default 127.0.0.1. */
  port?: number;
  host?: string;
  seed?: number;
  appKey?: string;
  appSecret?: string;
  /** Shops to create at start (default: one US and one GB local shop). */
  shops?: Array<{ name?: string; region: 'US' | 'GB' }>;
  /** Simulated time at start (ms); default: wall time at start. */
  startTime?: number;
  /** Simulated seconds per real second (default 1; 0 freezes time except for advance()). */
  speed?: number;
  /** Wall clock for auth checks and the rate limiter; injected in tests. */
  clock?: Clock;
  /** Used to push webhooks. */
  fetch?: FetchFn;
  /** Where GET /oauth/authorize redirects with ?code&state (the app's registered redirect URL). */
  redirectUrl?: string;
  faults?: Partial<z.input<typeof FaultSettings>>;
  webhooks?: Partial<z.input<typeof WebhookSettings>>;
  business?: Partial<z.input<typeof BusinessSettings>>;
  catalog?: Partial<z.input<typeof CatalogSettings>>;
}

export interface Settings {
  faults: FaultSettings;
  webhooks: WebhookSettings;
  business: BusinessSettings;
  catalog: CatalogSettings;
}

export function resolveSettings(opts: TikTokSandboxOptions): Settings {
  return {
    faults: FaultSettings.parse(opts.faults ?? {}),
    webhooks: WebhookSettings.parse(opts.webhooks ?? {}),
    business: BusinessSettings.parse(opts.business ?? {}),
    catalog: CatalogSettings.parse(opts.catalog ?? {}),
  };
}
