/**
 * In a grouped query every column outside an aggregate must be a GROUP BY expression, as Oracle
 * requires ("not a GROUP BY expression"). Checked so a query the real service refuses does not
 * silently return the first row of each group here.
 */
import { AGGREGATES } from './aggregates.ts';
import type { Expr, SelectStatement } from './ast.ts';
import { SuiteQLError } from './errors.ts';
import { children } from './walk.ts';

/** Structural identity, ignoring source positions, so `i.itemtype` matches `i.itemtype`. */
function shape(expr: Expr): string {
  return JSON.stringify(expr, (key, value: unknown) => (key === 'pos' ? undefined : value));
}

interface Grouping {
  readonly shapes: ReadonlySet<string>;
  readonly columns: readonly Expr[];
}

function check(expr: Expr, grouping: Grouping, aliases: ReadonlySet<string>): void {
  const { shapes: grouped, columns: groupColumns } = grouping;
  if (grouped.has(shape(expr))) return;
  if (expr.kind === 'call' && AGGREGATES.has(expr.name)) return;
  if (expr.kind === 'column') {
    if (expr.table === undefined && aliases.has(expr.name)) return;
    // `itemtype` and `i.itemtype` name the same column when either side leaves the table out.
    const sameColumn = (g: Expr) =>
      g.kind === 'column' &&
      g.name === expr.name &&
      (g.table === expr.table || g.table === undefined || expr.table === undefined);
    if (groupColumns.some(sameColumn)) return;
    const name = expr.table ? `${expr.table}.${expr.name}` : expr.name;
    throw new SuiteQLError('invalid_value', `Search error occurred: '${name}' is not a GROUP BY expression.`);
  }
  for (const child of children(expr)) check(child, grouping, aliases);
}

export function checkGrouping(stmt: SelectStatement): void {
  const grouped: Grouping = { shapes: new Set(stmt.groupBy.map(shape)), columns: stmt.groupBy };
  const aliases = new Set<string>();
  for (const item of stmt.columns) {
    if (item.kind !== 'expr') continue;
    check(item.expr, grouped, new Set());
    if (item.alias) aliases.add(item.alias);
  }
  if (stmt.having) check(stmt.having, grouped, new Set());
  // ORDER BY may name a select alias or position; those were checked with the select list.
  for (const key of stmt.orderBy) if (key.expr.kind !== 'number') check(key.expr, grouped, aliases);
}
