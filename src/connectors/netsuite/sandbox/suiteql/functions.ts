/**
 * Scalar functions. Each takes already-evaluated arguments; NULL in, NULL out unless the function
 * exists to handle NULL (NVL, COALESCE...). BUILTIN.DF is compiled separately (it needs to know
 * which column it reads), and aggregates live in aggregates.ts.
 */
import { mustDec, simplify } from './arithmetic.ts';
import { formatWithFormat, parseIsoInstant, parseWithFormat } from './dates.ts';
import { decRound } from './decimal.ts';
import { invalidValue } from './errors.ts';
import { isDate, isDec, toInstant, toText, type Value } from './values.ts';

export interface FunctionEnv {
  readonly now: () => number;
}

interface ScalarFunction {
  readonly min: number;
  readonly max: number;
  readonly fn: (args: readonly Value[], env: FunctionEnv) => Value;
}

const nullIn =
  (fn: (args: readonly Value[], env: FunctionEnv) => Value) =>
  (args: readonly Value[], env: FunctionEnv): Value =>
    args.some((a) => a === null) ? null : fn(args, env);

function toDate(args: readonly Value[]): Value {
  const [v, fmt] = args;
  if (v === null || v === undefined) return null;
  if (isDate(v)) return v;
  const text = toText(v).trim();
  if (fmt !== undefined && fmt !== null) return { kind: 'date', ms: parseWithFormat(text, toText(fmt)) };
  const ms = parseIsoInstant(text);
  if (ms === undefined) throw invalidValue(`Unparseable date '${text}'`);
  return { kind: 'date', ms };
}

function toChar(args: readonly Value[]): Value {
  const [v, fmt] = args;
  if (v === null || v === undefined) return null;
  if (fmt === undefined || fmt === null) return toText(v);
  if (typeof v === 'number' || isDec(v))
    throw invalidValue(`Number formats in TO_CHAR are not supported: '${toText(fmt)}'`);
  return formatWithFormat(toInstant(v), toText(fmt));
}

/** ROUND / TRUNC on numbers, or TRUNC(date) to midnight UTC. */
function roundOrTrunc(truncate: boolean) {
  return nullIn((args) => {
    const [v, places] = args;
    if (
      isDate(v!) ||
      (truncate && typeof v === 'string' && parseIsoInstant(v) !== undefined && places === undefined)
    ) {
      const ms = toInstant(v!);
      return { kind: 'date', ms: ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000) };
    }
    const p = places === undefined ? 0 : toInt(places);
    return simplify(decRound(mustDec(v!), p, truncate));
  });
}

/** Integer arguments (places, positions): decimals are truncated as Oracle does. */
function toInt(v: Value): number {
  const n = simplify(decRound(mustDec(v), 0, true));
  if (typeof n !== 'number') throw invalidValue(`Integer argument out of range: '${toText(v)}'`);
  return n;
}

function substr(args: readonly Value[]): Value {
  const text = toText(args[0]!);
  const start = toInt(args[1]!);
  const from = start > 0 ? start - 1 : start < 0 ? Math.max(text.length + start, 0) : 0;
  const length = args[2] === undefined ? undefined : toInt(args[2]);
  const out = length === undefined ? text.slice(from) : text.slice(from, from + Math.max(length, 0));
  // Oracle has no empty string: '' is NULL.
  return out === '' ? null : out;
}

export const SCALAR_FUNCTIONS: Readonly<Record<string, ScalarFunction>> = {
  NVL: { min: 2, max: 2, fn: ([a, b]) => (a === null ? b! : a!) },
  NVL2: { min: 3, max: 3, fn: ([a, b, c]) => (a === null ? c! : b!) },
  COALESCE: { min: 1, max: 64, fn: (args) => args.find((a) => a !== null) ?? null },
  NULLIF: {
    min: 2,
    max: 2,
    fn: ([a, b]) => (a !== null && b !== null && toText(a!) === toText(b!) ? null : a!),
  },
  UPPER: { min: 1, max: 1, fn: nullIn(([a]) => toText(a!).toUpperCase()) },
  LOWER: { min: 1, max: 1, fn: nullIn(([a]) => toText(a!).toLowerCase()) },
  TRIM: { min: 1, max: 1, fn: nullIn(([a]) => toText(a!).trim() || null) },
  LENGTH: { min: 1, max: 1, fn: nullIn(([a]) => toText(a!).length) },
  SUBSTR: { min: 2, max: 3, fn: nullIn(substr) },
  CONCAT: { min: 2, max: 2, fn: ([a, b]) => (a === null && b === null ? null : toText(a!) + toText(b!)) },
  ABS: { min: 1, max: 1, fn: nullIn(([a]) => simplify(absDec(a!))) },
  ROUND: { min: 1, max: 2, fn: roundOrTrunc(false) },
  TRUNC: { min: 1, max: 2, fn: roundOrTrunc(true) },
  TO_NUMBER: { min: 1, max: 1, fn: nullIn(([a]) => simplify(mustDec(a!))) },
  TO_CHAR: { min: 1, max: 2, fn: toChar },
  TO_DATE: { min: 1, max: 2, fn: toDate },
  TO_TIMESTAMP: { min: 1, max: 2, fn: toDate },
  SYSDATE: { min: 0, max: 0, fn: (_args, env) => ({ kind: 'date', ms: env.now() }) },
};

function absDec(v: Value) {
  const d = mustDec(v);
  return d.unscaled < 0n ? { kind: 'dec' as const, unscaled: -d.unscaled, scale: d.scale } : d;
}
