/**
 * Reading request bodies into stored values, field by field, following each type's spec.
 * References must exist (and be of the right family); wrong values answer like NetSuite does:
 * 400 INVALID_CONTENT "Invalid Field Value ... for the following field" with `o:errorPath`.
 */
import { invalidContent, invalidField } from '../problem.ts';
import type { Store, StoredRecord } from '../store.ts';
import { isItemType, isTransactionType, type SbType } from '../types.ts';
import {
  canonicalDecimal,
  Dec,
  Enum,
  type Fields,
  isPlainObject,
  NumLit,
  Ref,
  RefList,
  type Value,
} from '../values.ts';

export type RefFamily =
  | 'customer'
  | 'item'
  | 'location'
  | 'subsidiary'
  | 'currency'
  | 'account'
  | 'transaction'
  | 'shipItem'
  | 'any';
export type FieldKind =
  | 's'
  | 'b'
  | 'i'
  | 'd'
  | 'date'
  | { enum: Record<string, string> }
  | { ref: RefFamily }
  /** A multi-select reference: `{ items: [ { id } | { externalId } ] }` (section 7.3). */
  | { multi: RefFamily };
export type FieldSpec = Readonly<Record<string, FieldKind>>;

/** Maps input keys to the spec's canonical names, case-insensitively when allowed (section 4.4). */
export function normalizeKeys(
  input: Record<string, unknown>,
  names: readonly string[],
  caseInsensitive: boolean,
) {
  if (!caseInsensitive) return input;
  const lower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) out[lower.get(k.toLowerCase()) ?? k] = v;
  return out;
}

function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof NumLit) return v.text;
  return undefined;
}

export interface RefInput {
  id?: string;
  externalId?: string;
}

export function readRefInput(v: unknown, path: string): RefInput {
  const bare = scalarText(v);
  if (bare !== undefined) return { id: bare };
  if (isPlainObject(v)) {
    const id = scalarText(v['id']);
    const externalId = scalarText(v['externalId'] ?? v['externalid']);
    if (id !== undefined) return { id };
    if (externalId !== undefined) return { externalId };
  }
  throw invalidContent(
    `Invalid reference for ${path}: send { "id": "..." } or { "externalId": "..." }`,
    path,
  );
}

function familyMatches(rec: StoredRecord, family: RefFamily): boolean {
  if (family === 'any') return true;
  if (family === 'item') return isItemType(rec.type);
  if (family === 'transaction') return isTransactionType(rec.type);
  return rec.type === family;
}

/** Finds the referenced record; external ids are looked up in the family's types. */
export function resolveRef(
  store: Store,
  v: unknown,
  family: RefFamily,
  path: string,
  fieldName?: string,
): StoredRecord {
  const ref = readRefInput(v, path);
  let rec: StoredRecord | undefined;
  if (ref.id !== undefined) rec = store.get(ref.id);
  else {
    const types: SbType[] =
      family === 'item'
        ? ['inventoryItem', 'nonInventorySaleItem', 'kitItem']
        : family === 'any' || family === 'transaction'
          ? []
          : [family];
    rec = types.map((t) => store.byExternalId(t, ref.externalId!)).find(Boolean);
  }
  const field =
    fieldName ??
    path
      .split('.')
      .at(-1)!
      .replace(/\[\d+\]$/, '');
  if (!rec || !familyMatches(rec, family)) throw invalidField(field, ref.id ?? ref.externalId ?? '?', path);
  return rec;
}

export interface ReadOptions {
  /** UNCONFIRMED: take a bare `{ id }` for a multi-select as a one-element collection. */
  singleRefInMultiSelect?: boolean;
}

export function readValue(
  store: Store,
  kind: FieldKind,
  v: unknown,
  path: string,
  opts: ReadOptions = {},
): Value {
  if (v === null) return null;
  if (typeof kind === 'object' && 'multi' in kind) return readMulti(store, kind.multi, v, path, opts);
  const field = path.split('.').at(-1)!;
  const text = scalarText(v);
  if (kind === 's') {
    if (text === undefined) throw invalidField(field, JSON.stringify(v), path);
    return text;
  }
  if (kind === 'b') {
    if (typeof v === 'boolean') return v;
    if (v === 'T' || v === 'true') return true;
    if (v === 'F' || v === 'false') return false;
    throw invalidField(field, String(text ?? v), path);
  }
  if (kind === 'i') {
    if (text === undefined || !/^-?\d+(?:\.0+)?$/.test(text))
      throw invalidField(field, String(text ?? v), path);
    return Number.parseInt(text, 10);
  }
  if (kind === 'd') {
    const dec = text === undefined ? undefined : canonicalDecimal(text);
    if (dec === undefined) throw invalidField(field, String(text ?? v), path);
    return new Dec(dec);
  }
  if (kind === 'date') {
    if (text === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(text))
      throw invalidField(field, String(text ?? v), path);
    return text;
  }
  if ('enum' in kind) {
    const id = text ?? (isPlainObject(v) ? scalarText(v['id']) : undefined);
    const label = id === undefined ? undefined : kind.enum[id];
    if (id === undefined || label === undefined)
      throw invalidField(field, String(id ?? JSON.stringify(v)), path);
    return new Enum(id, label);
  }
  if (kind.ref === 'any') {
    const ref = readRefInput(v, path);
    return new Ref(ref.id ?? `eid:${ref.externalId}`);
  }
  return new Ref(resolveRef(store, v, kind.ref, path).id);
}

/** A multi-select: `{ items: [...] }`, each element a reference; `{ items: null }` clears. */
function readMulti(store: Store, family: RefFamily, v: unknown, path: string, opts: ReadOptions): Value {
  if (isPlainObject(v) && 'items' in v) {
    const items = v['items'];
    if (items === null) return null;
    if (!Array.isArray(items)) throw multiSelectError(path);
    const field = path.split('.').at(-1)!;
    const ids = items.map((el, i) => resolveRef(store, el, family, `${path}.items[${i}]`, field).id);
    return new RefList([...new Set(ids)]);
  }
  if (opts.singleRefInMultiSelect) return new RefList([resolveRef(store, v, family, path).id]);
  throw multiSelectError(path);
}

function multiSelectError(path: string) {
  const field = path.split('.').at(-1)!;
  return invalidContent(
    `${field} is a multi-select field: send { "items": [ { "id": "..." } ] } (a list of references), not a single reference.`,
    path,
  );
}

/** Applies a spec to an input object: known fields coerced, unknown fields kept as sent. */
export function readFields(
  store: Store,
  spec: FieldSpec,
  input: Record<string, unknown>,
  path: string,
  skip: ReadonlySet<string>,
): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(input)) {
    if (skip.has(k)) continue;
    const kind = spec[k];
    const p = path ? `${path}.${k}` : k;
    out[k] = kind === undefined ? raw(v) : readValue(store, kind, v, p);
  }
  return out;
}

/** Unknown fields are stored as sent (PropertyNameValidation defaults to Warning, section 4.11). */
function raw(v: unknown): Value {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof NumLit) return new Dec(v.text);
  if (Array.isArray(v)) return v.map(raw);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, raw(x)]));
  return String(v);
}

/** A sublist value: `{ items: [...] }`; null or `{ items: null }` clears (section 4.4). */
export function readSublist(v: unknown, path: string): Array<Record<string, unknown>> | null {
  if (v === null) return null;
  if (!isPlainObject(v)) throw invalidContent(`${path} must be an object { "items": [...] }`, path);
  const items = v['items'];
  if (items === null || items === undefined) return null;
  if (!Array.isArray(items) || !items.every(isPlainObject)) {
    throw invalidContent(`${path}.items must be an array of objects`, `${path}.items`);
  }
  return items;
}
