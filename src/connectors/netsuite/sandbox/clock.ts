/**
 * The sandbox clock: real time plus an offset an admin call can move, so a test can age tokens,
 * push a TBA timestamp out of its window or stamp records at a chosen time.
 */
export class SandboxClock {
  #offsetMs = 0;
  readonly #real: () => number;

  constructor(real: () => number = Date.now) {
    this.#real = real;
  }

  now(): number {
    return this.#real() + this.#offsetMs;
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }

  set(ms: number): void {
    this.#offsetMs = ms - this.#real();
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}

/** mulberry32: a tiny seeded PRNG so jitter and fault choices are reproducible from --seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** ISO-8601 UTC without milliseconds, as NetSuite prints datetimes (section 4.11). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
