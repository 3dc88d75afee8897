/**
 * Exact decimal arithmetic on bigint-scaled integers. Money columns arrive as decimal strings and
 * must never pass through a float (STYLE.md, convention 5), so comparisons, SUM and arithmetic on
 * them go through here.
 */
import { invalidValue } from './errors.ts';

export interface Dec {
  readonly kind: 'dec';
  readonly unscaled: bigint;
  readonly scale: number;
}

const DECIMAL_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/**
 * Past every double (1e308, 5e-324) and Oracle NUMBER (1e126): numeric overflow (ORA-01426). An
 * unbounded exponent would make the bigint work behind it run without bound (a hung sandbox).
 */
const MAX_EXPONENT = 400;
/** The shape of a number written the usual way: no leading zeros, no exponent. */
const CANONICAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** True when a string should compare as a number against another string (e.g. '100' > '99'). */
export function isCanonicalDecimal(text: string): boolean {
  const c = text.charCodeAt(text.length - 1);
  return c >= 48 && c <= 57 && CANONICAL.test(text);
}

export function parseDecimal(text: string): Dec | undefined {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m) return undefined;
  const whole = m[2] ?? '';
  const frac = m[3] ?? '';
  if (whole === '' && frac === '') return undefined;
  let unscaled = BigInt(`${whole}${frac}` || '0');
  let scale = frac.length;
  const exp = m[4] ? Number.parseInt(m[4], 10) : 0;
  if (Math.abs(exp) > MAX_EXPONENT) throw invalidValue(`Numeric overflow: '${text.trim()}'`);
  if (exp > 0) {
    const shift = Math.min(exp, scale);
    scale -= shift;
    unscaled *= 10n ** BigInt(exp - shift);
  } else if (exp < 0) scale -= exp;
  return { kind: 'dec', unscaled: m[1] === '-' ? -unscaled : unscaled, scale };
}

export function decFromNumber(n: number): Dec {
  if (Number.isSafeInteger(n)) return { kind: 'dec', unscaled: BigInt(n), scale: 0 };
  if (!Number.isFinite(n)) throw invalidValue(`Invalid number ${n}`);
  // String(n) is the shortest text that reads back as n: the value the row author meant.
  return parseDecimal(String(n))!;
}

function rescale(d: Dec, scale: number): bigint {
  return d.unscaled * 10n ** BigInt(scale - d.scale);
}

export function decCompare(a: Dec, b: Dec): number {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function decAdd(a: Dec, b: Dec): Dec {
  const scale = Math.max(a.scale, b.scale);
  return { kind: 'dec', unscaled: rescale(a, scale) + rescale(b, scale), scale };
}

export function decNegate(a: Dec): Dec {
  return { kind: 'dec', unscaled: -a.unscaled, scale: a.scale };
}

export function decMultiply(a: Dec, b: Dec): Dec {
  return { kind: 'dec', unscaled: a.unscaled * b.unscaled, scale: a.scale + b.scale };
}

/** Division keeps 20 fractional digits (rounded half away from zero), then drops trailing zeros. */
export function decDivide(a: Dec, b: Dec): Dec {
  if (b.unscaled === 0n) throw invalidValue('Division by zero');
  const digits = 20;
  // a/b = (ua / 10^sa) / (ub / 10^sb); scale the numerator so the quotient has `digits` decimals.
  const num = a.unscaled * 10n ** BigInt(digits + 1 + b.scale);
  const den = b.unscaled * 10n ** BigInt(a.scale);
  let q = num / den;
  q = q >= 0n ? (q + 5n) / 10n : (q - 5n) / 10n;
  return trimDec({ kind: 'dec', unscaled: q, scale: digits });
}

export function trimDec(d: Dec): Dec {
  let { unscaled, scale } = d;
  while (scale > 0 && unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  return { kind: 'dec', unscaled, scale };
}

/** Rounds to `places` decimals, half away from zero (Oracle ROUND); negative places round left. */
export function decRound(d: Dec, places: number, truncate: boolean): Dec {
  if (d.scale <= places) return d;
  // Rounding left of every digit gives 0: answer it without raising 10 to a huge power (a hang).
  const digits = (d.unscaled < 0n ? -d.unscaled : d.unscaled).toString().length;
  if (d.scale - places > digits + 1) return { kind: 'dec', unscaled: 0n, scale: 0 };
  const factor = 10n ** BigInt(d.scale - places);
  let q = d.unscaled / factor;
  const rem = d.unscaled % factor;
  if (!truncate && (rem < 0n ? -rem : rem) * 2n >= factor) q += d.unscaled < 0n ? -1n : 1n;
  if (places >= 0) return { kind: 'dec', unscaled: q, scale: places };
  return { kind: 'dec', unscaled: q * 10n ** BigInt(-places), scale: 0 };
}

export function decToString(d: Dec): string {
  const neg = d.unscaled < 0n;
  const digits = (neg ? -d.unscaled : d.unscaled).toString();
  if (d.scale <= 0) return `${neg ? '-' : ''}${digits}${'0'.repeat(-d.scale)}`;
  const padded = digits.padStart(d.scale + 1, '0');
  return `${neg ? '-' : ''}${padded.slice(0, -d.scale)}.${padded.slice(-d.scale)}`;
}

/** A bigint key at a fixed scale, for sorting a whole column without re-aligning per comparison. */
export function decAtScale(d: Dec, scale: number): bigint {
  return rescale(d, scale);
}

/** A decimal whose digits fit a JS safe integer: integer `units` at `scale`. Exact, no floats. */
export interface SmallDec {
  readonly units: number;
  readonly scale: number;
}

export const POW10: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * The fast path for the common case (quantities, money with 2 decimals): parses digit by digit
 * into an integer, so the result is exact; undefined for anything longer than 15 digits or
 * not plainly written, which then takes the bigint path.
 */
export function parseSmallDecimal(text: string): SmallDec | undefined {
  const n = text.length;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  const neg = i === 1;
  let units = 0;
  let scale = 0;
  let digits = 0;
  let dot = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && !dot) {
      dot = true;
      continue;
    }
    if (c < 48 || c > 57 || ++digits > 15) return undefined;
    units = units * 10 + (c - 48);
    if (dot) scale++;
  }
  if (digits === 0) return undefined;
  return { units: neg ? -units : units, scale };
}

/** Both values at the larger scale, or undefined when that would leave the safe-integer range. */
export function alignSmall(a: SmallDec, b: SmallDec): [number, number, number] | undefined {
  const scale = Math.max(a.scale, b.scale);
  const x = a.units * POW10[scale - a.scale]!;
  const y = b.units * POW10[scale - b.scale]!;
  return Number.isSafeInteger(x) && Number.isSafeInteger(y) ? [x, y, scale] : undefined;
}
