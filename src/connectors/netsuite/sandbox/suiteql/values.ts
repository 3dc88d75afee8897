/**
 * The engine's value model and comparison rules. The sandbox's rows carry no column types, so
 * types are inferred from values, following Oracle where it is unambiguous:
 * - JS numbers, and decimals produced by arithmetic, compare numerically (exactly, never as floats);
 * - a string compared with a number is read as a decimal;
 * - two strings compare as numbers only when both are written canonically ('100' vs '99'), so
 *   codes with leading zeros ('00123') stay text; as instants when both are ISO dates; else as text;
 * - a date (TO_DATE, SYSDATE) compared with a string parses the string as an ISO date.
 * Booleans in rows are NetSuite's 'T' / 'F'. Predicates yield JS booleans or null (unknown).
 */

import { formatIso, looksLikeIsoDate, parseIsoInstant, type SqlDate } from './dates.ts';
import {
  alignSmall,
  type Dec,
  decCompare,
  decFromNumber,
  decToString,
  isCanonicalDecimal,
  parseDecimal,
  parseSmallDecimal,
  trimDec,
} from './decimal.ts';
import { invalidValue } from './errors.ts';

export type Value = string | number | boolean | Dec | SqlDate | null;

/** A row cell as the engine sees it. */
export function fromRow(raw: unknown): Value {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string' || typeof raw === 'number') return raw;
  if (typeof raw === 'boolean') return raw ? 'T' : 'F';
  if (typeof raw === 'bigint') return { kind: 'dec', unscaled: raw, scale: 0 };
  if (raw instanceof Date) return { kind: 'date', ms: raw.getTime() };
  return JSON.stringify(raw) ?? null;
}

export function isDec(v: Value): v is Dec {
  return typeof v === 'object' && v !== null && v.kind === 'dec';
}

export function isDate(v: Value): v is SqlDate {
  return typeof v === 'object' && v !== null && v.kind === 'date';
}

/** Numeric reading of a value, or undefined when it is not a number. */
export function toDec(v: Value): Dec | undefined {
  if (typeof v === 'number') return decFromNumber(v);
  if (typeof v === 'string') return parseDecimal(v);
  if (isDec(v)) return v;
  return undefined;
}

export function toInstant(v: Value): number {
  if (isDate(v)) return v.ms;
  if (typeof v === 'string') {
    const ms = parseIsoInstant(v.trim());
    if (ms !== undefined) return ms;
  }
  throw invalidValue(`Unparseable date '${toText(v)}'`);
}

/** Text form of a value: what TO_CHAR, LIKE, || and the JSON output see. */
export function toText(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (v.kind === 'dec') return decToString(v);
  return formatIso(v.ms);
}

function cmp<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Three-way comparison; undefined when either side is NULL (SQL's unknown). */
export function compareValues(a: Value, b: Value): number | undefined {
  if (a === null || b === null) return undefined;
  if (typeof a === 'number' && typeof b === 'number') return cmp(a, b);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'number' && typeof b === 'string') return compareNumberText(a, b);
  if (typeof a === 'string' && typeof b === 'number') return -compareNumberText(b, a);
  if (isDate(a) || isDate(b)) return cmp(toInstant(a), toInstant(b));
  const x = toDec(a);
  const y = toDec(b);
  if (x && y) return decCompare(x, y);
  return cmp(toText(a), toText(b));
}

/** A number against a string (e.g. a bound '5' against a quantity): the string read as a decimal. */
function compareNumberText(n: number, text: string): number {
  const small = Number.isSafeInteger(n) ? parseSmallDecimal(text) : undefined;
  const aligned = small && alignSmall({ units: n, scale: 0 }, small);
  if (aligned) return cmp(aligned[0], aligned[1]);
  const d = parseDecimal(text);
  return d ? decCompare(decFromNumber(n), d) : cmp(String(n), text);
}

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  if (isCanonicalDecimal(a) && isCanonicalDecimal(b)) return compareDecimalText(a, b);
  if (looksLikeIsoDate(a) && looksLikeIsoDate(b)) return cmp(parseIsoInstant(a)!, parseIsoInstant(b)!);
  return cmp(a, b);
}

function compareDecimalText(a: string, b: string): number {
  const x = parseSmallDecimal(a);
  const y = parseSmallDecimal(b);
  const aligned = x && y && alignSmall(x, y);
  return aligned ? cmp(aligned[0], aligned[1]) : decCompare(parseDecimal(a)!, parseDecimal(b)!);
}

/**
 * A string that is equal for values comparing equal under compareValues, used for hash joins,
 * GROUP BY and DISTINCT. undefined for NULL (NULL never joins). Non-canonical numeric strings
 * ('007') key as text, matching the string-vs-string rule above.
 */
export function hashKey(v: Value): string | undefined {
  if (v === null) return undefined;
  if (typeof v === 'number') {
    return Number.isSafeInteger(v) ? `n${v}` : `n${decToString(trimDec(decFromNumber(v)))}`;
  }
  if (typeof v === 'string') {
    if (isCanonicalDecimal(v)) return `n${canonicalText(v)}`;
    if (looksLikeIsoDate(v)) return `d${parseIsoInstant(v)}`;
    return `s${v}`;
  }
  if (typeof v === 'boolean') return v ? 'sT' : 'sF';
  if (v.kind === 'dec') return `n${decToString(trimDec(v))}`;
  return `d${v.ms}`;
}

/** '12.50' -> '12.5', '3.0' -> '3', '-0' -> '0': the text of a canonical decimal, without bigints. */
function canonicalText(text: string): string {
  let end = text.length;
  if (text.includes('.')) {
    while (text.charCodeAt(end - 1) === 48) end--;
    if (text.charCodeAt(end - 1) === 46) end--;
  }
  const out = end === text.length ? text : text.slice(0, end);
  return out === '-0' ? '0' : out;
}

/** SQL truth: only `true` passes a WHERE / ON / HAVING. */
export function truth(v: Value): boolean | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return v;
  throw invalidValue(`Expected a condition but found the value '${toText(v)}'`);
}
