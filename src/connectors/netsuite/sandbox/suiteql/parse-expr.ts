/**
 * Expression grammar, lowest precedence first:
 *   or := and (OR and)* ; and := not (AND not)* ; not := NOT not | predicate
 *   predicate := sum [cmp sum | [NOT] IN (list) | [NOT] LIKE sum | [NOT] BETWEEN sum AND sum | IS [NOT] NULL]
 *   sum := product ((+ | - | '||') product)* ; product := unary ((* | /) unary)* ; unary := [- | +] unary | primary
 */
import type { ComparisonOp, Expr } from './ast.ts';
import { unsupported } from './errors.ts';
import { RESERVED, type TokenStream } from './tokens.ts';

const COMPARISONS: Record<string, ComparisonOp> = {
  '=': '=',
  '<>': '<>',
  '!=': '<>',
  '^=': '<>',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
};

export function parseExpr(ts: TokenStream): Expr {
  let left = parseAnd(ts);
  while (ts.acceptKeyword('OR')) left = { kind: 'binary', op: 'OR', left, right: parseAnd(ts) };
  return left;
}

function parseAnd(ts: TokenStream): Expr {
  let left = parseNot(ts);
  while (ts.acceptKeyword('AND')) left = { kind: 'binary', op: 'AND', left, right: parseNot(ts) };
  return left;
}

function parseNot(ts: TokenStream): Expr {
  if (ts.acceptKeyword('NOT')) return { kind: 'unary', op: 'NOT', operand: parseNot(ts) };
  return parsePredicate(ts);
}

function parsePredicate(ts: TokenStream): Expr {
  const operand = parseSum(ts);
  const token = ts.peek();
  const cmp = token.type === 'op' ? COMPARISONS[token.value] : undefined;
  if (cmp) {
    ts.next();
    return { kind: 'binary', op: cmp, left: operand, right: parseSum(ts) };
  }
  if (ts.acceptKeyword('IS')) {
    const negated = ts.acceptKeyword('NOT');
    ts.expectKeyword('NULL');
    return { kind: 'isnull', operand, negated };
  }
  const negated = ts.isKeyword('NOT') && ['IN', 'LIKE', 'BETWEEN'].includes(ts.peek(1).keyword);
  if (negated) ts.next();
  if (ts.acceptKeyword('IN')) return { kind: 'in', operand, list: parseInList(ts), negated };
  if (ts.acceptKeyword('LIKE')) {
    const pattern = parseSum(ts);
    if (ts.isKeyword('ESCAPE')) throw unsupported('LIKE ... ESCAPE');
    return { kind: 'like', operand, pattern, negated };
  }
  if (ts.acceptKeyword('BETWEEN')) {
    const low = parseSum(ts);
    ts.expectKeyword('AND');
    return { kind: 'between', operand, low, high: parseSum(ts), negated };
  }
  return operand;
}

function parseInList(ts: TokenStream): Expr[] {
  ts.expectOp('(');
  if (ts.isKeyword('SELECT')) throw unsupported('subquery in IN (SELECT ...)');
  const list = [parseSum(ts)];
  while (ts.acceptOp(',')) list.push(parseSum(ts));
  ts.expectOp(')');
  return list;
}

function parseSum(ts: TokenStream): Expr {
  let left = parseProduct(ts);
  for (;;) {
    const op = ts.acceptOp('+') ? '+' : ts.acceptOp('-') ? '-' : ts.acceptOp('||') ? '||' : undefined;
    if (!op) return left;
    left = { kind: 'binary', op, left, right: parseProduct(ts) };
  }
}

function parseProduct(ts: TokenStream): Expr {
  let left = parseUnary(ts);
  for (;;) {
    const op = ts.acceptOp('*') ? '*' : ts.acceptOp('/') ? '/' : undefined;
    if (!op) return left;
    left = { kind: 'binary', op, left, right: parseUnary(ts) };
  }
}

function parseUnary(ts: TokenStream): Expr {
  if (ts.acceptOp('-')) return { kind: 'unary', op: '-', operand: parseUnary(ts) };
  if (ts.acceptOp('+')) return parseUnary(ts);
  return parsePrimary(ts);
}

function parsePrimary(ts: TokenStream): Expr {
  const token = ts.peek();
  if (token.type === 'number') {
    ts.next();
    return { kind: 'number', text: token.value };
  }
  if (token.type === 'string') {
    ts.next();
    return { kind: 'string', value: token.value };
  }
  if (token.type === 'param') {
    ts.next();
    return { kind: 'param', index: ts.paramCount++ };
  }
  if (ts.acceptOp('(')) {
    if (ts.isKeyword('SELECT')) throw unsupported('subquery');
    const inner = parseExpr(ts);
    ts.expectOp(')');
    return inner;
  }
  if (ts.acceptKeyword('NULL')) return { kind: 'null' };
  if (ts.acceptKeyword('CASE')) return parseCase(ts);
  if (token.type === 'ident' && !RESERVED.has(token.keyword)) return parseNamed(ts);
  throw ts.unexpected();
}

/** Identifiers: pseudo-columns, typed literals, function calls, `col` and `alias.col`. */
function parseNamed(ts: TokenStream): Expr {
  const first = ts.next();
  if (first.keyword === 'ROWNUM') return { kind: 'rownum' };
  if (['SYSDATE', 'CURRENT_DATE', 'CURRENT_TIMESTAMP'].includes(first.keyword)) {
    return { kind: 'call', name: 'SYSDATE', args: [], star: false, distinct: false, pos: first.pos };
  }
  const literal = ts.peek();
  if ((first.keyword === 'DATE' || first.keyword === 'TIMESTAMP') && literal.type === 'string') {
    // ANSI date literals, e.g. DATE '2026-03-14': the same as TO_DATE with the ISO format.
    ts.next();
    const fmt = first.keyword === 'DATE' ? 'YYYY-MM-DD' : 'YYYY-MM-DD HH24:MI:SS';
    const args: Expr[] = [
      { kind: 'string', value: literal.value },
      { kind: 'string', value: fmt },
    ];
    return { kind: 'call', name: 'TO_DATE', args, star: false, distinct: false, pos: first.pos };
  }
  if (ts.isOp('(')) return parseCall(ts, first.keyword, first.pos);
  if (!ts.acceptOp('.')) return { kind: 'column', table: undefined, name: first.value, pos: first.pos };
  const second = ts.expectIdent();
  if (ts.isOp('(')) return parseCall(ts, `${first.keyword}.${second.keyword}`, first.pos);
  return { kind: 'column', table: first.value, name: second.value, pos: first.pos };
}

function parseCall(ts: TokenStream, name: string, pos: number): Expr {
  ts.expectOp('(');
  if (ts.acceptOp('*')) {
    ts.expectOp(')');
    return { kind: 'call', name, args: [], star: true, distinct: false, pos };
  }
  const distinct = ts.acceptKeyword('DISTINCT');
  if (!distinct) ts.acceptKeyword('ALL');
  const args: Expr[] = [];
  if (!ts.isOp(')')) {
    args.push(parseExpr(ts));
    while (ts.acceptOp(',')) args.push(parseExpr(ts));
  }
  ts.expectOp(')');
  if (ts.isKeyword('OVER')) throw unsupported('analytic function OVER (...)');
  return { kind: 'call', name, args, star: false, distinct, pos };
}

function parseCase(ts: TokenStream): Expr {
  const operand = ts.isKeyword('WHEN') ? undefined : parseExpr(ts);
  const whens: { when: Expr; result: Expr }[] = [];
  while (ts.acceptKeyword('WHEN')) {
    const when = parseExpr(ts);
    ts.expectKeyword('THEN');
    whens.push({ when, result: parseExpr(ts) });
  }
  if (whens.length === 0) throw ts.unexpected();
  const otherwise = ts.acceptKeyword('ELSE') ? parseExpr(ts) : undefined;
  ts.expectKeyword('END');
  return { kind: 'case', operand, whens, otherwise };
}
