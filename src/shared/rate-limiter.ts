import { type Clock, systemClock } from './clock.ts';

/**
 * Token bucket: `ratePerSec` tokens refill continuously up to `burst`. `take()` waits until a token
 * is free. `pause(ms)` empties the bucket and blocks everyone for `ms` (after a 429 with Retry-After).
 */
export class RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;
  #blockedUntil = 0;
  #chain: Promise<void> = Promise.resolve();

  constructor(opts: { ratePerSec: number; burst?: number; clock?: Clock }) {
    if (!(opts.ratePerSec > 0)) throw new RangeError('ratePerSec must be > 0');
    this.#rate = opts.ratePerSec;
    this.#burst = opts.burst ?? Math.max(1, Math.ceil(opts.ratePerSec));
    this.#clock = opts.clock ?? systemClock;
    this.#tokens = this.#burst;
    this.#last = this.#clock.now();
  }

  /** Waits for one token. Callers are served in arrival order. */
  take(): Promise<void> {
    const next = this.#chain.then(() => this.#acquire());
    this.#chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Takes a token at once, ahead of the queue, borrowing from the bucket if it is empty: the callers
   * queued behind wait the longer, so the average rate holds. For a call that must follow another
   * without delay (the write of a read-then-write pair). Still waits out a 429 pause.
   */
  async takeUrgent(): Promise<void> {
    const now = this.#clock.now();
    if (now < this.#blockedUntil) await this.#clock.sleep(this.#blockedUntil - now);
    const at = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((at - this.#last) / 1000) * this.#rate) - 1;
    this.#last = at;
  }

  pause(ms: number): void {
    this.#blockedUntil = Math.max(this.#blockedUntil, this.#clock.now() + ms);
    this.#tokens = 0;
  }

  async #acquire(): Promise<void> {
    for (;;) {
      const now = this.#clock.now();
      if (now < this.#blockedUntil) {
        await this.#clock.sleep(this.#blockedUntil - now);
        continue;
      }
      this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
      this.#last = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await this.#clock.sleep(Math.ceil(((1 - this.#tokens) / this.#rate) * 1000));
    }
  }
}

/** One limiter per key (e.g. per shop), created on first use with the same settings. */
export class KeyedRateLimiter {
  readonly #limiters = new Map<string, RateLimiter>();
  readonly #make: () => RateLimiter;

  constructor(opts: { ratePerSec: number; burst?: number; clock?: Clock }) {
    this.#make = () => new RateLimiter(opts);
  }

  for(key: string): RateLimiter {
    let limiter = this.#limiters.get(key);
    if (!limiter) {
      limiter = this.#make();
      this.#limiters.set(key, limiter);
    }
    return limiter;
  }
}
