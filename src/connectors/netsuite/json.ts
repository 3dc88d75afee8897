/**
 * JSON at the NetSuite boundary without floats. NetSuite sends amounts and quantities as JSON
 * numbers (reference section 4.12); JSON.parse would turn 19.99 into a binary float. We read every
 * number as its exact source text instead, and write decimals back as raw JSON number literals.
 */

import { parseOutsideJson } from '../../shared/json.ts';

declare const rawJsonBrand: unique symbol;
/** A JSON number literal carried exactly (Node's JSON.rawJSON); build with `nsDecimal`. */
export interface NsDecimal {
  readonly [rawJsonBrand]: true;
}

declare global {
  interface JSON {
    rawJSON(text: string): NsDecimal;
    isRawJSON(value: unknown): value is NsDecimal;
  }
}

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** A decimal string ("19.99", "-3", "0.5") as a JSON number that serialises to the same digits. */
export function nsDecimal(value: string): NsDecimal {
  if (!DECIMAL.test(value)) throw new RangeError(`"${value}" is not a decimal like "12.34"`);
  return JSON.rawJSON(value);
}

export function isNsDecimal(value: unknown): value is NsDecimal {
  return JSON.isRawJSON(value);
}

/** The decimal digits an NsDecimal carries ("19.99"). */
export function decimalText(value: NsDecimal): string {
  return JSON.stringify(value);
}

/**
 * Parses JSON text; every number becomes the string of its source digits (no float ever), every
 * string is storable (shared/json.ts: a NUL or a lone surrogate is kept as visible escape text).
 */
export function parseNsJson(text: string): unknown {
  return parseOutsideJson(text, (_key, value, context) =>
    typeof value === 'number' ? (context?.source ?? String(value)) : value,
  );
}

/** Serialises a body; NsDecimal values are written as raw number literals. */
export function stringifyNs(value: unknown): string {
  return JSON.stringify(value);
}

/** Normalises a decimal string: strips a leading '+', redundant zeros ("019.50" -> "19.5"). */
export function normalizeDecimal(value: string): string {
  const m = /^([+-])?0*(\d+?)(?:\.(\d*?)0*)?$/.exec(value.trim());
  if (!m) throw new RangeError(`"${value}" is not a decimal`);
  const whole = m[2] ?? '0';
  const frac = m[3] ?? '';
  const neg = m[1] === '-' && !(/^0*$/.test(whole) && /^0*$/.test(frac));
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}
