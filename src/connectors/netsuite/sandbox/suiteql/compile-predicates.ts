/** IN, LIKE and BETWEEN, with three-valued logic (NULL makes the answer unknown, not false). */
import type { Expr } from './ast.ts';
import { type CompileContext, compileExpr } from './compile.ts';
import type { Eval } from './eval-types.ts';
import { compareValues, hashKey, toText, type Value } from './values.ts';

function isConstant(expr: Expr): boolean {
  return expr.kind === 'number' || expr.kind === 'string' || expr.kind === 'param' || expr.kind === 'null';
}

export function compileIn(expr: Extract<Expr, { kind: 'in' }>, ctx: CompileContext): Eval {
  const operand = compileExpr(expr.operand, ctx);
  const items = expr.list.map((e) => compileExpr(e, ctx));
  const miss = (hasNull: boolean) => (hasNull ? null : expr.negated);
  if (expr.list.every(isConstant)) {
    // Constant lists (the common `type IN ('SalesOrd', ...)`) become one hash lookup per row.
    const values = items.map((e) => e([], undefined));
    const keys = new Set(values.map(hashKey).filter((k) => k !== undefined));
    const hasNull = values.includes(null);
    const numbers = values.filter((v) => typeof v === 'number');
    return (t, g) => {
      const v = operand(t, g);
      const key = hashKey(v);
      if (key === undefined) return null;
      if (keys.has(key)) return !expr.negated;
      // '0012' = 12 holds under compareValues but hashes differently: check numbers the slow way.
      if (typeof v === 'string' && numbers.some((n) => compareValues(v, n) === 0)) return !expr.negated;
      return miss(hasNull);
    };
  }
  return (t, g) => {
    const v = operand(t, g);
    if (v === null) return null;
    let hasNull = false;
    for (const item of items) {
      const c = compareValues(v, item(t, g));
      if (c === 0) return !expr.negated;
      if (c === undefined) hasNull = true;
    }
    return miss(hasNull);
  };
}

/** LIKE pattern -> anchored RegExp: % is any run, _ is one character, everything else literal. */
function likeRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u');
}

export function compileLike(expr: Extract<Expr, { kind: 'like' }>, ctx: CompileContext): Eval {
  const operand = compileExpr(expr.operand, ctx);
  const pattern = compileExpr(expr.pattern, ctx);
  const ci = ctx.options.likeCaseInsensitive === true;
  // A literal or bound pattern is turned into a RegExp once, not once per row.
  const fixed: Value | undefined = isConstant(expr.pattern) ? pattern([], undefined) : undefined;
  if (fixed === null) return () => null;
  const fixedRe = fixed === undefined ? undefined : likeRegExp(toText(fixed), ci);
  return (t, g) => {
    const v = operand(t, g);
    if (v === null) return null;
    let re = fixedRe;
    if (!re) {
      const p = pattern(t, g);
      if (p === null) return null;
      re = likeRegExp(toText(p), ci);
    }
    return re.test(toText(v)) !== expr.negated;
  };
}

export function compileBetween(expr: Extract<Expr, { kind: 'between' }>, ctx: CompileContext): Eval {
  const operand = compileExpr(expr.operand, ctx);
  const low = compileExpr(expr.low, ctx);
  const high = compileExpr(expr.high, ctx);
  return (t, g) => {
    const v = operand(t, g);
    const lo = compareValues(v, low(t, g));
    const hi = compareValues(v, high(t, g));
    // x BETWEEN a AND b is x >= a AND x <= b, with AND's rules for unknowns.
    const a = lo === undefined ? null : lo >= 0;
    const b = hi === undefined ? null : hi <= 0;
    if (a === false || b === false) return expr.negated;
    if (a === null || b === null) return null;
    return !expr.negated;
  };
}
