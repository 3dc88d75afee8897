/**
 * The one retry policy (STYLE.md convention 3): a pure function deciding whether an outcome is
 * retried and after how long. Network errors, 429 and 5xx are retried; Retry-After is honoured;
 * otherwise capped exponential backoff with full jitter.
 */

export type RetryOutcome =
  | { kind: 'network'; error?: unknown }
  | { kind: 'timeout' }
  | { kind: 'http'; status: number; retryAfterMs?: number | undefined }
  | { kind: 'error'; retryable: boolean; retryAfterMs?: number | undefined };

export interface RetryPolicyOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Returns a number in [0, 1). Injected so tests are deterministic. */
  random: () => number;
}

export interface RetryDecision {
  retry: boolean;
  waitMs: number;
  reason: string;
}

export const DEFAULT_RETRY_POLICY: RetryPolicyOptions = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  random: Math.random,
};

/** Capped exponential backoff with full jitter for attempt n (1-based: the attempt that just failed). */
export function backoffMs(
  attempt: number,
  opts: Pick<RetryPolicyOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
) {
  const exp = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half random: never zero wait, never above the cap.
  return Math.round(exp / 2 + opts.random() * (exp / 2));
}

export function shouldRetry(
  outcome: RetryOutcome,
  attempt: number,
  opts: RetryPolicyOptions = DEFAULT_RETRY_POLICY,
): RetryDecision {
  if (attempt >= opts.maxAttempts) {
    return { retry: false, waitMs: 0, reason: `gave up after ${attempt} attempts` };
  }
  const advised = (ms: number | undefined) =>
    ms !== undefined && ms >= 0 ? Math.min(ms, opts.maxDelayMs) : backoffMs(attempt, opts);
  switch (outcome.kind) {
    case 'network':
      return { retry: true, waitMs: backoffMs(attempt, opts), reason: 'network error' };
    case 'timeout':
      return { retry: true, waitMs: backoffMs(attempt, opts), reason: 'timeout' };
    case 'http':
      if (outcome.status === 429) {
        return { retry: true, waitMs: advised(outcome.retryAfterMs), reason: 'rate limited (429)' };
      }
      if (outcome.status >= 500) {
        return {
          retry: true,
          waitMs: advised(outcome.retryAfterMs),
          reason: `server error (${outcome.status})`,
        };
      }
      return { retry: false, waitMs: 0, reason: `client error (${outcome.status})` };
    case 'error':
      return outcome.retryable
        ? { retry: true, waitMs: advised(outcome.retryAfterMs), reason: 'retryable error' }
        : { retry: false, waitMs: 0, reason: 'non-retryable error' };
  }
}

/** Parses a Retry-After header (seconds or HTTP date) into milliseconds from `nowMs`. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number.parseInt(trimmed, 10) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
