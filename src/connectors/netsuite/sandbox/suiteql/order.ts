/**
 * ORDER BY keys: `ORDER BY 2` is the second output column, a bare name matching a SELECT alias
 * is that column (Oracle's rule; a public note says live SuiteQL may refuse aliases here, we are
 * lenient), anything else is an expression over the tables.
 */
import type { SelectStatement } from './ast.ts';
import { type CompileContext, compileExpr } from './compile.ts';
import { invalidValue } from './errors.ts';
import type { Eval } from './eval-types.ts';
import type { OutputColumn } from './project.ts';

export interface CompiledOrderKey {
  readonly evaluate: Eval;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

export function orderKeys(
  stmt: SelectStatement,
  columns: readonly OutputColumn[],
  ctx: CompileContext,
): CompiledOrderKey[] {
  return stmt.orderBy.map((key) => {
    const { expr } = key;
    let evaluate: Eval | undefined;
    if (expr.kind === 'number') {
      const position = /^\d+$/.test(expr.text) ? Number.parseInt(expr.text, 10) : 0;
      const column = columns[position - 1];
      if (!column) throw invalidValue(`ORDER BY item ${expr.text} is out of range of the select list`);
      evaluate = column.evaluate;
    } else if (expr.kind === 'column' && expr.table === undefined) {
      evaluate = columns.find((c) => c.alias === expr.name)?.evaluate;
    }
    return { evaluate: evaluate ?? compileExpr(expr, ctx), desc: key.desc, nullsFirst: key.nullsFirst };
  });
}
