/**
 * A small fetch wrapper shared by the connectors: injected fetch and clock, per-request timeout,
 * retries through the one retry policy, and an optional rate limiter. Vendor error bodies are
 * interpreted by each connector's error factory, not here.
 */
import { type Clock, systemClock } from './clock.ts';
import { AppError } from './errors.ts';
import type { RateLimiter } from './rate-limiter.ts';
import {
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type RetryOutcome,
  type RetryPolicyOptions,
  shouldRetry,
} from './retry.ts';

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** Exact bytes to send; signing code must sign these same bytes. */
  body?: string;
  timeoutMs?: number;
  /** Skip the rate limiter's queue (RateLimiter.takeUrgent); not sent. */
  urgent?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  attempts: number;
}

export interface HttpClientOptions {
  fetch?: FetchFn;
  clock?: Clock;
  retry?: Partial<RetryPolicyOptions>;
  timeoutMs?: number;
  limiter?: RateLimiter;
  /**
   * Classifies a received response: a RetryOutcome to retry by policy, null to hand it to the
   * caller as is, undefined for the default (429 and 5xx retried, honouring Retry-After). Lets a
   * connector treat a 200 carrying a vendor rate-limit code as a 429.
   */
  classify?: (res: HttpResponse) => RetryOutcome | null | undefined;
  /** Called before each attempt: lets signers refresh timestamps/signatures per attempt. */
  prepare?: (req: HttpRequest, attempt: number) => Promise<HttpRequest> | HttpRequest;
  onRetry?: (info: { attempt: number; waitMs: number; reason: string; url: string }) => void;
}

export class HttpClient {
  readonly #fetch: FetchFn;
  readonly #clock: Clock;
  readonly #policy: RetryPolicyOptions;
  readonly #opts: HttpClientOptions;

  constructor(opts: HttpClientOptions = {}) {
    this.#fetch = opts.fetch ?? globalThis.fetch;
    this.#clock = opts.clock ?? systemClock;
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.#opts = opts;
  }

  /**
   * Sends the request, retrying by policy. Resolves with the last response (whatever its status:
   * the connector's error factory reads vendor error bodies); rejects only when no response was
   * received at all (network error or timeout on the last attempt).
   */
  async request(input: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      const req = this.#opts.prepare ? await this.#opts.prepare(input, attempt) : input;
      await (input.urgent ? this.#opts.limiter?.takeUrgent() : this.#opts.limiter?.take());
      const result = await this.#attempt(req, attempt);
      const outcome = result.response ? this.#classify(result.response) : result.outcome;
      if (!outcome) return result.response!;
      const decision = shouldRetry(outcome, attempt, this.#policy);
      if (outcome.kind === 'http' && outcome.status === 429 && outcome.retryAfterMs !== undefined) {
        this.#opts.limiter?.pause(outcome.retryAfterMs);
      }
      if (!decision.retry) {
        if (result.response) return result.response;
        throw result.error;
      }
      this.#opts.onRetry?.({ attempt, waitMs: decision.waitMs, reason: decision.reason, url: req.url });
      await this.#clock.sleep(decision.waitMs);
    }
  }

  #classify(res: HttpResponse): RetryOutcome | null {
    const custom = this.#opts.classify?.(res);
    if (custom !== undefined) return custom;
    if (res.status === 429 || res.status >= 500) {
      return {
        kind: 'http',
        status: res.status,
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), this.#clock.now()),
      };
    }
    return null;
  }

  async #attempt(
    req: HttpRequest,
    attempt: number,
  ): Promise<
    | { response: HttpResponse; outcome?: undefined; error?: undefined }
    | { response?: undefined; outcome: RetryOutcome; error: AppError }
  > {
    const timeoutMs = req.timeoutMs ?? this.#opts.timeoutMs ?? 30_000;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const res = await this.#fetch(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal,
      });
      const text = await res.text();
      return { response: { status: res.status, headers: res.headers, text, attempts: attempt } };
    } catch (err) {
      if (signal.aborted) {
        const error = new AppError(
          'http_timeout',
          `${req.method} ${req.url} timed out after ${timeoutMs} ms`,
          { cause: err },
        );
        return { outcome: { kind: 'timeout' }, error };
      }
      const error = new AppError('network_error', `${req.method} ${req.url} failed: ${String(err)}`, {
        cause: err,
      });
      return { outcome: { kind: 'network', error: err }, error };
    }
  }
}
