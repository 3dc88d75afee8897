/**
 * The request pipeline every NetSuite call goes through: URL building, authentication per attempt,
 * the concurrency governor around each attempt, retries by the one policy, and the error factory.
 * Reads and idempotent writes are retried on network errors; non-idempotent writes (POST create,
 * !transform) are retried only when NetSuite provably did no work (429, locked), otherwise they
 * fail with `netsuite_outcome_unknown` so the caller can confirm by external id (section 4.5).
 */
import { type Clock, systemClock } from '../../shared/clock.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import { type FetchFn, HttpClient, type HttpRequest, type HttpResponse } from '../../shared/http.ts';
import type { Logger } from '../../shared/log.ts';
import {
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type RetryOutcome,
  type RetryPolicyOptions,
  shouldRetry,
} from '../../shared/retry.ts';
import type { Authenticator } from './auth.ts';
import { percentEncode } from './auth-tba.ts';
import { LOCKED_CODES, netsuiteError, parseProblem, problemCodes } from './errors.ts';
import type { ConcurrencyGovernor, PermitOutcome } from './governor.ts';
import { stringifyNs } from './json.ts';

export type Query = Record<string, string | number | boolean | undefined>;

export interface NsRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path from the host root, e.g. `/services/rest/record/v1/salesOrder/42`. */
  path: string;
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** True when repeating the request cannot create a second effect. */
  idempotent: boolean;
}

export interface TransportOptions {
  accountId: string;
  baseUrl: string;
  auth: Authenticator;
  governor: ConcurrencyGovernor;
  fetch?: FetchFn;
  clock?: Clock;
  retry?: Partial<RetryPolicyOptions>;
  /** Per attempt, counted from the moment the governor grants a slot. */
  timeoutMs?: number;
  /**
   * `X-NetSuite-PropertyNameValidation` on writes (section 4.11): Error (default here, as
   * jacobsvante/netsuite does) makes a misspelt field fail instead of being ignored.
   */
  propertyNameValidation?: 'Error' | 'Warning' | 'Ignore';
  logger?: Logger;
}

/** Query strings use %20 for spaces (never `+`, reference section 2.2) so signatures are unambiguous. */
export function buildUrl(baseUrl: string, path: string, query: Query = {}): string {
  const parts = Object.entries(query)
    .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(String(v))}`);
  return `${baseUrl}${path}${parts.length ? `?${parts.join('&')}` : ''}`;
}

export class NetSuiteTransport {
  readonly baseUrl: string;
  readonly accountId: string;
  readonly clock: Clock;
  readonly governor: ConcurrencyGovernor;
  readonly #opts: TransportOptions;
  readonly #policy: RetryPolicyOptions;
  readonly #fetch: FetchFn;

  constructor(opts: TransportOptions) {
    this.#opts = opts;
    this.baseUrl = opts.baseUrl;
    this.accountId = opts.accountId;
    this.clock = opts.clock ?? systemClock;
    this.governor = opts.governor;
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.#fetch = this.#governedFetch(opts.fetch ?? globalThis.fetch);
  }

  /** A plain HttpClient that still goes through the governor (used for the token endpoint). */
  httpClient(): HttpClient {
    return new HttpClient({
      fetch: this.#fetch,
      clock: this.clock,
      retry: this.#policy,
      timeoutMs: this.#outerTimeout(),
    });
  }

  /** Sends the request; resolves with a 2xx response or throws the factory's typed error. */
  async send(req: NsRequest): Promise<HttpResponse> {
    const http: HttpRequest = {
      method: req.method,
      url: buildUrl(this.baseUrl, req.path, req.query),
      headers: {
        accept: 'application/json',
        ...(req.body === undefined
          ? {}
          : {
              'content-type': 'application/json',
              'x-netsuite-propertynamevalidation': this.#opts.propertyNameValidation ?? 'Error',
            }),
        ...req.headers,
      },
      ...(req.body === undefined ? {} : { body: stringifyNs(req.body) }),
    };
    const res = req.idempotent ? await this.#sendSafe(http) : await this.#sendUnsafe(http);
    if (res.status >= 200 && res.status < 300) return res;
    throw netsuiteError(res.status, res.text, {
      method: req.method,
      url: http.url,
      nowMs: this.clock.now(),
      retryAfter: res.headers.get('retry-after'),
      attempts: res.attempts,
    });
  }

  async #sendSafe(req: HttpRequest): Promise<HttpResponse> {
    const client = new HttpClient({
      fetch: this.#fetch,
      clock: this.clock,
      retry: this.#policy,
      timeoutMs: this.#outerTimeout(),
      prepare: (r) => this.#sign(r),
      classify: (res) => this.#classify(res),
      onRetry: (info) => this.#opts.logger?.debug(info, 'netsuite retry'),
    });
    try {
      return await client.request(req);
    } catch (err) {
      throw wrapTransportError(err, 'netsuite_unavailable');
    }
  }

  /** One attempt at a time; retried only on outcomes where NetSuite did nothing. */
  async #sendUnsafe(req: HttpRequest): Promise<HttpResponse> {
    const client = new HttpClient({
      fetch: this.#fetch,
      clock: this.clock,
      retry: { ...this.#policy, maxAttempts: 1 },
      timeoutMs: this.#outerTimeout(),
      prepare: (r) => this.#sign(r),
      classify: () => null,
    });
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await client.request(req);
      } catch (err) {
        throw wrapTransportError(err, 'netsuite_outcome_unknown');
      }
      if (res.status >= 500) {
        throw new AppError(
          'netsuite_outcome_unknown',
          `${req.method} ${req.url} -> ${res.status}; the write may have been saved`,
          {
            cause: netsuiteError(res.status, res.text, {
              method: req.method,
              url: req.url,
              nowMs: this.clock.now(),
            }),
          },
        );
      }
      const outcome = this.#classify(res);
      if (!outcome) return res;
      const decision = shouldRetry(outcome, attempt, this.#policy);
      if (!decision.retry) return res;
      await this.clock.sleep(decision.waitMs);
    }
  }

  async #sign(req: HttpRequest): Promise<HttpRequest> {
    const authorization = await this.#opts.auth.authorize(req.method, req.url);
    return { ...req, headers: { ...req.headers, authorization } };
  }

  #classify(res: HttpResponse): RetryOutcome | null {
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), this.clock.now());
    if (res.status === 429 || res.status >= 500) return { kind: 'http', status: res.status, retryAfterMs };
    if (res.status === 401 && this.#opts.auth.onUnauthorized())
      return { kind: 'error', retryable: true, retryAfterMs: 0 };
    if (res.status === 400 && problemCodes(parseProblem(res.text)).some((c) => LOCKED_CODES.has(c))) {
      return { kind: 'error', retryable: true, retryAfterMs };
    }
    return null;
  }

  #outerTimeout(): number {
    // The HttpClient timer also runs while waiting for a governor slot; the real per-attempt
    // timeout is applied inside the governed fetch once the slot is granted.
    return (this.#opts.timeoutMs ?? 60_000) + 600_000;
  }

  /** Wraps fetch so each attempt holds one governor slot from send until the body is read. */
  #governedFetch(inner: FetchFn): FetchFn {
    const attemptTimeout = this.#opts.timeoutMs ?? 60_000;
    return async (input, init) => {
      const permit = await this.governor.acquire(this.accountId, init?.signal ?? undefined);
      let outcome: PermitOutcome = 'error';
      try {
        const timeout = AbortSignal.timeout(attemptTimeout);
        const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
        const res = await inner(input, { ...init, signal });
        const text = await res.text();
        outcome = res.status === 429 ? 'throttled' : 'ok';
        return new Response(text === '' ? null : text, {
          status: res.status,
          statusText: res.statusText,
          headers: res.headers,
        });
      } finally {
        permit.release(outcome);
      }
    };
  }
}

function wrapTransportError(
  err: unknown,
  code: 'netsuite_unavailable' | 'netsuite_outcome_unknown',
): AppError {
  // Errors raised before anything was sent (e.g. the token request failed) pass through as is.
  if (isAppError(err) && err.code !== 'network_error' && err.code !== 'http_timeout') return err;
  const message = err instanceof Error ? err.message : String(err);
  return new AppError(code, message, { cause: err });
}
