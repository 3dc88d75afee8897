/**
 * The `q` filter of `GET /{type}` (reference section 4.7): `field OPERATOR value` joined by AND/OR
 * (AND binds tighter) with parentheses; values bare, quoted or `[a, b]` lists; dates `M/D/YYYY`
 * (the account date format; ISO dates answer 400 INVALID_PARAMETER "Unparseable date", as Airbyte
 * observed). A subset: the operators listed in the emulator checklist (section 10.5) and a few more.
 */
import { invalidParameter } from './problem.ts';

export type Getter = (field: string) => unknown;
type Pred = (get: Getter) => boolean;

const TOKEN = /\s*(\(|\)|\[[^\]]*\]|"(?:[^"\\]|\\.)*"|[^\s()]+)/y;

function tokenize(q: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(q); m; m = TOKEN.exec(q)) out.push(m[1]!);
  if (q.slice(TOKEN.lastIndex).trim() !== '' && out.join('').length === 0)
    throw invalidParameter(`Invalid query: ${q}`);
  return out;
}

function unquote(v: string): string {
  return v.startsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v;
}

function parseDate(v: string): number {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  if (!m) throw invalidParameter(`Unparseable date: "${v}"`);
  return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]));
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object' && 'id' in v) return String(v.id);
  if (typeof v === 'object' && 'text' in v) return String(v.text);
  return String(v);
}

function dayOf(v: unknown): number | undefined {
  if (typeof v === 'number')
    return Date.UTC(new Date(v).getUTCFullYear(), new Date(v).getUTCMonth(), new Date(v).getUTCDate());
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) return Date.parse(v.slice(0, 10));
  return undefined;
}

const OPS: Record<string, (actual: unknown, value: string) => boolean> = {
  IS: (a, v) => text(a).toLowerCase() === v.toLowerCase(),
  EQUAL: (a, v) => Number(text(a)) === Number(v),
  ANY_OF: (a, v) => list(v).includes(text(a)),
  START_WITH: (a, v) => text(a).toLowerCase().startsWith(v.toLowerCase()),
  END_WITH: (a, v) => text(a).toLowerCase().endsWith(v.toLowerCase()),
  CONTAIN: (a, v) => text(a).toLowerCase().includes(v.toLowerCase()),
  GREATER: (a, v) => Number(text(a)) > Number(v),
  LESS: (a, v) => Number(text(a)) < Number(v),
  EMPTY: (a) => text(a) === '',
  AFTER: (a, v) => (dayOf(a) ?? Number.NaN) > parseDate(v),
  BEFORE: (a, v) => (dayOf(a) ?? Number.NaN) < parseDate(v),
  ON: (a, v) => dayOf(a) === parseDate(v),
  ON_OR_AFTER: (a, v) => (dayOf(a) ?? Number.NaN) >= parseDate(v),
  ON_OR_BEFORE: (a, v) => (dayOf(a) ?? Number.NaN) <= parseDate(v),
};

function list(v: string): string[] {
  return v
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((s) => unquote(s.trim()));
}

/** How deep `(` may nest in `q`: a hostile query must not exhaust the stack (a 400, not a 500). */
export const MAX_Q_DEPTH = 32;

/** Compiles `q` into a predicate over a record's field getter; 400 on anything unsupported. */
export function compileQ(q: string): Pred {
  const tokens = tokenize(q);
  let i = 0;
  let depth = 0;
  // OR/AND chains are flat lists, not nested closures: a long chain costs no stack.
  const chain = (word: string, next: () => Pred): Pred[] => {
    const parts = [next()];
    while (tokens[i]?.toUpperCase() === word) {
      i++;
      parts.push(next());
    }
    return parts;
  };
  const orExpr = (): Pred => {
    const parts = chain('OR', andExpr);
    return parts.length === 1 ? parts[0]! : (g) => parts.some((p) => p(g));
  };
  const andExpr = (): Pred => {
    const parts = chain('AND', term);
    return parts.length === 1 ? parts[0]! : (g) => parts.every((p) => p(g));
  };
  const term = (): Pred => {
    if (tokens[i] === '(') {
      if (++depth > MAX_Q_DEPTH)
        throw invalidParameter(`Invalid query: parentheses nest deeper than ${MAX_Q_DEPTH} levels in q.`);
      i++;
      const inner = orExpr();
      if (tokens[i++] !== ')') throw invalidParameter(`Invalid query: missing ) in ${q}`);
      depth--;
      return inner;
    }
    return condition();
  };
  const condition = (): Pred => {
    const field = tokens[i++];
    const rawOp = tokens[i++]?.toUpperCase();
    if (!field || !rawOp) throw invalidParameter(`Invalid query: ${q}`);
    const negate = rawOp.endsWith('_NOT') && rawOp !== 'IS_NOT' ? true : rawOp === 'IS_NOT';
    const opName = rawOp === 'IS_NOT' ? 'IS' : negate ? rawOp.slice(0, -4) : rawOp;
    const op = OPS[opName];
    if (!op) throw invalidParameter(`Invalid query: unsupported operator ${rawOp}`);
    const value = opName === 'EMPTY' ? '' : unquote(tokens[i++] ?? '');
    if (opName in { AFTER: 1, BEFORE: 1, ON: 1, ON_OR_AFTER: 1, ON_OR_BEFORE: 1 }) parseDate(value);
    return (g) => op(g(field), value) !== negate;
  };
  const pred = orExpr();
  if (i !== tokens.length) throw invalidParameter(`Invalid query: unexpected ${tokens[i]}`);
  return pred;
}
