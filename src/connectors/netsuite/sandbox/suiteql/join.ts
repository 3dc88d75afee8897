/**
 * FROM + JOIN into tuples. An ON clause with an equality between the joined table and the tables
 * before it becomes a hash join (item x inventoryitemlocations is 10k x 50k rows: a nested loop
 * would be far too slow); the whole ON is still re-checked on each candidate, so the hash only
 * narrows the search. Other ON clauses fall back to a nested loop.
 */
import type { Expr, Join } from './ast.ts';
import { type CompileContext, compileExpr } from './compile.ts';
import { tooComplex } from './errors.ts';
import type { Eval, Tuple } from './eval-types.ts';
import { filterRows, type RowSet, tableRows, tupleRows } from './rowset.ts';
import { resolveColumn } from './scope.ts';
import type { SuiteQLRow } from './types.ts';
import { hashKey, truth } from './values.ts';
import { conjuncts } from './walk.ts';

/**
 * What one query's joins may build and test. Nine self-joins of a small table (6^10 tuples) ran for
 * minutes and then killed the sandbox out of memory; real NetSuite stops such a query too.
 */
export const JOIN_BUDGET = { rows: 1_000_000, checks: 50_000_000 };

/** `baseFilter`: the WHERE conditions on the first table alone, applied before joining. */
export function buildRows(joins: readonly Join[], ctx: CompileContext, baseFilter: Eval | undefined): RowSet {
  const first = ctx.scope.sources[0]!.rows;
  const base = baseFilter
    ? filterRows(tableRows(first), (t) => baseFilter(t, undefined) === true)
    : tableRows(first);
  if (joins.length === 0) return base;
  let tuples: Tuple[] = [];
  for (let i = 0; i < base.size; i++) tuples.push([...base.tuple(i)]);
  const spent = { checks: 0 };
  joins.forEach((join, j) => {
    tuples = joinOne(tuples, join, j + 1, ctx, spent);
  });
  return tupleRows(tuples);
}

function joinOne(
  outer: readonly Tuple[],
  join: Join,
  index: number,
  ctx: CompileContext,
  spent: { checks: number },
): Tuple[] {
  const on = compileExpr(join.on, ctx);
  const rows = ctx.scope.sources[index]!.rows;
  const equi = findEquiJoin(join.on, index, ctx);
  // Few outer tuples (a lookup by ids): hash only the inner rows whose key one of them asks for.
  const wanted =
    equi && outer.length * 8 < rows.length
      ? new Set(outer.map((t) => hashKey(equi.outer(t, undefined))).filter((k) => k !== undefined))
      : undefined;
  const lookup = equi ? hashRows(rows, index, equi.inner, wanted) : undefined;
  const out: Tuple[] = [];
  for (const t of outer) {
    let candidates: readonly SuiteQLRow[] | undefined = rows;
    if (lookup && equi) {
      const key = hashKey(equi.outer(t, undefined));
      candidates = key === undefined ? undefined : lookup.get(key);
    }
    let matched = false;
    spent.checks += candidates?.length ?? 0;
    if (spent.checks > JOIN_BUDGET.checks || out.length > JOIN_BUDGET.rows)
      throw tooComplex(`its joins go past ${JOIN_BUDGET.rows} rows or ${JOIN_BUDGET.checks} join checks`);
    for (const row of candidates ?? []) {
      const joined = [...t, row];
      if (truth(on(joined, undefined)) === true) {
        out.push(joined);
        matched = true;
      }
    }
    if (!matched && join.type === 'left') out.push([...t, undefined]);
  }
  return out;
}

function hashRows(
  rows: readonly SuiteQLRow[],
  index: number,
  inner: Eval,
  wanted?: ReadonlySet<string>,
): Map<string, SuiteQLRow[]> {
  const map = new Map<string, SuiteQLRow[]>();
  const probe: (SuiteQLRow | undefined)[] = new Array(index + 1).fill(undefined);
  for (const row of rows) {
    probe[index] = row;
    const key = hashKey(inner(probe, undefined));
    if (key === undefined || (wanted && !wanted.has(key))) continue;
    const bucket = map.get(key);
    if (bucket) bucket.push(row);
    else map.set(key, [row]);
  }
  return map;
}

/** Source indexes an expression reads, or undefined when it cannot be hashed (ROWNUM, calls). */
function sourcesOf(expr: Expr, ctx: CompileContext): Set<number> | undefined {
  if (expr.kind === 'column') {
    const ref = resolveColumn(ctx.scope, expr.table, expr.name);
    return new Set(ref ? [ref.source.index] : []);
  }
  if (expr.kind === 'number' || expr.kind === 'string' || expr.kind === 'param') return new Set();
  return undefined;
}

function findEquiJoin(
  on: Expr,
  index: number,
  ctx: CompileContext,
): { inner: Eval; outer: Eval } | undefined {
  for (const c of conjuncts(on)) {
    if (c.kind !== 'binary' || c.op !== '=') continue;
    const left = sourcesOf(c.left, ctx);
    const right = sourcesOf(c.right, ctx);
    if (!left || !right) continue;
    const isInner = (s: Set<number>) => s.size === 1 && s.has(index);
    const isOuter = (s: Set<number>) => [...s].every((i) => i < index);
    if (isInner(left) && isOuter(right))
      return { inner: compileExpr(c.left, ctx), outer: compileExpr(c.right, ctx) };
    if (isInner(right) && isOuter(left))
      return { inner: compileExpr(c.right, ctx), outer: compileExpr(c.left, ctx) };
  }
  return undefined;
}
