/**
 * The tables of one query (FROM + JOINs) and column resolution. Rows carry no schema, so a
 * column exists when the table's declared column list has it or, lacking one, when some row has
 * the key (rows may omit null-valued keys, so a miss on the first row scans the rest once).
 */
import type { TableRef } from './ast.ts';
import { ambiguousColumn, SuiteQLError, unknownField, unknownIdentifier, unknownTable } from './errors.ts';
import type { SuiteQLRow, SuiteQLTables } from './types.ts';

export interface Source {
  readonly alias: string;
  readonly table: string;
  readonly index: number;
  readonly rows: readonly SuiteQLRow[];
  readonly declared: ReadonlySet<string> | undefined;
  readonly known: Map<string, boolean>;
}

export interface ColumnRef {
  readonly source: Source;
  readonly name: string;
}

export interface Scope {
  readonly sources: readonly Source[];
  readonly byAlias: ReadonlyMap<string, Source>;
  /** alias -> table, for NetSuite's "Available identifiers are: {t=transaction}". */
  readonly aliases: ReadonlyMap<string, string>;
  /** false: unknown columns read as NULL instead of failing (option unknownColumns: 'null'). */
  readonly strict: boolean;
}

export function buildScope(
  refs: readonly TableRef[],
  tables: SuiteQLTables,
  columns: Readonly<Record<string, readonly string[]>> | undefined,
  strict: boolean,
): Scope {
  const sources: Source[] = [];
  const byAlias = new Map<string, Source>();
  const aliases = new Map<string, string>();
  for (const ref of refs) {
    const load = Object.hasOwn(tables, ref.table) ? tables[ref.table] : undefined;
    if (!load) throw unknownTable(ref.table);
    if (byAlias.has(ref.alias)) {
      throw new SuiteQLError('syntax_error', `Search error occurred: Duplicate table alias '${ref.alias}'.`);
    }
    const loaded = load();
    const rows = Array.isArray(loaded) ? loaded : Array.from(loaded);
    const list = columns && Object.hasOwn(columns, ref.table) ? columns[ref.table] : undefined;
    const declared = list ? new Set(list.map((c) => c.toLowerCase())) : undefined;
    const source = {
      alias: ref.alias,
      table: ref.table,
      index: sources.length,
      rows,
      declared,
      known: new Map(),
    };
    sources.push(source);
    byAlias.set(ref.alias, source);
    aliases.set(ref.alias, ref.table);
  }
  return { sources, byAlias, aliases, strict };
}

/** 'yes' / 'no', or 'maybe' for an empty table without a declared column list. */
function hasColumn(source: Source, name: string): 'yes' | 'no' | 'maybe' {
  if (source.declared) return source.declared.has(name) ? 'yes' : 'no';
  if (source.rows.length === 0) return 'maybe';
  let found = source.known.get(name);
  if (found === undefined) {
    found = source.rows.some((row) => Object.hasOwn(row, name));
    source.known.set(name, found);
  }
  return found ? 'yes' : 'no';
}

/** Resolves `name` or `qualifier.name`; undefined means "read as NULL" (non-strict mode only). */
export function resolveColumn(
  scope: Scope,
  qualifier: string | undefined,
  name: string,
): ColumnRef | undefined {
  if (qualifier !== undefined) {
    const source = scope.byAlias.get(qualifier);
    if (!source) throw unknownIdentifier(`${qualifier}.${name}`, scope.aliases);
    if (hasColumn(source, name) !== 'no') return { source, name };
    if (scope.strict) throw unknownField(name, source.table);
    return undefined;
  }
  const states = scope.sources.map((s) => hasColumn(s, name));
  const yes = scope.sources.filter((_, i) => states[i] === 'yes');
  if (yes.length > 1) throw ambiguousColumn(name);
  const hit = yes[0] ?? scope.sources.find((_, i) => states[i] === 'maybe');
  if (hit) return { source: hit, name };
  if (scope.strict) throw unknownIdentifier(name, scope.aliases);
  return undefined;
}

/** Columns `*` expands to: the declared list, else every key seen in the rows, in first-seen order. */
export function starColumns(source: Source): string[] {
  if (source.declared) return [...source.declared];
  const seen = new Set<string>();
  for (const row of source.rows) {
    for (const key of Object.keys(row)) seen.add(key);
  }
  return [...seen];
}
