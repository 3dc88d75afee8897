/**
 * Tokenizer for the SuiteQL subset. Keywords are not special here: the parser compares an
 * identifier's upper-cased text, so keywords stay case-insensitive and identifiers are
 * lower-cased once (NetSuite column names are case-insensitive; rows carry lower-case keys).
 */
import { syntaxError } from './errors.ts';

export type TokenType = 'ident' | 'number' | 'string' | 'param' | 'op' | 'eof';

export interface Token {
  readonly type: TokenType;
  /** ident: lower-cased name; string: unescaped text; op: the operator; number: its digits. */
  readonly value: string;
  /** Upper-cased text of an unquoted identifier, for keyword matching; '' otherwise. */
  readonly keyword: string;
  readonly pos: number;
  /** The token as written, for error messages. */
  readonly raw: string;
}

const TWO_CHAR_OPS = new Set(['<>', '!=', '^=', '<=', '>=', '||']);
const ONE_CHAR_OPS = new Set(['(', ')', ',', '.', '*', '+', '-', '/', '=', '<', '>']);
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_$#]/;
const DIGIT = /[0-9]/;

type Lexed = { token: Omit<Token, 'raw'>; next: number };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw syntaxError('/*', i);
      i = end + 2;
    } else {
      const token = readToken(text, i);
      tokens.push({ ...token.token, raw: text.slice(i, token.next) });
      i = token.next;
    }
  }
  tokens.push({ type: 'eof', value: '', keyword: '', pos: text.length, raw: '' });
  return tokens;
}

function readToken(text: string, i: number): Lexed {
  const ch = text[i]!;
  if (IDENT_START.test(ch)) {
    let j = i + 1;
    while (j < text.length && IDENT_PART.test(text[j]!)) j++;
    const raw = text.slice(i, j);
    return {
      token: { type: 'ident', value: raw.toLowerCase(), keyword: raw.toUpperCase(), pos: i },
      next: j,
    };
  }
  if (DIGIT.test(ch) || (ch === '.' && DIGIT.test(text[i + 1] ?? ''))) return readNumber(text, i);
  if (ch === "'") return readString(text, i);
  if (ch === '"') {
    // Quoted identifiers: lower-cased too, since every row key is lower-case.
    const end = text.indexOf('"', i + 1);
    if (end < 0 || end === i + 1) throw syntaxError('"', i);
    const name = text.slice(i + 1, end).toLowerCase();
    return { token: { type: 'ident', value: name, keyword: '', pos: i }, next: end + 1 };
  }
  if (ch === '?') return { token: { type: 'param', value: '?', keyword: '', pos: i }, next: i + 1 };
  const two = text.slice(i, i + 2);
  if (TWO_CHAR_OPS.has(two)) return { token: { type: 'op', value: two, keyword: '', pos: i }, next: i + 2 };
  if (ONE_CHAR_OPS.has(ch)) return { token: { type: 'op', value: ch, keyword: '', pos: i }, next: i + 1 };
  throw syntaxError(ch, i);
}

function readNumber(text: string, i: number): Lexed {
  const m = /^(?:\d+(?:\.\d*)?|\.\d+)/.exec(text.slice(i, i + 64));
  const digits = m![0];
  const next = i + digits.length;
  if (IDENT_START.test(text[next] ?? '')) throw syntaxError(text.slice(i, next + 1), i);
  return { token: { type: 'number', value: digits, keyword: '', pos: i }, next };
}

/** SQL strings: single quotes, a doubled quote ('') stands for one quote. */
function readString(text: string, i: number): Lexed {
  let out = '';
  let j = i + 1;
  for (;;) {
    const end = text.indexOf("'", j);
    if (end < 0) throw syntaxError(text.slice(i, i + 20), i);
    out += text.slice(j, end);
    if (text[end + 1] === "'") {
      out += "'";
      j = end + 2;
    } else {
      return { token: { type: 'string', value: out, keyword: '', pos: i }, next: end + 1 };
    }
  }
}
