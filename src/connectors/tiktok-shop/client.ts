/**
 * The TikTok Shop client: one per app, several shops per app (reference §3.4). Tokens per shop
 * come from an injected TokenStore; requests are signed, rate limited per shop and retried by the
 * shared policy (see transport.ts).
 */
import { type Clock, systemClock } from '../../shared/clock.ts';
import { type FetchFn, HttpClient } from '../../shared/http.ts';
import type { Logger } from '../../shared/log.ts';
import type { RetryPolicyOptions } from '../../shared/retry.ts';
import { type ReconsentNotice, TokenManager, type TokenStore, type Tokens } from './auth.ts';
import { HOSTS, PATHS } from './manifest.ts';
import { eventsApi } from './resources/events.ts';
import { financeApi } from './resources/finance.ts';
import { fulfillmentApi } from './resources/fulfillment.ts';
import { logisticsApi } from './resources/logistics.ts';
import { ordersApi } from './resources/orders.ts';
import { productsApi } from './resources/products.ts';
import { returnsApi } from './resources/returns.ts';
import { type ShopRef, Transport } from './transport.ts';
import { type AuthorizedShop, AuthorizedShopsData } from './wire/auth.ts';

export interface TikTokShopClientOptions {
  appKey: string;
  appSecret: string;
  tokenStore: TokenStore;
  /** Business host; the sandbox URL in tests and demos. */
  baseUrl?: string;
  /** Token host; the sandbox serves both on one port. */
  authBaseUrl?: string;
  fetch?: FetchFn;
  clock?: Clock;
  logger?: Logger;
  retry?: Partial<RetryPolicyOptions>;
  /** Requests per second per shop (limits are UNCONFIRMED, §10.1: start low). Default 10. */
  rateLimitPerSec?: number;
  rateLimitBurst?: number;
  timeoutMs?: number;
  refreshBeforeSeconds?: number;
  reconsentWarningDays?: number;
  onReconsentDue?: (notice: ReconsentNotice) => void;
}

export function createTikTokShopClient(opts: TikTokShopClientOptions) {
  const clock = opts.clock ?? systemClock;
  const httpOpts = { fetch: opts.fetch, retry: opts.retry, timeoutMs: opts.timeoutMs };
  const tokens = new TokenManager({
    appKey: opts.appKey,
    appSecret: opts.appSecret,
    authBaseUrl: opts.authBaseUrl ?? HOSTS.auth,
    http: new HttpClient({ ...httpOpts, clock }),
    clock,
    store: opts.tokenStore,
    logger: opts.logger,
    refreshBeforeSeconds: opts.refreshBeforeSeconds,
    reconsentWarningDays: opts.reconsentWarningDays,
    onReconsentDue: opts.onReconsentDue,
  });
  const transport = new Transport({
    appKey: opts.appKey,
    appSecret: opts.appSecret,
    baseUrl: opts.baseUrl ?? HOSTS.api,
    clock,
    tokens,
    http: httpOpts,
    rateLimit: { perSecond: opts.rateLimitPerSec ?? 10, burst: opts.rateLimitBurst },
  });

  async function authorizedShops(tokenShopId: string, accessToken?: string): Promise<AuthorizedShop[]> {
    const shop = { id: tokenShopId, cipher: '' };
    const call = { method: 'GET', path: PATHS.authorizedShops } as const;
    const data = await transport.call(shop, call, AuthorizedShopsData, accessToken ? { accessToken } : {});
    return data.shops;
  }

  return {
    /** Seller authorization page URL (§3.1). */
    authorizeUrl: (input: { state: string; serviceId?: string; us?: boolean }) => tokens.authorizeUrl(input),
    /** Exchanges an auth code, then stores the tokens under every shop they authorize (§3.2, §3.4). */
    async connect(authCode: string): Promise<{ tokens: Tokens; shops: AuthorizedShop[] }> {
      const fresh = await tokens.exchangeCode(authCode);
      const shops = await authorizedShops(`auth:${fresh.openId ?? 'new'}`, fresh.accessToken);
      for (const s of shops) await opts.tokenStore.save(s.id, fresh);
      return { tokens: fresh, shops };
    },
    /** Shops the stored tokens of `shopId` can reach (GET /authorization/202309/shops). */
    authorizedShops: (shopId: string) => authorizedShops(shopId),
    /** The shop's current access token (refreshed when due): for a caller timing a read-then-write pair. */
    accessToken: (shopId: string) => tokens.accessToken(shopId),
    /** Forces a refresh now (e.g. from an admin command). */
    refreshTokens: async (shopId: string) => {
      const current = await opts.tokenStore.load(shopId);
      return current ? tokens.forceRefresh(shopId, current.accessToken) : tokens.accessToken(shopId);
    },
    /** The typed resources of one shop. */
    shop(shop: ShopRef) {
      return {
        ref: shop,
        orders: ordersApi(transport, shop),
        products: productsApi(transport, shop),
        logistics: logisticsApi(transport, shop),
        fulfillment: fulfillmentApi(transport, shop),
        returns: returnsApi(transport, shop),
        finance: financeApi(transport, shop),
        events: eventsApi(transport, shop),
      };
    },
  };
}
export type TikTokShopClient = ReturnType<typeof createTikTokShopClient>;
export type TikTokShopApi = ReturnType<TikTokShopClient['shop']>;
