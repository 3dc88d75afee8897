/**
 * Concurrency governance, latency and faults (reference section 6.3): at most `concurrency`
 * requests in flight per account, the excess answered 429 at once; a latency model per operation
 * scaled by `timeScale`; seeded fault switches. Counters feed GET /_sandbox/stats.
 */
import { seededRandom } from './clock.ts';
import type { SandboxSettings } from './settings.ts';

export type Operation = 'read' | 'write' | 'delete' | 'transform' | 'query' | 'token' | 'list';

/** Share of the sales-order save time (`latency.baseMs`) each operation takes. */
const FACTORS: Record<Operation, number> = {
  write: 1,
  transform: 0.8,
  delete: 0.4,
  read: 0.25,
  list: 0.25,
  query: 0.4,
  token: 0.1,
};

export interface Stats {
  requests: number;
  rejected_429: number;
  max_in_flight: number;
  in_flight: number;
  by_type: Record<string, number>;
  faults: { error_5xx: number; dropped_after_commit: number; locked: number };
}

export class Governance {
  #inFlight = 0;
  #stats: Stats = emptyStats();
  #random: () => number;
  readonly #settings: () => SandboxSettings;

  constructor(settings: () => SandboxSettings) {
    this.#settings = settings;
    this.#random = seededRandom(settings().seed);
  }

  /** Admits a request or reports that it must be refused with 429. */
  enter(kind: string): boolean {
    this.#stats.requests++;
    this.#stats.by_type[kind] = (this.#stats.by_type[kind] ?? 0) + 1;
    if (this.#inFlight >= this.#settings().concurrency) {
      this.#stats.rejected_429++;
      return false;
    }
    this.#inFlight++;
    this.#stats.max_in_flight = Math.max(this.#stats.max_in_flight, this.#inFlight);
    return true;
  }

  leave(): void {
    this.#inFlight--;
  }

  latencyMs(op: Operation, lines: number): number {
    const l = this.#settings().latency;
    const extra = op === 'query' ? this.#settings().faults.slowSuiteqlMs : 0;
    const base = l.baseMs * FACTORS[op] + l.perLineMs * lines + extra;
    const jitter = l.jitter > 0 ? base * l.jitter * (this.#random() * 2 - 1) : 0;
    return Math.max(0, (base + jitter) * l.timeScale);
  }

  fail5xx(): boolean {
    const rate = this.#settings().faults.error5xxRate;
    const hit = rate > 0 && this.#random() < rate;
    if (hit) this.#stats.faults.error_5xx++;
    return hit;
  }

  /** Whether this committed write should lose its answer (consumes one `dropAfterCommitNext`). */
  dropAfterCommit(): boolean {
    const f = this.#settings().faults;
    let hit = false;
    if (f.dropAfterCommitNext > 0) {
      f.dropAfterCommitNext--;
      hit = true;
    } else hit = f.dropAfterCommitRate > 0 && this.#random() < f.dropAfterCommitRate;
    if (hit) this.#stats.faults.dropped_after_commit++;
    return hit;
  }

  locked(type: string, id: string): boolean {
    const f = this.#settings().faults;
    const hit =
      f.lockedRecords.includes(`${type}:${id}`) || (f.lockedRate > 0 && this.#random() < f.lockedRate);
    if (hit) this.#stats.faults.locked++;
    return hit;
  }

  stats(): Stats {
    return {
      ...this.#stats,
      in_flight: this.#inFlight,
      by_type: { ...this.#stats.by_type },
      faults: { ...this.#stats.faults },
    };
  }

  resetStats(): void {
    this.#stats = emptyStats();
  }

  reseed(seed: number): void {
    this.#random = seededRandom(seed);
  }
}

function emptyStats(): Stats {
  return {
    requests: 0,
    rejected_429: 0,
    max_in_flight: 0,
    in_flight: 0,
    by_type: {},
    faults: { error_5xx: 0, dropped_after_commit: 0, locked: 0 },
  };
}
