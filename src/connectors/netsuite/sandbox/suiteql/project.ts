/**
 * The SELECT list: output names and their compiled expressions, and rendering a result row the
 * way the REST endpoint returns it (lower-case keys, string values, NULL columns left out).
 */
import type { Expr, SelectStatement } from './ast.ts';
import { type CompileContext, compileExpr } from './compile.ts';
import { unknownIdentifier, unsupported } from './errors.ts';
import type { Eval, Group, Tuple } from './eval-types.ts';
import { starColumns } from './scope.ts';
import type { SuiteQLRow } from './types.ts';
import { fromRow, isDate, toText } from './values.ts';

export interface OutputColumn {
  readonly name: string;
  readonly evaluate: Eval;
  /** Explicit alias (AS x or bare x), which ORDER BY may refer to. */
  readonly alias: string | undefined;
  readonly expr: Expr | undefined;
}

export function outputColumns(stmt: SelectStatement, ctx: CompileContext): OutputColumn[] {
  const out: OutputColumn[] = [];
  let unnamed = 0;
  for (const item of stmt.columns) {
    if (item.kind === 'star') {
      if (ctx.allowAggregates) throw unsupported('* in a grouped query');
      out.push(...starOutput(item.table, ctx));
      continue;
    }
    const evaluate = compileExpr(item.expr, ctx);
    // Unaliased expressions are named exprN, as SuiteQL names them; plain columns keep their name.
    const name = item.alias ?? (item.expr.kind === 'column' ? item.expr.name : `expr${++unnamed}`);
    out.push({ name, evaluate, alias: item.alias, expr: item.expr });
  }
  return out;
}

function starOutput(alias: string | undefined, ctx: CompileContext): OutputColumn[] {
  const { scope } = ctx;
  const sources = alias === undefined ? scope.sources : [scope.byAlias.get(alias)];
  const out: OutputColumn[] = [];
  for (const source of sources) {
    if (!source) throw unknownIdentifier(`${alias}.*`, scope.aliases);
    const index = source.index;
    for (const name of starColumns(source)) {
      const evaluate: Eval = (t) => {
        const row = t[index];
        return row === undefined ? null : fromRow(row[name]);
      };
      out.push({ name, evaluate, alias: undefined, expr: undefined });
    }
  }
  return out;
}

export interface RenderOptions {
  readonly omitNulls: boolean;
  readonly formatDate: ((ms: number) => string) | undefined;
}

export function renderRow(
  columns: readonly OutputColumn[],
  t: Tuple,
  g: Group | undefined,
  opts: RenderOptions,
): SuiteQLRow {
  const row: SuiteQLRow = {};
  for (const column of columns) {
    const v = column.evaluate(t, g);
    if (v === null) {
      if (!opts.omitNulls) row[column.name] = null;
    } else if (!Object.hasOwn(row, column.name)) {
      // First occurrence wins when two columns share a name (e.g. `*` over a join).
      row[column.name] = isDate(v) && opts.formatDate ? opts.formatDate(v.ms) : toText(v);
    }
  }
  return row;
}
