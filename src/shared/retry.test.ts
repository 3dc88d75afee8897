import { describe, expect, it } from 'vitest';
import { backoffMs, parseRetryAfter, shouldRetry } from './retry.ts';

const opts = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 };

describe('shouldRetry', () => {
  it('retries network errors, timeouts, 429 and 5xx; not 4xx', () => {
    expect(shouldRetry({ kind: 'network' }, 1, opts).retry).toBe(true);
    expect(shouldRetry({ kind: 'timeout' }, 1, opts).retry).toBe(true);
    expect(shouldRetry({ kind: 'http', status: 503 }, 1, opts).retry).toBe(true);
    expect(shouldRetry({ kind: 'http', status: 429 }, 1, opts).retry).toBe(true);
    expect(shouldRetry({ kind: 'http', status: 400 }, 1, opts)).toMatchObject({ retry: false });
    expect(shouldRetry({ kind: 'error', retryable: false }, 1, opts).retry).toBe(false);
  });

  it('honours Retry-After, capped at the maximum delay', () => {
    expect(shouldRetry({ kind: 'http', status: 429, retryAfterMs: 700 }, 1, opts).waitMs).toBe(700);
    expect(shouldRetry({ kind: 'http', status: 429, retryAfterMs: 9000 }, 1, opts).waitMs).toBe(1000);
  });

  it('stops at the attempt limit', () => {
    expect(shouldRetry({ kind: 'network' }, 5, opts)).toMatchObject({ retry: false });
  });

  it('backs off exponentially with jitter under the cap', () => {
    const waits = [1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, opts));
    expect(waits).toEqual([75, 150, 300, 600, 750, 750]);
    expect(backoffMs(3, { ...opts, random: () => 0 })).toBe(200);
    expect(backoffMs(3, { ...opts, random: () => 0.999 })).toBeLessThanOrEqual(400);
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});
