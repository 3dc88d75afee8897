/**
 * Dates for TO_DATE / TO_TIMESTAMP / TO_CHAR and comparisons. Rows store dates as ISO strings;
 * everything here is UTC because the sandbox has no user time-zone preference (the real
 * account's zone is UNCONFIRMED in the reference, section 8.1, so clients use an overlap window).
 */
import { invalidValue } from './errors.ts';

export interface SqlDate {
  readonly kind: 'date';
  readonly ms: number;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Cheap pre-check so comparisons only run the full regex on strings that can be dates. */
export function looksLikeIsoDate(text: string): boolean {
  if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  return fastIso(text) !== undefined || ISO.test(text);
}

/** Digits of `text` from `at` to `at + width` as a number, or -1 if any is not a digit. */
function digitsAt(text: string, at: number, width: number): number {
  let n = 0;
  for (let i = at; i < at + width; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The forms the sandbox writes (`2026-03-14T10:00:00.000Z`, `...:00Z`, `2026-03-14`) without a
 * regex: sorting or filtering 50,000 rows on a date parses every value.
 */
function fastIso(text: string): number | undefined {
  const n = text.length;
  if (n !== 10 && n !== 20 && n !== 24) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  if (n === 10) return y < 0 || mo < 0 || d < 0 ? undefined : utc(y, mo, d, 0, 0, 0, 0);
  if (text.charCodeAt(10) !== 84 || text.charCodeAt(n - 1) !== 90) return undefined;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  if (n === 24 && text.charCodeAt(19) !== 46) return undefined;
  const parts = [y, mo, d, digitsAt(text, 11, 2), digitsAt(text, 14, 2), digitsAt(text, 17, 2)];
  const ms = n === 24 ? digitsAt(text, 20, 3) : 0;
  if (ms < 0 || parts.some((p) => p < 0)) return undefined;
  return utc(parts[0]!, parts[1]!, parts[2]!, parts[3]!, parts[4]!, parts[5]!, ms);
}

/** Milliseconds since the epoch for an ISO date or date-time; undefined when not one. */
export function parseIsoInstant(text: string): number | undefined {
  const fast = fastIso(text);
  if (fast !== undefined) return fast;
  const m = ISO.exec(text);
  if (!m) return undefined;
  const num = (s: string | undefined) => (s === undefined ? 0 : Number.parseInt(s, 10));
  const ms = m[7] === undefined ? 0 : num(m[7].padEnd(3, '0').slice(0, 3));
  const local = utc(num(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5]), num(m[6]), ms);
  if (local === undefined) return undefined;
  return local - zoneOffsetMs(m[8]);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return (
    sign * (Number.parseInt(digits.slice(0, 2), 10) * 60 + Number.parseInt(digits.slice(2), 10)) * 60_000
  );
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** Validated Date.UTC: rejects 2026-02-30 instead of rolling it over like Date does. */
function utc(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

/** Oracle datetime format elements we understand; anything else in a format is literal text. */
const FORMAT_TOKEN = /"[^"]*"|YYYY|MM|DD|HH24|HH12|HH|MI|SS|FF3|FF|AM|PM|[^A-Za-z"]+|[A-Za-z]/gi;
const KNOWN = new Set(['YYYY', 'MM', 'DD', 'HH24', 'HH12', 'HH', 'MI', 'SS', 'FF3', 'FF', 'AM', 'PM']);

function formatTokens(fmt: string): string[] {
  const tokens = fmt.match(FORMAT_TOKEN) ?? [];
  for (const t of tokens) {
    if (/^[A-Za-z]$/.test(t)) throw invalidValue(`Unsupported date format element '${t}' in '${fmt}'`);
  }
  return tokens;
}

const parseCache = new Map<string, { re: RegExp; fields: string[] }>();

function compileFormat(fmt: string): { re: RegExp; fields: string[] } {
  const cached = parseCache.get(fmt);
  if (cached) return cached;
  const fields: string[] = [];
  let source = '';
  for (const token of formatTokens(fmt)) {
    const upper = token.toUpperCase();
    if (KNOWN.has(upper)) {
      fields.push(upper === 'PM' ? 'AM' : upper);
      source +=
        upper === 'YYYY' ? '(\\d{4})' : upper === 'AM' || upper === 'PM' ? '([AaPp][Mm])' : '(\\d{1,3})';
    } else {
      const literal = token.startsWith('"') ? token.slice(1, -1) : token;
      source += literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const compiled = { re: new RegExp(`^\\s*${source}\\s*$`), fields };
  if (parseCache.size > 100) parseCache.clear();
  parseCache.set(fmt, compiled);
  return compiled;
}

/** TO_DATE / TO_TIMESTAMP: parses `text` with an Oracle format; missing parts default to 0 / 1. */
export function parseWithFormat(text: string, fmt: string): number {
  const { re, fields } = compileFormat(fmt);
  const m = re.exec(text);
  const fail = () => invalidValue(`Unparseable date '${text}' for format '${fmt}'`);
  if (!m) throw fail();
  const p = { y: 1970, mo: 1, d: 1, h: 0, mi: 0, s: 0, ms: 0 };
  let pm: boolean | undefined;
  fields.forEach((field, i) => {
    const text = m[i + 1]!;
    const v = Number.parseInt(text, 10);
    if (field === 'YYYY') p.y = v;
    else if (field === 'MM') p.mo = v;
    else if (field === 'DD') p.d = v;
    else if (field.startsWith('HH')) p.h = v;
    else if (field === 'MI') p.mi = v;
    else if (field === 'SS') p.s = v;
    else if (field.startsWith('FF')) p.ms = Number.parseInt(text.padEnd(3, '0').slice(0, 3), 10);
    else pm = text.toUpperCase() === 'PM';
  });
  if (pm !== undefined) {
    if (p.h < 1 || p.h > 12) throw fail();
    p.h = (p.h % 12) + (pm ? 12 : 0);
  }
  const t = utc(p.y, p.mo, p.d, p.h, p.mi, p.s, p.ms);
  if (t === undefined) throw fail();
  return t;
}

/** TO_CHAR(date, fmt) in UTC. */
export function formatWithFormat(ms: number, fmt: string): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const h = d.getUTCHours();
  let out = '';
  for (const token of formatTokens(fmt)) {
    const upper = token.toUpperCase();
    if (upper === 'YYYY') out += pad(d.getUTCFullYear(), 4);
    else if (upper === 'MM') out += pad(d.getUTCMonth() + 1);
    else if (upper === 'DD') out += pad(d.getUTCDate());
    else if (upper === 'HH24') out += pad(h);
    else if (upper === 'HH' || upper === 'HH12') out += pad(h % 12 === 0 ? 12 : h % 12);
    else if (upper === 'MI') out += pad(d.getUTCMinutes());
    else if (upper === 'SS') out += pad(d.getUTCSeconds());
    else if (upper.startsWith('FF')) out += pad(d.getUTCMilliseconds(), 3);
    else if (upper === 'AM' || upper === 'PM') out += h < 12 ? 'AM' : 'PM';
    else out += token.startsWith('"') ? token.slice(1, -1) : token;
  }
  return out;
}

/** How a date value leaves the engine when selected without TO_CHAR: an ISO instant. */
export function formatIso(ms: number): string {
  return new Date(ms).toISOString();
}
