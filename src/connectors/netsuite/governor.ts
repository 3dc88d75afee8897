/**
 * Concurrency governor: NetSuite limits requests *in flight* per account, not requests per second,
 * and rejects the excess with 429 instead of queueing it (reference section 6.1). Every client of
 * one account in this process shares one governor, so the account's allocation is never exceeded
 * whatever the number of flows. On 429 (another process or integration using the pool) the
 * effective limit steps down and new work pauses briefly; it grows back after runs of successes.
 *
 * ConcurrencyGovernor is an interface so a later implementation can share the count across
 * processes (e.g. PostgreSQL advisory locks or a lease table) without changing the client.
 */
import { type Clock, systemClock } from '../../shared/clock.ts';

export type PermitOutcome = 'ok' | 'throttled' | 'error';

export interface Permit {
  /** Gives the slot back and reports how the request went (drives the adaptive limit). */
  release(outcome: PermitOutcome): void;
}

export interface GovernorStats {
  allocation: number;
  effectiveLimit: number;
  inFlight: number;
  waiting: number;
  maxInFlight: number;
  throttled: number;
  acquired: number;
  /** Total time slots were held, in ms: busyMs / (allocation x elapsed) is the utilisation. */
  busyMs: number;
}

export interface ConcurrencyGovernor {
  /** Waits for a slot for `account` (FIFO). Rejects if `signal` aborts while waiting. */
  acquire(account: string, signal?: AbortSignal): Promise<Permit>;
  stats(account: string): GovernorStats;
}

interface AccountState {
  allocation: number;
  effective: number;
  inFlight: number;
  successes: number;
  /** Lowest level that drew a 429 since the last successful probe. */
  ceiling: number;
  pausedUntil: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  queue: Array<{ grant: (permit: Permit) => void }>;
  stats: { maxInFlight: number; throttled: number; acquired: number; busyMs: number };
}

export interface InProcessGovernorOptions {
  /** Allocation per account; `allocationFor` may override per account. */
  allocation: number;
  allocationFor?: (account: string) => number | undefined;
  /** Pause after a 429 before granting new slots. */
  throttlePauseMs?: number;
  clock?: Clock;
}

export class InProcessGovernor implements ConcurrencyGovernor {
  readonly #accounts = new Map<string, AccountState>();
  readonly #opts: InProcessGovernorOptions;
  readonly #clock: Clock;

  constructor(opts: InProcessGovernorOptions) {
    if (!(opts.allocation >= 1)) throw new RangeError('allocation must be >= 1');
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
  }

  acquire(account: string, signal?: AbortSignal): Promise<Permit> {
    const state = this.#state(account);
    return new Promise<Permit>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const waiter = { grant: (permit: Permit) => resolve(permit) };
      state.queue.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const i = state.queue.indexOf(waiter);
          if (i >= 0) {
            state.queue.splice(i, 1);
            reject(signal.reason);
          }
        },
        { once: true },
      );
      this.#pump(state);
    });
  }

  /** Changes an account's allocation; a lower one applies as slots free up. */
  setAllocation(account: string, allocation: number): void {
    if (!(allocation >= 1)) throw new RangeError('allocation must be >= 1');
    const state = this.#state(account);
    state.allocation = allocation;
    state.effective = Math.min(state.effective, allocation);
    if (state.effective < 1) state.effective = 1;
    this.#pump(state);
  }

  stats(account: string): GovernorStats {
    const s = this.#state(account);
    return {
      allocation: s.allocation,
      effectiveLimit: s.effective,
      inFlight: s.inFlight,
      waiting: s.queue.length,
      ...s.stats,
    };
  }

  #state(account: string): AccountState {
    let state = this.#accounts.get(account);
    if (!state) {
      const allocation = this.#opts.allocationFor?.(account) ?? this.#opts.allocation;
      state = {
        allocation,
        effective: allocation,
        inFlight: 0,
        successes: 0,
        ceiling: allocation + 1,
        pausedUntil: 0,
        timer: undefined,
        queue: [],
        stats: { maxInFlight: 0, throttled: 0, acquired: 0, busyMs: 0 },
      };
      this.#accounts.set(account, state);
    }
    return state;
  }

  #pump(state: AccountState): void {
    const wait = state.pausedUntil - this.#clock.now();
    if (wait > 0) {
      state.timer ??= setTimeout(() => {
        state.timer = undefined;
        this.#pump(state);
      }, wait);
      return;
    }
    while (state.inFlight < state.effective && state.queue.length > 0) {
      const waiter = state.queue.shift()!;
      state.inFlight++;
      state.stats.acquired++;
      state.stats.maxInFlight = Math.max(state.stats.maxInFlight, state.inFlight);
      waiter.grant(this.#permit(state));
    }
  }

  #permit(state: AccountState): Permit {
    let released = false;
    const granted = this.#clock.now();
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        state.stats.busyMs += this.#clock.now() - granted;
        state.inFlight--;
        this.#adapt(state, outcome);
        this.#pump(state);
      },
    };
  }

  /**
   * Additive increase, decrease by one per 429: each 429 means one request too many was in flight
   * (a burst of k rejections steps down k). The level that drew a 429 becomes a ceiling that is
   * probed again only after a long run of successes; new grants pause briefly after a 429.
   */
  #adapt(state: AccountState, outcome: PermitOutcome): void {
    if (outcome === 'throttled') {
      state.stats.throttled++;
      state.successes = 0;
      state.ceiling = Math.min(state.ceiling, state.effective);
      state.effective = Math.max(1, state.effective - 1);
      state.pausedUntil = this.#clock.now() + (this.#opts.throttlePauseMs ?? 50);
      return;
    }
    if (outcome !== 'ok' || state.effective >= state.allocation) return;
    state.successes++;
    const probing = state.effective + 1 >= state.ceiling;
    if (state.successes >= (probing ? 25 : 4) * state.effective) {
      state.effective++;
      state.successes = 0;
      if (probing) state.ceiling = state.allocation + 1;
    }
  }
}

let shared: InProcessGovernor | undefined;

/**
 * The process-wide governor: every client of an account in this process draws from one budget,
 * whatever flow built it. Passing an allocation sets (or changes) that account's budget.
 */
export function processGovernor(account?: string, allocation?: number): ConcurrencyGovernor {
  shared ??= new InProcessGovernor({ allocation: 5 });
  if (account !== undefined && allocation !== undefined) shared.setAllocation(account, allocation);
  return shared;
}
