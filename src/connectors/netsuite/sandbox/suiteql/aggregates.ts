/**
 * COUNT / SUM / MIN / MAX / AVG over a group of tuples. SUM stays in JS integers while that is
 * exact (quantities) and switches to bigint-scaled decimals otherwise (money strings), so a sum of
 * '0.10' + '0.20' is exactly '0.30'.
 */
import { arithmetic, mustDec, simplify } from './arithmetic.ts';
import type { Expr } from './ast.ts';
import { alignSmall, type Dec, decAdd, parseSmallDecimal, type SmallDec } from './decimal.ts';
import type { Group, Tuple } from './eval-types.ts';
import { compareValues, hashKey, type Value } from './values.ts';
import { some } from './walk.ts';

export const AGGREGATES: ReadonlySet<string> = new Set(['COUNT', 'SUM', 'MIN', 'MAX', 'AVG']);

export function containsAggregate(expr: Expr): boolean {
  return some(expr, (e) => e.kind === 'call' && AGGREGATES.has(e.name));
}

type ArgEval = (t: Tuple) => Value;

/** The non-null argument values of a group, de-duplicated for COUNT(DISTINCT x) and friends. */
function values(group: Group, arg: ArgEval, distinct: boolean): Value[] {
  const out: Value[] = [];
  const seen = distinct ? new Set<string>() : undefined;
  for (const tuple of group) {
    const v = arg(tuple);
    if (v === null) continue;
    if (seen) {
      const key = hashKey(v)!;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(v);
  }
  return out;
}

function small(v: Value): SmallDec | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? { units: v, scale: 0 } : undefined;
  return typeof v === 'string' ? parseSmallDecimal(v) : undefined;
}

function sumValues(vs: readonly Value[]): Value {
  if (vs.length === 0) return null;
  let acc: SmallDec = { units: 0, scale: 0 };
  let dec: Dec | undefined;
  for (const v of vs) {
    if (dec === undefined) {
      const s = small(v);
      const aligned = s && alignSmall(acc, s);
      const units = aligned ? aligned[0] + aligned[1] : Number.NaN;
      if (aligned && Number.isSafeInteger(units)) {
        acc = { units, scale: aligned[2] };
        continue;
      }
      dec = { kind: 'dec', unscaled: BigInt(acc.units), scale: acc.scale };
    }
    dec = decAdd(dec, mustDec(v));
  }
  // Keep the decimal's scale (SUM of '1.10' and '2.20' is '3.30'): money stays in money shape.
  const total = dec ?? { kind: 'dec', unscaled: BigInt(acc.units), scale: acc.scale };
  return total.scale === 0 ? simplify(total) : total;
}

function extreme(vs: readonly Value[], sign: 1 | -1): Value {
  let best: Value = null;
  for (const v of vs) {
    if (best === null || (compareValues(v, best) ?? 0) * sign > 0) best = v;
  }
  return best;
}

export function aggregate(name: string, group: Group, arg: ArgEval | undefined, distinct: boolean): Value {
  if (arg === undefined) return group.length; // COUNT(*)
  const vs = values(group, arg, distinct);
  switch (name) {
    case 'COUNT':
      return vs.length;
    case 'SUM':
      return sumValues(vs);
    case 'MIN':
      return extreme(vs, -1);
    case 'MAX':
      return extreme(vs, 1);
    default: {
      const total = sumValues(vs);
      return total === null ? null : arithmetic('/', total, vs.length);
    }
  }
}
