/**
 * Money as integer minor units (bigint) with an ISO 4217 currency; decimal strings at the edges.
 * Never a float: parsing goes character by character, and a missing amount is an error, not 0.
 */
import { AppError } from './errors.ts';

export interface Money {
  readonly minor: bigint;
  readonly currency: string;
}

/** Minor-unit exponent per currency (ISO 4217); default 2. */
const EXPONENTS: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, IDR: 0, CLP: 0, BHD: 3, KWD: 3, JOD: 3 };

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses a decimal string ("12.30", "-4", "0.5") into minor units; rejects extra precision. */
export function parseMoney(value: string | null | undefined, currency: string, field = 'amount'): Money {
  if (value === null || value === undefined || value.trim() === '') {
    throw new AppError(
      'validation_failed',
      `${field} is missing: an amount is required, not assumed to be 0`,
      {
        details: { field },
      },
    );
  }
  const m = DECIMAL.exec(value.trim());
  if (!m) {
    throw new AppError('validation_failed', `${field} "${value}" is not a decimal amount like "12.34"`, {
      details: { field, value },
    });
  }
  const exp = currencyExponent(currency);
  const frac = m[3] ?? '';
  if (frac.length > exp && /[^0]/.test(frac.slice(exp))) {
    throw new AppError(
      'validation_failed',
      `${field} "${value}" has more than ${exp} decimals for ${currency}`,
      {
        details: { field, value, currency },
      },
    );
  }
  const minor = BigInt(m[2]! + frac.slice(0, exp).padEnd(exp, '0'));
  return { minor: m[1] ? -minor : minor, currency: currency.toUpperCase() };
}

export function formatMoney(money: Money): string {
  const exp = currencyExponent(money.currency);
  const neg = money.minor < 0n;
  const digits = (neg ? -money.minor : money.minor).toString().padStart(exp + 1, '0');
  const whole = exp === 0 ? digits : digits.slice(0, -exp);
  const frac = exp === 0 ? '' : `.${digits.slice(-exp)}`;
  return `${neg ? '-' : ''}${whole}${frac}`;
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new AppError('validation_failed', `cannot combine ${a.currency} and ${b.currency} amounts`);
  }
}

export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { minor: a.minor + b.minor, currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { minor: a.minor - b.minor, currency: a.currency };
}

export function multiplyMoney(a: Money, quantity: number): Money {
  if (!Number.isInteger(quantity))
    throw new AppError('validation_failed', `quantity ${quantity} is not an integer`);
  return { minor: a.minor * BigInt(quantity), currency: a.currency };
}

export function zeroMoney(currency: string): Money {
  return { minor: 0n, currency: currency.toUpperCase() };
}

/**
 * Splits `total` across `weights` (integers) so the parts sum exactly to the total; the remainder
 * cents go to the largest weights first. Used to spread an order-level discount over lines.
 */
export function allocateMoney(total: Money, weights: readonly bigint[]): Money[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return weights.map(() => zeroMoney(total.currency));
  const parts = weights.map((w) => (total.minor * w) / sum);
  let rest = total.minor - parts.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, i) => ({ w, i }))
    .sort((x, y) => (y.w > x.w ? 1 : y.w < x.w ? -1 : x.i - y.i));
  const step = rest < 0n ? -1n : 1n;
  for (let k = 0; rest !== 0n; k = (k + 1) % order.length) {
    const idx = order[k]!.i;
    parts[idx] = parts[idx]! + step;
    rest -= step;
  }
  return parts.map((minor) => ({ minor, currency: total.currency }));
}
