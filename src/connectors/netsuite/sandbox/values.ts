/**
 * The sandbox's value model. Request JSON is read with every number kept as its source text
 * (NumLit), so amounts are never floats; stored amounts are Dec, references Ref, and the renderer
 * writes Dec back as exact JSON number literals.
 */

/** A JSON number as written by the client. */
export class NumLit {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** A stored decimal amount (canonical text). */
export class Dec {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** A stored reference to another record (`{ id }` on the wire, refName added on output). */
export class Ref {
  readonly id: string;
  constructor(id: string) {
    this.id = id;
  }
}

/**
 * A stored multi-select reference (e.g. an item's `subsidiary`, reference section 7.3): a
 * collection `{ items: [ { id } ] }` on the wire, rendered like a sublist.
 */
export class RefList {
  readonly ids: readonly string[];
  constructor(ids: readonly string[]) {
    this.ids = ids;
  }
}

/** Every id a reference value points at: one for a Ref, all for a RefList. */
export function refIds(v: unknown): readonly string[] {
  if (v instanceof Ref) return [v.id];
  if (v instanceof RefList) return v.ids;
  return [];
}

/** A stored enumeration value `{ id, refName }`. */
export class Enum {
  readonly id: string;
  readonly refName: string;
  constructor(id: string, refName: string) {
    this.id = id;
    this.refName = refName;
  }
}

export type Value =
  | string
  | number
  | boolean
  | null
  | NumLit
  | Dec
  | Ref
  | RefList
  | Enum
  | Value[]
  | { [k: string]: Value };
export type Fields = Record<string, Value>;

/** Parses request JSON keeping number source text (Node >= 21 reviver context). */
export function readJson(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown, ctx?: { source?: string }) =>
    typeof v === 'number' ? new NumLit(ctx?.source ?? String(v)) : v,
  );
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype
  );
}

// --- exact decimal arithmetic over bigint, for totals in minor units ---

export interface Scaled {
  unscaled: bigint;
  scale: number;
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

export function parseScaled(text: string): Scaled | undefined {
  const m = DECIMAL.exec(text.trim());
  if (!m) return undefined;
  const frac = m[3] ?? '';
  const unscaled = BigInt(`${m[2]}${frac}`);
  return { unscaled: m[1] === '-' ? -unscaled : unscaled, scale: frac.length };
}

/** Rounds a scaled decimal to `exp` places, half away from zero (NetSuite's currency rounding). */
export function toMinor(v: Scaled, exp: number): bigint {
  if (v.scale <= exp) return v.unscaled * 10n ** BigInt(exp - v.scale);
  const div = 10n ** BigInt(v.scale - exp);
  const q = v.unscaled / div;
  const r = v.unscaled % div;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= div) return v.unscaled < 0n ? q - 1n : q + 1n;
  return q;
}

export function minorToText(minor: bigint, exp: number): string {
  const neg = minor < 0n;
  const digits = (neg ? -minor : minor).toString().padStart(exp + 1, '0');
  const text = exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
  return `${neg ? '-' : ''}${text}`;
}

/** rate x quantity rounded to the currency's minor units. */
export function lineAmountMinor(rate: string, quantity: number, exp: number): bigint {
  const r = parseScaled(rate);
  if (!r) throw new RangeError(`bad rate ${rate}`);
  return toMinor({ unscaled: r.unscaled * BigInt(quantity), scale: r.scale }, exp);
}

/** Canonical decimal text: no '+', no redundant zeros. */
export function canonicalDecimal(text: string): string | undefined {
  const s = parseScaled(text);
  if (!s) return undefined;
  let { unscaled, scale } = s;
  while (scale > 0 && unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  return minorToText(unscaled, scale);
}
