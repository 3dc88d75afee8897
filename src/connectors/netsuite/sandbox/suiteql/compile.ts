/**
 * Compiles an expression AST into a closure once per query, so evaluating 50,000 rows costs a few
 * function calls per row instead of walking the tree. Column names are resolved here, which is
 * where unknown or ambiguous columns are reported.
 */
import { AGGREGATES, aggregate } from './aggregates.ts';
import { arithmetic, negate } from './arithmetic.ts';
import type { Expr } from './ast.ts';
import { compileBetween, compileIn, compileLike } from './compile-predicates.ts';
import { parseDecimal } from './decimal.ts';
import { invalidValue, SuiteQLError, unsupported } from './errors.ts';
import type { Eval } from './eval-types.ts';
import { SCALAR_FUNCTIONS } from './functions.ts';
import { resolveColumn, type Scope } from './scope.ts';
import type { SuiteQLOptions } from './types.ts';
import { compareValues, fromRow, toText, truth, type Value } from './values.ts';
import { some } from './walk.ts';

export interface CompileContext {
  readonly scope: Scope;
  readonly params: readonly Value[];
  readonly options: SuiteQLOptions;
  /** ROWNUM of the row being filtered; the executor advances it as rows pass WHERE. */
  readonly state: { rownum: number };
  /** Aggregates are allowed in SELECT, HAVING and ORDER BY of a grouped query, never nested. */
  readonly allowAggregates: boolean;
}

export function compileExpr(expr: Expr, ctx: CompileContext): Eval {
  const compiled = compileNode(expr, ctx);
  if (!isFoldable(expr)) return compiled;
  // Constant sub-expressions (TO_TIMESTAMP(?, 'fmt'), SYSDATE - 1) are computed once per query.
  let done = false;
  let value: Value = null;
  return (t, g) => {
    if (!done) {
      value = compiled(t, g);
      done = true;
    }
    return value;
  };
}

function isFoldable(expr: Expr): boolean {
  if (expr.kind !== 'call' && expr.kind !== 'binary' && expr.kind !== 'unary' && expr.kind !== 'case')
    return false;
  return !some(
    expr,
    (e) => e.kind === 'column' || e.kind === 'rownum' || (e.kind === 'call' && AGGREGATES.has(e.name)),
  );
}

function compileNode(expr: Expr, ctx: CompileContext): Eval {
  switch (expr.kind) {
    case 'number':
      return constant(numberLiteral(expr.text));
    case 'string':
      return constant(expr.value);
    case 'null':
      return constant(null);
    case 'param':
      return constant(ctx.params[expr.index] ?? null);
    case 'rownum':
      return () => ctx.state.rownum;
    case 'column':
      return compileColumn(expr.table, expr.name, ctx);
    case 'unary':
      return compileUnary(expr.op, compileExpr(expr.operand, ctx));
    case 'binary':
      return compileBinary(expr, ctx);
    case 'in':
      return compileIn(expr, ctx);
    case 'like':
      return compileLike(expr, ctx);
    case 'between':
      return compileBetween(expr, ctx);
    case 'isnull': {
      const operand = compileExpr(expr.operand, ctx);
      return (t, g) => (operand(t, g) === null) !== expr.negated;
    }
    case 'call':
      return compileCall(expr, ctx);
    case 'case':
      return compileCase(expr, ctx);
  }
}

function constant(v: Value): Eval {
  return () => v;
}

/** Integer literals are JS numbers while exact; anything else stays an exact decimal. */
function numberLiteral(text: string): Value {
  if (/^\d{1,15}$/.test(text)) return Number.parseInt(text, 10);
  return parseDecimal(text) ?? null;
}

function compileColumn(table: string | undefined, name: string, ctx: CompileContext): Eval {
  const ref = resolveColumn(ctx.scope, table, name);
  if (!ref) return constant(null);
  const index = ref.source.index;
  return (t) => {
    const row = t[index];
    return row === undefined ? null : fromRow(row[name]);
  };
}

function compileUnary(op: '-' | 'NOT', operand: Eval): Eval {
  if (op === '-') return (t, g) => negate(operand(t, g));
  return (t, g) => {
    const v = truth(operand(t, g));
    return v === null ? null : !v;
  };
}

function compileBinary(expr: Extract<Expr, { kind: 'binary' }>, ctx: CompileContext): Eval {
  const left = compileExpr(expr.left, ctx);
  const right = compileExpr(expr.right, ctx);
  switch (expr.op) {
    case 'AND':
      return (t, g) => {
        const a = truth(left(t, g));
        if (a === false) return false;
        const b = truth(right(t, g));
        return b === false ? false : a === null || b === null ? null : true;
      };
    case 'OR':
      return (t, g) => {
        const a = truth(left(t, g));
        if (a === true) return true;
        const b = truth(right(t, g));
        return b === true ? true : a === null || b === null ? null : false;
      };
    case '=':
    case '<>':
    case '<':
    case '>':
    case '<=':
    case '>=':
      return compileComparison(expr.op, left, right);
    default: {
      const op = expr.op;
      return (t, g) => arithmetic(op, left(t, g), right(t, g));
    }
  }
}

function compileComparison(op: '=' | '<>' | '<' | '>' | '<=' | '>=', left: Eval, right: Eval): Eval {
  const test: (c: number) => boolean =
    op === '='
      ? (c) => c === 0
      : op === '<>'
        ? (c) => c !== 0
        : op === '<'
          ? (c) => c < 0
          : op === '>'
            ? (c) => c > 0
            : op === '<='
              ? (c) => c <= 0
              : (c) => c >= 0;
  return (t, g) => {
    const c = compareValues(left(t, g), right(t, g));
    return c === undefined ? null : test(c);
  };
}

function compileCall(expr: Extract<Expr, { kind: 'call' }>, ctx: CompileContext): Eval {
  if (AGGREGATES.has(expr.name)) return compileAggregate(expr, ctx);
  if (expr.star || expr.distinct) throw unsupported(`${expr.name}(${expr.star ? '*' : 'DISTINCT ...'})`);
  if (expr.name === 'BUILTIN.DF') return compileDisplay(expr, ctx);
  const fn = Object.hasOwn(SCALAR_FUNCTIONS, expr.name) ? SCALAR_FUNCTIONS[expr.name] : undefined;
  if (!fn) throw unsupported(`function '${expr.name}'`);
  if (expr.args.length < fn.min || expr.args.length > fn.max) {
    throw new SuiteQLError(
      'syntax_error',
      `Search error occurred: Function '${expr.name}' takes ${fn.min === fn.max ? fn.min : `${fn.min} to ${fn.max}`} arguments, got ${expr.args.length}.`,
    );
  }
  const args = expr.args.map((a) => compileExpr(a, ctx));
  const env = { now: ctx.options.now ?? Date.now };
  return (t, g) =>
    fn.fn(
      args.map((a) => a(t, g)),
      env,
    );
}

function compileAggregate(expr: Extract<Expr, { kind: 'call' }>, ctx: CompileContext): Eval {
  if (!ctx.allowAggregates) {
    throw new SuiteQLError(
      'invalid_value',
      `Search error occurred: group function ${expr.name} is not allowed here.`,
    );
  }
  if (expr.star && expr.name !== 'COUNT') throw unsupported(`${expr.name}(*)`);
  if (!expr.star && expr.args.length !== 1) throw invalidValue(`${expr.name} takes exactly one argument`);
  const inner = { ...ctx, allowAggregates: false };
  const arg = expr.star ? undefined : compileExpr(expr.args[0]!, inner);
  const argEval = arg && ((t: Parameters<Eval>[0]) => arg(t, undefined));
  const { name, distinct } = expr;
  return (_t, g) => aggregate(name, g ?? [], argEval, distinct);
}

/** BUILTIN.DF(col): the display text of a reference, via the sandbox's hook, else the value itself. */
function compileDisplay(expr: Extract<Expr, { kind: 'call' }>, ctx: CompileContext): Eval {
  const [argExpr] = expr.args;
  if (expr.args.length !== 1 || !argExpr) throw invalidValue('BUILTIN.DF takes exactly one argument');
  const arg = compileExpr(argExpr, ctx);
  const hook = ctx.options.displayValue;
  const ref = argExpr.kind === 'column' ? resolveColumn(ctx.scope, argExpr.table, argExpr.name) : undefined;
  return (t, g) => {
    const v = arg(t, g);
    if (v === null) return null;
    const text = toText(v);
    if (!hook || !ref) return text;
    const shown = hook({ table: ref.source.table, column: ref.name, value: text });
    return shown === undefined ? text : shown;
  };
}

function compileCase(expr: Extract<Expr, { kind: 'case' }>, ctx: CompileContext): Eval {
  const operand = expr.operand && compileExpr(expr.operand, ctx);
  const whens = expr.whens.map((w) => ({
    when: compileExpr(w.when, ctx),
    result: compileExpr(w.result, ctx),
  }));
  const otherwise = expr.otherwise ? compileExpr(expr.otherwise, ctx) : constant(null);
  return (t, g) => {
    const subject = operand?.(t, g);
    for (const w of whens) {
      const hit = operand ? compareValues(subject ?? null, w.when(t, g)) === 0 : truth(w.when(t, g)) === true;
      if (hit) return w.result(t, g);
    }
    return otherwise(t, g);
  };
}
