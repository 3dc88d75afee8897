/**
 * The sandbox's business clock: runs at `speed` times real time from `startMs` and can be advanced
 * by hand; due business events (on-hold release, auto-collect, completion, daily settlement) run
 * when time passes them. Auth checks (timestamp window, token expiry) use the wall clock instead,
 * because clients sign with real time.
 */
import type { Clock } from '../../../shared/clock.ts';

interface Timer {
  at: number;
  seq: number;
  run: () => void;
}

export class SimClock {
  readonly #wall: Clock;
  readonly #speed: number;
  readonly #wallStart: number;
  readonly #start: number;
  #offset = 0;
  #seq = 0;
  /** Min-heap on (at, seq). */
  readonly #heap: Timer[] = [];
  #running = false;
  /** While a timer runs, time reads as its due time, so a 10-day jump stamps events correctly. */
  #pinned: number | undefined;

  /** Called before each timer runs (the sandbox bumps its state revision there). */
  onRun: () => void = () => {};

  constructor(opts: { wall: Clock; startMs: number; speed: number }) {
    this.#wall = opts.wall;
    this.#speed = opts.speed;
    this.#wallStart = opts.wall.now();
    this.#start = opts.startMs;
  }

  now(): number {
    if (this.#pinned !== undefined) return this.#pinned;
    return this.#start + (this.#wall.now() - this.#wallStart) * this.#speed + this.#offset;
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Moves time forward and runs everything that became due, in time order. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('the simulated clock only moves forward');
    this.#offset += ms;
    this.tick();
  }

  at(ms: number, run: () => void): void {
    this.#push({ at: ms, seq: this.#seq++, run });
  }

  get pending(): number {
    return this.#heap.length;
  }

  /** Runs due timers. Re-entrant calls are ignored; timers may schedule more timers. */
  tick(): void {
    if (this.#running) return;
    this.#running = true;
    try {
      const now = this.now();
      for (let top = this.#heap[0]; top && top.at <= now; top = this.#heap[0]) {
        this.#pop();
        this.#pinned = top.at;
        this.onRun();
        top.run();
      }
    } finally {
      this.#pinned = undefined;
      this.#running = false;
    }
  }

  #push(t: Timer): void {
    const h = this.#heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && less(h[l]!, h[m]!)) m = l;
      if (r < h.length && less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

function less(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
