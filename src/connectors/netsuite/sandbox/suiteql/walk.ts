/** Generic traversal of an expression tree, for the analyses the executor runs before compiling. */
import type { Expr } from './ast.ts';

export function children(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'unary':
    case 'isnull':
      return [expr.operand];
    case 'binary':
      return [expr.left, expr.right];
    case 'in':
      return [expr.operand, ...expr.list];
    case 'like':
      return [expr.operand, expr.pattern];
    case 'between':
      return [expr.operand, expr.low, expr.high];
    case 'call':
      return [...expr.args];
    case 'case': {
      const parts = expr.whens.flatMap((w) => [w.when, w.result]);
      if (expr.operand) parts.push(expr.operand);
      if (expr.otherwise) parts.push(expr.otherwise);
      return parts;
    }
    default:
      return [];
  }
}

/** True when `test` holds for the expression or any sub-expression. */
export function some(expr: Expr, test: (e: Expr) => boolean): boolean {
  return test(expr) || children(expr).some((c) => some(c, test));
}

/** `a AND b AND c` -> [a, b, c]: a row passes when every part is true. */
export function conjuncts(expr: Expr): Expr[] {
  if (expr.kind === 'binary' && expr.op === 'AND') return [...conjuncts(expr.left), ...conjuncts(expr.right)];
  return [expr];
}
