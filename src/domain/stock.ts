/**
 * Stock arithmetic for the NetSuite -> TikTok push (docs/inventory.md). Pure: no I/O, integers only.
 *
 * - `sellable`: what TikTok may list = NetSuite available - reserved - buffer, floored at 0 and
 *   capped by the maximum listed quantity; excluded SKUs are not pushed, forced ones are 0.
 * - `nextListed`: the absolute number to write, never above what TikTok shows now plus the supply
 *   NetSuite genuinely added since the last applied evaluation (the absolute-write race, ADR 6).
 */

/** Units (`5`) or a percentage of available (`"10%"`, rounded up so the buffer never shrinks). */
export type Buffer = number | string;

export interface StockRules {
  buffer: Buffer;
  shopBuffers?: Readonly<Record<string, Buffer>>;
  skuBuffers?: Readonly<Record<string, Buffer>>;
  exclude?: readonly string[];
  forceZero?: readonly string[];
  maxListed?: number | undefined;
  shopMaxListed?: Readonly<Record<string, number>>;
}

/** TikTok's ceiling for a listed quantity (reference §5.3). */
export const TIKTOK_MAX_QUANTITY = 99_999;

export type SellableResult = { kind: 'exclude' } | { kind: 'push'; quantity: number; buffer: number };

/** The buffer in units for `available`: the SKU's, else the shop's, else the global one. */
export function bufferUnits(available: number, rules: StockRules, shopId: string, sku: string): number {
  const b = rules.skuBuffers?.[sku] ?? rules.shopBuffers?.[shopId] ?? rules.buffer;
  if (typeof b === 'number') return b;
  const m = /^(\d+)(?:\.(\d+))?%$/.exec(b);
  if (!m) throw new Error(`buffer "${b}" must be a whole number of units or a percentage like "10%"`);
  const frac = m[2] ?? '';
  const scale = 10n ** BigInt(frac.length);
  const pct = BigInt(m[1]!) * scale + BigInt(frac || '0');
  const base = BigInt(Math.max(0, available));
  const den = 100n * scale;
  return Number((base * pct + den - 1n) / den);
}

/** Sellable quantity for one SKU of one shop. */
export function sellable(
  input: { available: number; reserved: number; shopId: string; sku: string },
  rules: StockRules,
): SellableResult {
  const { available, reserved, shopId, sku } = input;
  if (rules.exclude?.includes(sku)) return { kind: 'exclude' };
  const buffer = bufferUnits(available, rules, shopId, sku);
  if (rules.forceZero?.includes(sku)) return { kind: 'push', quantity: 0, buffer };
  const cap = Math.min(
    rules.shopMaxListed?.[shopId] ?? TIKTOK_MAX_QUANTITY,
    rules.maxListed ?? TIKTOK_MAX_QUANTITY,
    TIKTOK_MAX_QUANTITY,
  );
  return { kind: 'push', quantity: Math.min(cap, Math.max(0, available - reserved - buffer)), buffer };
}

/** What the previous applied evaluation of this SKU saw (absent before the first one). */
export interface StockBaseline {
  /** NetSuite available - active reservations, unfloored, without buffer. */
  raw: number;
  /** Cumulative units ever reserved for the SKU (monotone counter). */
  reservedTotal: number;
  /** Cumulative units of TikTok cancellations (monotone counter). */
  cancelledTotal: number;
}

export interface StockObservation extends StockBaseline {
  /** The sellable target from `sellable`. */
  target: number;
  /** What TikTok lists right now (read just before the write). */
  current: number;
}

/**
 * The absolute quantity to write. TikTok's `current` already reflects every TikTok sale (also those
 * not yet reserved by us), so the safe value is `current` moved by what changed on NetSuite's side
 * only: delta(raw) + newly reserved units (TikTok's own sales, already in `current`) - cancelled units
 * TikTok restocked itself. Capped by the target; never below 0. Without a baseline: the target.
 */
export function nextListed(
  now: StockObservation,
  before: StockBaseline | undefined,
  opts: { tiktokRestocksOnCancel: boolean },
): { quantity: number; supplyDelta: number | null } {
  if (!before) return { quantity: now.target, supplyDelta: null };
  const restocked = opts.tiktokRestocksOnCancel ? now.cancelledTotal - before.cancelledTotal : 0;
  const supplyDelta = now.raw - before.raw + (now.reservedTotal - before.reservedTotal) - restocked;
  const quantity = Math.max(0, Math.min(now.target, now.current + supplyDelta));
  return { quantity, supplyDelta };
}
