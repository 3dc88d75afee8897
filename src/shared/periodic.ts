/**
 * A task run every few seconds in the background (a poller, a check): one round at a time, the next
 * `intervalMs()` after the last ended, at once on `wake()` (or right after the round in progress),
 * backing off after failures (doubling, capped at a minute) when `backoff` is on. A round that throws
 * is reported to `onError` and the loop goes on.
 */
export interface PeriodicOptions {
  round: () => Promise<unknown>;
  intervalMs: () => number;
  onError: (err: unknown) => void;
  /** Double the wait after each failed round in a row (up to 60 s). */
  backoff?: boolean;
}

export class Periodic {
  readonly #o: PeriodicOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  #failures = 0;

  constructor(o: PeriodicOptions) {
    this.#o = o;
  }

  start(): void {
    this.#stopped = false;
    this.wake();
  }

  /** Stops scheduling and waits up to `graceMs` for the round in progress. */
  async stop(graceMs = 5000): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => {
      timer = setTimeout(r, graceMs);
    });
    await Promise.race([this.#running, grace]);
    clearTimeout(timer);
  }

  /** Runs a round now, or right after the current one. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#round().finally(() => {
      this.#running = undefined;
      const base = this.#o.intervalMs();
      const wait = this.#o.backoff && this.#failures ? Math.min(60_000, base * 2 ** this.#failures) : base;
      if (!this.#stopped) this.#timer = setTimeout(() => this.wake(), this.#again ? 0 : wait);
      this.#again = false;
    });
  }

  async #round(): Promise<void> {
    try {
      await this.#o.round();
      this.#failures = 0;
    } catch (err) {
      this.#failures++;
      this.#o.onError(err);
    }
  }
}
