/**
 * Runs a parsed SELECT: FROM/JOIN -> WHERE (with ROWNUM) -> GROUP BY/HAVING -> DISTINCT ->
 * ORDER BY -> OFFSET/FETCH -> the endpoint's offset/limit page. Only the page is rendered.
 */
import { containsAggregate } from './aggregates.ts';
import type { Expr, SelectStatement } from './ast.ts';
import { type CompileContext, compileExpr } from './compile.ts';
import { invalidValue, SuiteQLError } from './errors.ts';
import type { Eval, Tuple } from './eval-types.ts';
import { checkGrouping } from './group-check.ts';
import { buildRows } from './join.ts';
import { type CompiledOrderKey, orderKeys } from './order.ts';
import { type OutputColumn, outputColumns, renderRow } from './project.ts';
import { filterRows, pick, type RowSet, tupleRows } from './rowset.ts';
import { buildScope, resolveColumn } from './scope.ts';
import { type SortKey, sortIndexes } from './sort.ts';
import type { SuiteQLOptions, SuiteQLResult, SuiteQLRow, SuiteQLTables } from './types.ts';
import { fromRow, hashKey, truth, type Value } from './values.ts';
import { conjuncts, some } from './walk.ts';

export function execute(
  stmt: SelectStatement,
  params: readonly unknown[],
  tables: SuiteQLTables,
  opts: SuiteQLOptions,
): SuiteQLResult {
  checkPaging(opts);
  const refs = [stmt.from, ...stmt.joins.map((j) => j.source)];
  const scope = buildScope(refs, tables, opts.columns, opts.unknownColumns !== 'null');
  const ctx: CompileContext = {
    scope,
    params: bind(params, stmt.paramCount),
    options: opts,
    state: { rownum: 0 },
    allowAggregates: false,
  };
  const { base, rest } = splitWhere(stmt, ctx);
  const grouped = isGrouped(stmt);
  if (grouped) checkGrouping(stmt);
  const selectCtx = { ...ctx, allowAggregates: grouped };
  const columns = outputColumns(stmt, selectCtx);
  const having = stmt.having && compileExpr(stmt.having, selectCtx);
  const orderBy = orderKeys(stmt, columns, selectCtx);

  let set = buildRows(stmt.joins, ctx, base);
  if (rest) {
    set = filterRows(set, (t, _g, kept) => {
      ctx.state.rownum = kept + 1;
      return rest(t, undefined) === true;
    });
  }
  if (grouped) set = group(set, stmt, ctx);
  if (having) set = filterRows(set, (t, g) => truth(having(t, g)) === true);
  if (stmt.distinct) set = distinct(set, columns);
  if (orderBy.length > 0)
    set = pick(
      set,
      sortIndexes(
        set.size,
        orderBy.map((k) => sortKey(set, k)),
      ),
    );
  return page(set, stmt, columns, opts);
}

function sortKey(set: RowSet, key: CompiledOrderKey): SortKey {
  const values: Value[] = new Array(set.size);
  for (let i = 0; i < set.size; i++) values[i] = key.evaluate(set.tuple(i), set.group(i));
  return { values, desc: key.desc, nullsFirst: key.nullsFirst };
}

/** OFFSET/FETCH of the statement, then the endpoint's offset/limit; only the page is rendered. */
function page(set: RowSet, stmt: SelectStatement, columns: readonly OutputColumn[], opts: SuiteQLOptions) {
  const end = stmt.fetch === undefined ? set.size : Math.min(set.size, stmt.skip + stmt.fetch);
  const total = Math.max(0, end - stmt.skip);
  const from = stmt.skip + opts.offset;
  const to = Math.min(end, from + opts.limit);
  const render = { omitNulls: opts.omitNulls !== false, formatDate: opts.formatDate };
  const items: SuiteQLRow[] = [];
  for (let i = from; i < to; i++) items.push(renderRow(columns, set.tuple(i), set.group(i), render));
  return {
    items,
    totalResults: total,
    count: items.length,
    offset: opts.offset,
    hasMore: opts.offset + items.length < total,
  };
}

/**
 * WHERE split in two: conditions on the first table alone run before the joins (fewer tuples to
 * build; valid for LEFT JOIN too, since the first table's rows are kept either way), the rest
 * after. ROWNUM counts rows passing the whole WHERE, so a query using it is not split.
 */
function splitWhere(stmt: SelectStatement, ctx: CompileContext): { base?: Eval; rest?: Eval } {
  if (!stmt.where) return {};
  const parts = conjuncts(stmt.where);
  if (some(stmt.where, (e) => e.kind === 'rownum')) return { rest: allTrue(parts, ctx) };
  const onFirst = (e: Expr) =>
    !some(
      e,
      (c) => c.kind === 'column' && (resolveColumn(ctx.scope, c.table, c.name)?.source.index ?? 0) !== 0,
    );
  const base = parts.filter(onFirst);
  const rest = parts.filter((e) => !onFirst(e));
  return { base: allTrue(base, ctx), rest: allTrue(rest, ctx) };
}

/** AND of the parts as a predicate returning true / false (unknown counts as false). */
function allTrue(parts: readonly Expr[], ctx: CompileContext): Eval | undefined {
  if (parts.length === 0) return undefined;
  const evals = parts.map((e) => compileExpr(e, ctx));
  if (evals.length === 1) {
    const only = evals[0]!;
    return (t, g) => truth(only(t, g)) === true;
  }
  return (t, g) => evals.every((e) => truth(e(t, g)) === true);
}

function checkPaging(opts: SuiteQLOptions): void {
  if (!Number.isSafeInteger(opts.limit) || opts.limit < 1) throw invalidValue(`Invalid limit ${opts.limit}`);
  if (!Number.isSafeInteger(opts.offset) || opts.offset < 0)
    throw invalidValue(`Invalid offset ${opts.offset}`);
}

/** Positional `?` values. The endpoint sends strings; numbers, booleans and null are accepted too. */
function bind(params: readonly unknown[], expected: number): Value[] {
  if (params.length !== expected) {
    throw new SuiteQLError(
      'bind_mismatch',
      `Search error occurred: The query has ${expected} bind parameter(s) (?) but ${params.length} value(s) were supplied in params.`,
    );
  }
  return params.map((p, i) => {
    if (p === null || ['string', 'number', 'boolean'].includes(typeof p)) return fromRow(p);
    throw new SuiteQLError(
      'bind_mismatch',
      `Search error occurred: params[${i}] must be a string, number or null.`,
    );
  });
}

function isGrouped(stmt: SelectStatement): boolean {
  if (stmt.groupBy.length > 0 || stmt.having) return true;
  return (
    stmt.columns.some((c) => c.kind === 'expr' && containsAggregate(c.expr)) ||
    stmt.orderBy.some((k) => containsAggregate(k.expr))
  );
}

/** GROUP BY keys compare like `=` (NULLs form one group); no GROUP BY means one group of all rows. */
function group(set: RowSet, stmt: SelectStatement, ctx: CompileContext): RowSet {
  const keys = stmt.groupBy.map((e) => compileExpr(e, ctx));
  const groups = new Map<string, Tuple[]>();
  for (let i = 0; i < set.size; i++) {
    const t = set.tuple(i);
    const key = keys.map((k) => hashKey(k(t, undefined)) ?? '\u0000').join('\u0001');
    const members = groups.get(key);
    // Copied: a single-table RowSet reuses its tuple between calls.
    if (members) members.push([...t]);
    else groups.set(key, [[...t]]);
  }
  if (keys.length === 0 && groups.size === 0) return tupleRows([[]], [[]]);
  const list = [...groups.values()];
  return tupleRows(
    list.map((g) => g[0]!),
    list,
  );
}

function distinct(set: RowSet, columns: readonly OutputColumn[]): RowSet {
  const seen = new Set<string>();
  return filterRows(set, (t, g) => {
    const key = columns.map((c) => hashKey(c.evaluate(t, g)) ?? '\u0000').join('\u0001');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
