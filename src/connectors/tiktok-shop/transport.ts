/**
 * Signed calls to the business host (reference §1.2-1.4, §2): common params, the
 * `x-tts-access-token` header, re-signing on each attempt, the envelope, one refresh on 105002,
 * and a per-shop rate limiter that honours 429 / 36009002 through the shared retry policy.
 */
import type { z } from 'zod';
import type { Clock } from '../../shared/clock.ts';
import {
  HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
} from '../../shared/http.ts';
import { RateLimiter } from '../../shared/rate-limiter.ts';
import { parseRetryAfter, type RetryOutcome } from '../../shared/retry.ts';
import { safeJson, type TokenManager } from './auth.ts';
import { badResponse, tiktokError } from './errors.ts';
import { SHOPLESS_PREFIXES, TIKTOK_CODES } from './manifest.ts';
import { type QueryParams, signRequest, stringifyQuery } from './signing.ts';
import { Envelope } from './wire/common.ts';

/** A shop as the API addresses it: `id` keys the tokens, `cipher` goes in `shop_cipher`. */
export interface ShopRef {
  id: string;
  cipher: string;
}

export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: QueryParams;
  body?: unknown;
}

export interface CallOptions {
  /** A token to use as is (no refresh on expiry: the caller manages it). */
  accessToken?: string;
  /** Skip the per-shop rate limiter's queue: the write of a read-then-write pair. */
  urgent?: boolean;
}

export interface TransportOptions {
  appKey: string;
  appSecret: string;
  baseUrl: string;
  clock: Clock;
  tokens: TokenManager;
  http: Omit<HttpClientOptions, 'limiter' | 'classify' | 'prepare' | 'clock'>;
  rateLimit: { perSecond: number; burst?: number | undefined };
}

export class Transport {
  readonly #o: TransportOptions;
  readonly #clients = new Map<string, HttpClient>();
  /** Parsed bodies, so classify() and the caller parse each response once. */
  readonly #parsed = new WeakMap<HttpResponse, unknown>();

  constructor(opts: TransportOptions) {
    this.#o = opts;
  }

  /** Calls an endpoint for `shop` and parses `data` with `schema`. */
  async call<S extends z.ZodType>(
    shop: ShopRef,
    call: ApiCall,
    schema: S,
    opts: CallOptions = {},
  ): Promise<z.output<S>> {
    let token = opts.accessToken ?? (await this.#o.tokens.accessToken(shop.id));
    let res = await this.#send(shop, call, token, opts.urgent);
    let env = this.#envelope(call, res);
    // One refresh on an expired token (§3.3); an explicit token is the caller's to manage.
    if (env.code === TIKTOK_CODES.accessTokenExpired && opts.accessToken === undefined) {
      token = await this.#o.tokens.forceRefresh(shop.id, token);
      res = await this.#send(shop, call, token, opts.urgent);
      env = this.#envelope(call, res);
    }
    if (env.code !== 0 || res.status !== 200) {
      throw tiktokError({
        code: env.code,
        message: env.message,
        requestId: env.request_id,
        httpStatus: res.status,
        method: call.method,
        path: call.path,
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), this.#o.clock.now()),
      });
    }
    const data = schema.safeParse(env.data ?? {});
    if (!data.success) throw badResponse(call.method, call.path, data.error.message, data.error);
    return data.data;
  }

  #envelope(call: ApiCall, res: HttpResponse): Envelope {
    const env = Envelope.safeParse(this.#json(res));
    if (env.success) return env.data;
    if (res.status !== 200) {
      throw tiktokError({
        code: undefined,
        message: res.text.slice(0, 200),
        requestId: '',
        httpStatus: res.status,
        method: call.method,
        path: call.path,
      });
    }
    throw badResponse(call.method, call.path, `HTTP ${res.status}: not a TikTok envelope`);
  }

  #json(res: HttpResponse): unknown {
    if (!this.#parsed.has(res)) this.#parsed.set(res, safeJson(res.text));
    return this.#parsed.get(res);
  }

  #send(shop: ShopRef, call: ApiCall, accessToken: string, urgent = false): Promise<HttpResponse> {
    const url = new URL(call.path, this.#o.baseUrl);
    const query = stringifyQuery(call.query ?? {});
    query.app_key = this.#o.appKey;
    if (!SHOPLESS_PREFIXES.some((p) => call.path.startsWith(p))) query.shop_cipher = shop.cipher;
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const req: HttpRequest = {
      method: call.method,
      url: url.toString(),
      headers: { 'content-type': 'application/json', 'x-tts-access-token': accessToken },
      ...(urgent ? { urgent } : {}),
    };
    // Serialised once: the same string is signed and sent (§2.1 implementation notes).
    if (call.body !== undefined) req.body = JSON.stringify(call.body);
    return this.#client(shop.id).request(req);
  }

  #client(shopId: string): HttpClient {
    let client = this.#clients.get(shopId);
    if (!client) {
      client = new HttpClient({
        ...this.#o.http,
        clock: this.#o.clock,
        limiter: new RateLimiter({
          ...this.#o.rateLimit,
          ratePerSec: this.#o.rateLimit.perSecond,
          clock: this.#o.clock,
        }),
        prepare: (req) => this.#sign(req),
        classify: (res) => this.#classify(res),
      });
      this.#clients.set(shopId, client);
    }
    return client;
  }

  /** Fresh timestamp and signature on every attempt, so retries never carry a stale timestamp. */
  #sign(req: HttpRequest): HttpRequest {
    const url = new URL(req.url);
    url.searchParams.delete('sign');
    url.searchParams.set('timestamp', String(Math.floor(this.#o.clock.now() / 1000)));
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const sign = signRequest({ appSecret: this.#o.appSecret, path: url.pathname, query, body: req.body });
    url.searchParams.set('sign', sign);
    return { ...req, url: url.toString() };
  }

  /** 429 or envelope 36009002 is a rate limit (§10.1); 36009003 and 5xx are transient. */
  #classify(res: HttpResponse): RetryOutcome | null {
    const body = this.#json(res);
    const code = typeof body === 'object' && body !== null && 'code' in body ? body.code : undefined;
    if (res.status === 429 || code === TIKTOK_CODES.rateLimited) {
      return {
        kind: 'http',
        status: 429,
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), this.#o.clock.now()),
      };
    }
    if (res.status >= 500) return { kind: 'http', status: res.status };
    if (code === TIKTOK_CODES.internalError) return { kind: 'error', retryable: true };
    return null;
  }
}
