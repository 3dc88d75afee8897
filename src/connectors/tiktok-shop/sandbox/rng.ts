/** Seeded randomness and id factories: the sandbox is deterministic given a seed. */

/** mulberry32: small, fast, good enough for simulation. */
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

/**
 * Numeric-string ids of 18-19 digits like TikTok's (reference Appendix A.4): a per-kind prefix, a
 * per-seed offset and a counter, so ids are unique, deterministic and sort by creation.
 */
export class IdFactory {
  readonly #counters = new Map<string, number>();
  readonly #offset: bigint;

  constructor(random: () => number) {
    this.#offset = BigInt(Math.floor(random() * 1e9)) * 1_000_000n;
  }

  next(prefix: number): string {
    const n = (this.#counters.get(String(prefix)) ?? 0) + 1;
    this.#counters.set(String(prefix), n);
    return `${prefix}${(this.#offset + BigInt(n)).toString().padStart(16, '0')}`;
  }
}

/** Opaque token-ish strings (access tokens, ciphers) from the seeded generator. */
export function randomToken(random: () => number, prefix: string, length = 32): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = prefix;
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

export const ID_PREFIX = {
  shop: 749,
  product: 172,
  sku: 272,
  warehouse: 706,
  order: 576,
  line: 577,
  package: 115,
  return: 403,
  returnLine: 404,
  cancel: 405,
  cancelLine: 406,
  statement: 723,
  payment: 345,
  transaction: 724,
  notification: 732,
  provider: 711,
  deliveryOption: 709,
  buyer: 702,
  adjustment: 725,
  unsettled: 726,
  reserve: 727,
} as const;
