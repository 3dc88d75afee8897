import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.ts';
import { RateLimiter } from './rate-limiter.ts';

/** A clock that only moves when someone sleeps (each sleep jumps it forward). */
function steppingClock(): Clock & { t: number } {
  const c = {
    t: 0,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

describe('RateLimiter', () => {
  it('serves callers in order at the rate once the burst is spent', async () => {
    const clock = steppingClock();
    const limiter = new RateLimiter({ ratePerSec: 10, burst: 2, clock });
    const at: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => limiter.take().then(() => at.push(clock.t))));
    expect(at).toEqual([0, 0, 100, 200, 300]);
  });

  it('lets an urgent call go at once, ahead of the queue, and the queue pays it back', async () => {
    const clock = steppingClock();
    const limiter = new RateLimiter({ ratePerSec: 10, burst: 1, clock });
    await limiter.take();
    const urgentAt = await limiter.takeUrgent().then(() => clock.t);
    expect(urgentAt).toBe(0);
    // The bucket is one token in debt: the next normal caller waits two intervals, not one.
    await limiter.take();
    expect(clock.t).toBe(200);
  });
});
