/**
 * OAuth for sellers (reference §3): authorize URL, code exchange and refresh on the auth host,
 * per-shop token storage behind a small interface, refresh before expiry (single flight per shop)
 * and a warning as the refresh token, hence the authorization, nears its end.
 */
import { z } from 'zod';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { HttpClient } from '../../shared/http.ts';
import { tryParseOutsideJson } from '../../shared/json.ts';
import type { Logger } from '../../shared/log.ts';
import { badResponse, tiktokError } from './errors.ts';
import { HOSTS, PATHS, RECONSENT_WARNING_DAYS } from './manifest.ts';
import { TokenData } from './wire/auth.ts';
import { Envelope } from './wire/common.ts';

/** A shop's tokens; times are absolute Unix seconds as TikTok returns them (§3.2). */
export interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: number;
  refreshToken: string;
  refreshTokenExpiresAt: number;
  openId?: string | undefined;
  sellerName?: string | undefined;
  region?: string | undefined;
  grantedScopes?: string[] | undefined;
}

/** Where tokens live. The core runtime backs this with its encrypted secret store. */
export interface TokenStore {
  load(shopId: string): Promise<Tokens | null>;
  save(shopId: string, tokens: Tokens): Promise<void>;
}

export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, Tokens>();
  async load(shopId: string): Promise<Tokens | null> {
    return this.#tokens.get(shopId) ?? null;
  }
  async save(shopId: string, tokens: Tokens): Promise<void> {
    this.#tokens.set(shopId, { ...tokens });
  }
}

/** Any name -> string secret store (e.g. the core runtime's encrypted SecretStore). */
export interface SecretsLike {
  get(name: string): Promise<string | undefined>;
  put(name: string, value: string): Promise<void>;
}

const StoredTokens = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: z.number().int(),
  refreshToken: z.string(),
  refreshTokenExpiresAt: z.number().int(),
  openId: z.string().optional(),
  sellerName: z.string().optional(),
  region: z.string().optional(),
  grantedScopes: z.array(z.string()).optional(),
});

/** A TokenStore over a secret store: one JSON secret per shop, named `tiktok.tokens.<shopId>`. */
export function secretTokenStore(secrets: SecretsLike): TokenStore {
  const name = (shopId: string) => `tiktok.tokens.${shopId}`;
  return {
    async load(shopId) {
      const raw = await secrets.get(name(shopId));
      if (raw === undefined) return null;
      const parsed = StoredTokens.safeParse(safeJson(raw));
      if (!parsed.success) {
        throw new AppError('tiktok_shop_not_authorized', `stored tokens of shop ${shopId} are unreadable`, {
          details: { shopId },
        });
      }
      return parsed.data;
    },
    async save(shopId, tokens) {
      await secrets.put(name(shopId), JSON.stringify(tokens));
    },
  };
}

export function tokensFromWire(d: TokenData): Tokens {
  return {
    accessToken: d.access_token,
    accessTokenExpiresAt: d.access_token_expire_in,
    refreshToken: d.refresh_token,
    refreshTokenExpiresAt: d.refresh_token_expire_in,
    openId: d.open_id,
    sellerName: d.seller_name,
    region: d.seller_base_region,
    grantedScopes: d.granted_scopes,
  };
}

export interface ReconsentNotice {
  shopId: string;
  refreshTokenExpiresAt: number;
  daysLeft: number;
}

export interface TokenManagerOptions {
  appKey: string;
  appSecret: string;
  authBaseUrl: string;
  http: HttpClient;
  clock: Clock;
  store: TokenStore;
  logger?: Logger | undefined;
  /** Refresh this many seconds before the access token expires (default 300). */
  refreshBeforeSeconds?: number | undefined;
  /** Warn when the refresh token has fewer days left than this (default 30, as the §3.3 webhook). */
  reconsentWarningDays?: number | undefined;
  onReconsentDue?: ((notice: ReconsentNotice) => void) | undefined;
}

export class TokenManager {
  readonly #o: TokenManagerOptions;
  readonly #inflight = new Map<string, Promise<Tokens>>();
  readonly #warned = new Set<string>();

  constructor(opts: TokenManagerOptions) {
    this.#o = opts;
  }

  /** §3.1: the SDKs' authorize page (app_key + state); with a service id, the current one. */
  authorizeUrl(input: { state: string; serviceId?: string; us?: boolean }): string {
    if (input.serviceId) {
      const host = input.us ? HOSTS.servicesAuthorizeUs : HOSTS.servicesAuthorize;
      return `${host}?service_id=${encodeURIComponent(input.serviceId)}&state=${encodeURIComponent(input.state)}`;
    }
    const base = new URL('/oauth/authorize', this.#o.authBaseUrl);
    base.searchParams.set('app_key', this.#o.appKey);
    base.searchParams.set('state', input.state);
    return base.toString();
  }

  /** §3.2: GET /api/v2/token/get with grant_type=authorized_code. */
  exchangeCode(authCode: string): Promise<Tokens> {
    return this.#tokenCall(PATHS.tokenGet, { auth_code: authCode, grant_type: 'authorized_code' });
  }

  /** §3.3: GET /api/v2/token/refresh with grant_type=refresh_token. */
  refresh(refreshToken: string): Promise<Tokens> {
    return this.#tokenCall(PATHS.tokenRefresh, { refresh_token: refreshToken, grant_type: 'refresh_token' });
  }

  /** A valid access token for the shop, refreshed first when it is about to expire. */
  async accessToken(shopId: string): Promise<string> {
    const tokens = await this.#load(shopId);
    const now = this.#nowSeconds();
    this.#maybeWarn(shopId, tokens, now);
    if (tokens.accessTokenExpiresAt - (this.#o.refreshBeforeSeconds ?? 300) > now) return tokens.accessToken;
    return (await this.#refreshShop(shopId, tokens.accessToken)).accessToken;
  }

  /** After a 105002: refresh unless another caller already replaced the stale token. */
  async forceRefresh(shopId: string, staleAccessToken: string): Promise<string> {
    return (await this.#refreshShop(shopId, staleAccessToken)).accessToken;
  }

  async #load(shopId: string): Promise<Tokens> {
    const tokens = await this.#o.store.load(shopId);
    if (!tokens) {
      throw new AppError('tiktok_shop_not_authorized', `no TikTok tokens stored for shop ${shopId}`, {
        details: { shopId },
      });
    }
    return tokens;
  }

  #refreshShop(shopId: string, staleAccessToken: string): Promise<Tokens> {
    const running = this.#inflight.get(shopId);
    if (running) return running;
    const job = (async () => {
      const current = await this.#load(shopId);
      if (current.accessToken !== staleAccessToken) return current;
      const fresh = await this.refresh(current.refreshToken);
      // Keep stored profile fields the refresh answer leaves out.
      const merged: Tokens = { ...current };
      for (const [k, v] of Object.entries(fresh)) if (v !== undefined) Object.assign(merged, { [k]: v });
      await this.#o.store.save(shopId, merged);
      this.#o.logger?.info(
        { shopId, expiresAt: fresh.accessTokenExpiresAt },
        'tiktok access token refreshed',
      );
      return merged;
    })().finally(() => this.#inflight.delete(shopId));
    this.#inflight.set(shopId, job);
    return job;
  }

  #maybeWarn(shopId: string, tokens: Tokens, now: number): void {
    const days = this.#o.reconsentWarningDays ?? RECONSENT_WARNING_DAYS;
    const left = tokens.refreshTokenExpiresAt - now;
    if (left > days * 86_400) return;
    const key = `${shopId}:${tokens.refreshTokenExpiresAt}:${Math.floor(left / 86_400)}`;
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    const notice = {
      shopId,
      refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
      daysLeft: Math.floor(left / 86_400),
    };
    this.#o.logger?.warn(notice, 'tiktok authorization expires soon: the seller must re-authorize the app');
    this.#o.onReconsentDue?.(notice);
  }

  #nowSeconds(): number {
    return Math.floor(this.#o.clock.now() / 1000);
  }

  async #tokenCall(path: string, params: Record<string, string>): Promise<Tokens> {
    const url = new URL(path, this.#o.authBaseUrl);
    url.searchParams.set('app_key', this.#o.appKey);
    url.searchParams.set('app_secret', this.#o.appSecret);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const res = await this.#o.http.request({ method: 'GET', url: url.toString() });
    const env = Envelope.safeParse(safeJson(res.text));
    if (!env.success) throw badResponse('GET', path, `HTTP ${res.status}, not an envelope`);
    if (env.data.code !== 0) {
      const e = env.data;
      throw tiktokError({
        code: e.code,
        message: e.message,
        requestId: e.request_id,
        httpStatus: res.status,
        method: 'GET',
        path,
      });
    }
    const data = TokenData.safeParse(env.data.data);
    if (!data.success) throw badResponse('GET', path, data.error.message, data.error);
    return tokensFromWire(data.data);
  }
}

/** Outside JSON, storable (shared/json.ts), or undefined when the text is not JSON. */
export function safeJson(text: string): unknown {
  return tryParseOutsideJson(text);
}
