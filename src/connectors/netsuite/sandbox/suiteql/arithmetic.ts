/** + - * / and || over the value model: exact decimals, and Oracle date arithmetic in days. */
import type { ArithmeticOp } from './ast.ts';
import {
  type Dec,
  decAdd,
  decDivide,
  decFromNumber,
  decMultiply,
  decNegate,
  decToString,
} from './decimal.ts';
import { invalidValue } from './errors.ts';
import { isDate, toDec, toText, type Value } from './values.ts';

const DAY_MS = 86_400_000;

export function mustDec(v: Value): Dec {
  const d = toDec(v);
  if (!d) throw invalidValue(`Invalid number '${toText(v)}'`);
  return d;
}

/** A decimal result as a plain number when that is exact (small integers), else kept exact. */
export function simplify(d: Dec): Value {
  if (d.scale === 0 && d.unscaled <= 9_007_199_254_740_991n && d.unscaled >= -9_007_199_254_740_991n) {
    return Number(d.unscaled);
  }
  return d;
}

export function negate(v: Value): Value {
  if (v === null) return null;
  if (typeof v === 'number') return -v;
  return simplify(decNegate(mustDec(v)));
}

export function arithmetic(op: ArithmeticOp, a: Value, b: Value): Value {
  // Oracle's || treats NULL as the empty string.
  if (op === '||') return a === null && b === null ? null : toText(a) + toText(b);
  if (a === null || b === null) return null;
  if (isDate(a) || isDate(b)) return dateArithmetic(op, a, b);
  if (typeof a === 'number' && typeof b === 'number' && op !== '/') {
    const r = op === '+' ? a + b : op === '-' ? a - b : a * b;
    if (Number.isSafeInteger(r) && Number.isSafeInteger(a) && Number.isSafeInteger(b)) return r;
  }
  const x = mustDec(a);
  const y = mustDec(b);
  if (op === '+') return simplify(decAdd(x, y));
  if (op === '-') return simplify(decAdd(x, decNegate(y)));
  if (op === '*') return simplify(decMultiply(x, y));
  return simplify(decDivide(x, y));
}

/** date ± days -> date; date - date -> days (fractional), as Oracle DATE arithmetic. */
function dateArithmetic(op: ArithmeticOp, a: Value, b: Value): Value {
  if (isDate(a) && isDate(b) && op === '-') {
    return simplify(decDivide(decFromNumber(a.ms - b.ms), decFromNumber(DAY_MS)));
  }
  if (isDate(a) && !isDate(b) && (op === '+' || op === '-')) {
    const days = mustDec(b);
    // Day offsets are not money: milliseconds as a float are exact enough here.
    const ms = Math.round(Number(decToString(days)) * DAY_MS);
    const at = op === '+' ? a.ms + ms : a.ms - ms;
    // Oracle ORA-01841; without it the row read "NaN/NaN/NaN" and compared as a real date.
    if (Number.isNaN(new Date(at).getTime()))
      throw invalidValue(`Date out of range: ${toText(a)} ${op} ${decToString(days)} days`);
    return { kind: 'date', ms: at };
  }
  if (isDate(b) && !isDate(a) && op === '+') return dateArithmetic(op, b, a);
  throw invalidValue(`Invalid date arithmetic: ${toText(a)} ${op} ${toText(b)}`);
}
