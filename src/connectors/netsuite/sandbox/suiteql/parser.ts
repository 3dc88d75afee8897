/**
 * Statement grammar (one SELECT, no subqueries or set operators):
 *   SELECT [DISTINCT] items FROM table [[AS] alias]
 *     {[INNER] JOIN | LEFT [OUTER] JOIN} table [[AS] alias] ON expr ...
 *     [WHERE expr] [GROUP BY expr, ...] [HAVING expr]
 *     [ORDER BY expr [ASC|DESC] [NULLS FIRST|LAST], ...]
 *     [OFFSET n ROWS] [FETCH {FIRST|NEXT} n ROWS ONLY]
 */
import type { Expr, Join, OrderKey, SelectItem, SelectStatement, TableRef } from './ast.ts';
import { unsupported } from './errors.ts';
import { tokenize } from './lexer.ts';
import { parseExpr } from './parse-expr.ts';
import { RESERVED, TokenStream } from './tokens.ts';

export function parseSuiteQL(query: string): SelectStatement {
  const ts = new TokenStream(tokenize(query));
  if (ts.isKeyword('WITH')) throw unsupported('WITH (common table expressions)');
  ts.expectKeyword('SELECT');
  const distinct = ts.acceptKeyword('DISTINCT');
  if (!distinct) ts.acceptKeyword('ALL');
  const columns = parseSelectList(ts);
  ts.expectKeyword('FROM');
  const from = parseTableRef(ts);
  if (ts.isOp(',')) throw unsupported('comma-separated FROM list (use JOIN ... ON)');
  const joins = parseJoins(ts);
  const where = ts.acceptKeyword('WHERE') ? parseExpr(ts) : undefined;
  const groupBy = parseGroupBy(ts);
  const having = ts.acceptKeyword('HAVING') ? parseExpr(ts) : undefined;
  const orderBy = parseOrderBy(ts);
  const skip = parseOffset(ts);
  const fetch = parseFetch(ts);
  for (const word of ['UNION', 'MINUS', 'INTERSECT']) {
    if (ts.isKeyword(word)) throw unsupported(word);
  }
  if (ts.peek().type !== 'eof') throw ts.unexpected();
  return {
    distinct,
    columns,
    from,
    joins,
    where,
    groupBy,
    having,
    orderBy,
    skip,
    fetch,
    paramCount: ts.paramCount,
  };
}

function parseSelectList(ts: TokenStream): SelectItem[] {
  const items: SelectItem[] = [];
  do {
    items.push(parseSelectItem(ts));
  } while (ts.acceptOp(','));
  return items;
}

function parseSelectItem(ts: TokenStream): SelectItem {
  if (ts.acceptOp('*')) return { kind: 'star', table: undefined };
  const first = ts.peek();
  if (first.type === 'ident' && ts.peek(1).type === 'op' && ts.peek(1).value === '.' && ts.isOpAt(2, '*')) {
    ts.index += 3;
    return { kind: 'star', table: first.value };
  }
  const expr = parseExpr(ts);
  return { kind: 'expr', expr, alias: parseAlias(ts) };
}

/** `[AS] alias`; a bare alias is any identifier that is not a clause keyword. */
function parseAlias(ts: TokenStream): string | undefined {
  if (ts.acceptKeyword('AS')) return ts.expectIdent().value;
  const token = ts.peek();
  if (token.type === 'ident' && !RESERVED.has(token.keyword)) return ts.next().value;
  return undefined;
}

function parseTableRef(ts: TokenStream): TableRef {
  const name = ts.expectIdent();
  if (ts.isOp('(')) throw unsupported(`table function '${name.value}'`);
  if (ts.isOp('.')) throw unsupported('schema-qualified table name');
  const alias = parseAlias(ts) ?? name.value;
  return { table: name.value, alias, pos: name.pos };
}

function parseJoins(ts: TokenStream): Join[] {
  const joins: Join[] = [];
  for (;;) {
    let type: Join['type'];
    if (ts.acceptKeyword('JOIN')) type = 'inner';
    else if (ts.acceptKeyword('INNER')) {
      ts.expectKeyword('JOIN');
      type = 'inner';
    } else if (ts.acceptKeyword('LEFT')) {
      ts.acceptKeyword('OUTER');
      ts.expectKeyword('JOIN');
      type = 'left';
    } else {
      for (const word of ['RIGHT', 'FULL', 'CROSS']) {
        if (ts.isKeyword(word)) throw unsupported(`${word} JOIN`);
      }
      return joins;
    }
    const source = parseTableRef(ts);
    ts.expectKeyword('ON');
    joins.push({ type, source, on: parseExpr(ts) });
  }
}

function parseGroupBy(ts: TokenStream): Expr[] {
  if (!ts.acceptKeyword('GROUP')) return [];
  ts.expectKeyword('BY');
  const keys = [parseExpr(ts)];
  while (ts.acceptOp(',')) keys.push(parseExpr(ts));
  return keys;
}

function parseOrderBy(ts: TokenStream): OrderKey[] {
  if (!ts.acceptKeyword('ORDER')) return [];
  ts.expectKeyword('BY');
  const keys: OrderKey[] = [];
  do {
    const expr = parseExpr(ts);
    const desc = ts.acceptKeyword('DESC');
    if (!desc) ts.acceptKeyword('ASC');
    let nullsFirst = desc;
    if (ts.acceptKeyword('NULLS')) {
      if (ts.acceptKeyword('FIRST')) nullsFirst = true;
      else {
        ts.expectKeyword('LAST');
        nullsFirst = false;
      }
    }
    keys.push({ expr, desc, nullsFirst });
  } while (ts.acceptOp(','));
  return keys;
}

function parseOffset(ts: TokenStream): number {
  if (!ts.acceptKeyword('OFFSET')) return 0;
  const n = ts.expectInteger();
  if (!ts.acceptKeyword('ROWS')) ts.expectKeyword('ROW');
  return n;
}

function parseFetch(ts: TokenStream): number | undefined {
  if (!ts.acceptKeyword('FETCH')) return undefined;
  if (!ts.acceptKeyword('FIRST')) ts.expectKeyword('NEXT');
  const n = ts.expectInteger();
  if (!ts.acceptKeyword('ROWS')) ts.expectKeyword('ROW');
  ts.expectKeyword('ONLY');
  return n;
}
