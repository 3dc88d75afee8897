/** A cursor over the token list with the small helpers the recursive-descent parser needs. */
import { syntaxError } from './errors.ts';
import type { Token } from './lexer.ts';

export class TokenStream {
  readonly tokens: readonly Token[];
  index = 0;
  /** Counts `?` placeholders in order of appearance: positional binding. */
  paramCount = 0;

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.index++;
    return token;
  }

  isKeyword(word: string, ahead = 0): boolean {
    return this.peek(ahead).keyword === word;
  }

  acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.index++;
    return true;
  }

  expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) throw this.unexpected();
  }

  isOp(op: string): boolean {
    return this.isOpAt(0, op);
  }

  isOpAt(ahead: number, op: string): boolean {
    const token = this.peek(ahead);
    return token.type === 'op' && token.value === op;
  }

  acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.index++;
    return true;
  }

  expectOp(op: string): void {
    if (!this.acceptOp(op)) throw this.unexpected();
  }

  expectIdent(): Token {
    const token = this.peek();
    if (token.type !== 'ident' || RESERVED.has(token.keyword)) throw this.unexpected();
    this.index++;
    return token;
  }

  /** A non-negative integer literal (FETCH FIRST n, OFFSET n). */
  expectInteger(): number {
    const token = this.peek();
    if (token.type !== 'number' || !/^\d+$/.test(token.value)) throw this.unexpected();
    this.index++;
    return Number.parseInt(token.value, 10);
  }

  unexpected(): Error {
    const token = this.peek();
    return syntaxError(token.type === 'eof' ? 'end of query' : tokenText(token), token.pos);
  }
}

function tokenText(token: Token): string {
  return token.raw.length > 40 ? `${token.raw.slice(0, 40)}...` : token.raw;
}

/** Words that end an expression or clause, so they can never be read as a bare alias. */
export const RESERVED: ReadonlySet<string> = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP',
  'BY',
  'HAVING',
  'ORDER',
  'JOIN',
  'INNER',
  'LEFT',
  'RIGHT',
  'FULL',
  'OUTER',
  'CROSS',
  'ON',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'IS',
  'NULL',
  'BETWEEN',
  'AS',
  'ASC',
  'DESC',
  'UNION',
  'MINUS',
  'INTERSECT',
  'FETCH',
  'OFFSET',
  'DISTINCT',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'NULLS',
  'ESCAPE',
  'WITH',
  'ALL',
]);
