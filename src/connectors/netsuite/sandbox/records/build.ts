/**
 * Turning a request body into a record's fields: create, or merge into an existing record with
 * PATCH semantics (reference section 4.4): omitted fields unchanged, null clears, keyed sublists
 * merge by key, non-keyed append, `?replace=` switches a sublist to replace mode.
 */
import { invalidContent, userError } from '../problem.ts';
import type { Store, StoredRecord } from '../store.ts';
import { isTransactionType, type SbType } from '../types.ts';
import { Dec, type Fields } from '../values.ts';
import { normalizeKeys, readFields, readSublist, readValue } from './input.ts';
import { knownNames, SPECS } from './specs.ts';

/** Line fields the server maintains: ignored when sent. */
const LINE_READ_ONLY = new Set([
  'quantityFulfilled',
  'quantityBilled',
  'quantityCommitted',
  'quantityBackOrdered',
  'quantityAvailable',
  'quantityReturned',
  'quantityReceived',
  'quantityCredited',
  'quantityRefunded',
  'quantityRemaining',
  'quantityOnHand',
  'currentValue',
  'lineUniqueKey',
]);

export interface BuildOptions {
  replace: ReadonlySet<string>;
  caseInsensitive: boolean;
  itemLinesKeyedByLine: boolean;
  /** UNCONFIRMED: a bare reference accepted for a multi-select field (settings). */
  singleRefInMultiSelect: boolean;
}

export interface Built {
  body: Fields;
  lines: Record<string, Fields[]>;
}

export function buildFields(
  store: Store,
  type: SbType,
  rawInput: Record<string, unknown>,
  existing: StoredRecord | undefined,
  opts: BuildOptions,
): Built {
  const spec = SPECS[type];
  const input = normalizeKeys(rawInput, knownNames(type), opts.caseInsensitive);
  const body: Fields = existing ? { ...existing.body } : {};
  const lines: Record<string, Fields[]> = existing ? { ...existing.lines } : {};
  const readOnly = new Set(spec.readOnly);
  for (const [k, v] of Object.entries(input)) {
    if (readOnly.has(k) || k === 'links') continue;
    const lineSpec = spec.sublists[k];
    if (lineSpec) {
      const incoming = readSublist(v, k);
      const keyed = k === 'item' && opts.itemLinesKeyedByLine && isTransactionType(type);
      const read = (incoming ?? []).map((line, i) => {
        const norm = normalizeKeys(line, Object.keys(lineSpec), opts.caseInsensitive);
        return readFields(store, lineSpec, norm, `${k}.items[${i}]`, LINE_READ_ONLY);
      });
      lines[k] = mergeLines(existing?.lines[k], incoming === null ? null : read, keyed, opts.replace.has(k));
      continue;
    }
    const kind = spec.body[k];
    const read = kind
      ? readValue(store, kind, v, k, opts)
      : readFields(store, {}, { [k]: v }, '', new Set())[k]!;
    // null clears a field; so does `{ items: null }` for a multi-select (section 4.4).
    if (read === null) delete body[k];
    else body[k] = read;
  }
  for (const name of Object.keys(spec.sublists)) lines[name] ??= [];
  return { body, lines };
}

function mergeLines(
  existing: Fields[] | undefined,
  incoming: Fields[] | null,
  keyed: boolean,
  replace: boolean,
): Fields[] {
  if (incoming === null) return [];
  if (!existing) return number(incoming, []);
  if (!keyed) return replace ? number(incoming, []) : number(incoming, existing);
  const byLine = new Map(existing.map((l) => [l['line'], l]));
  const updated = new Set<unknown>();
  const added: Fields[] = [];
  for (const line of incoming) {
    const key = line['line'];
    const match = key === undefined ? undefined : byLine.get(key);
    if (match) {
      byLine.set(key, mergeLine(match, line));
      updated.add(key);
    } else added.push(line);
  }
  const kept = existing.map((l) => byLine.get(l['line'])!).filter((l) => !replace || updated.has(l['line']));
  return number(added, kept);
}

/**
 * One line updated in place. A new quantity or rate without an amount re-prices a line that has
 * a rate (amount = rate x quantity, as NetSuite recalculates it) instead of keeping the old amount.
 */
function mergeLine(match: Fields, line: Fields): Fields {
  const merged = { ...match, ...line };
  const repriced = line['quantity'] !== undefined || line['rate'] !== undefined;
  if (repriced && line['amount'] === undefined && merged['rate'] instanceof Dec) delete merged['amount'];
  return merged;
}

/** Appends `added` after `kept`, giving new lines the next free line numbers. */
function number(added: Fields[], kept: Fields[]): Fields[] {
  let next = kept.reduce((m, l) => Math.max(m, typeof l['line'] === 'number' ? l['line'] : 0), 0) + 1;
  const taken = new Set(kept.map((l) => l['line']));
  const out = [...kept];
  for (const line of added) {
    const wanted = line['line'];
    if (typeof wanted === 'number' && !taken.has(wanted)) {
      taken.add(wanted);
      next = Math.max(next, wanted + 1);
      out.push(line);
    } else {
      out.push({ ...line, line: next++ });
    }
  }
  return out;
}

/** "Please enter value(s) for: ..." when a mandatory field is missing (USER_ERROR). */
export function checkRequired(type: SbType, built: Built): void {
  const missing = SPECS[type].required.filter((f) => built.body[f] === undefined || built.body[f] === null);
  if (missing.length > 0) throw userError(`Please enter value(s) for: ${missing.join(', ')}`, missing[0]);
}

export function requireObject(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw invalidContent('The request body must be a JSON object.');
  return Object.fromEntries(Object.entries(v));
}
