/**
 * A self-contained SuiteQL engine for the NetSuite sandbox: the subset of Oracle SQL that
 * NetSuite's `POST /services/rest/query/v1/suiteql` accepts and TikSuite uses, over in-memory
 * tables. Results follow the wire form described in the reference (section 8.1): lower-case keys,
 * every value a string, NULL columns omitted, booleans 'T'/'F'.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html
 */
import type { SelectStatement } from './ast.ts';
import { tooComplex } from './errors.ts';
import { execute } from './executor.ts';
import { parseSuiteQL as parse } from './parser.ts';
import type { SuiteQLOptions, SuiteQLResult, SuiteQLTables } from './types.ts';

export type { Expr, SelectStatement } from './ast.ts';
export { SuiteQLError, type SuiteQLErrorKind } from './errors.ts';
export type { SuiteQLOptions, SuiteQLResult, SuiteQLRow, SuiteQLTables } from './types.ts';

const CACHE_SIZE = 256;
/** Parsed statements by query text; the sandbox is polled with the same few queries. */
const cache = new Map<string, SelectStatement>();

/** Parses (and caches) one SuiteQL SELECT; throws SuiteQLError on syntax it does not support. */
export function parseSuiteQL(query: string): SelectStatement {
  const hit = cache.get(query);
  if (hit) {
    // Re-insert so the Map's insertion order tracks recency (least recent first).
    cache.delete(query);
    cache.set(query, hit);
    return hit;
  }
  const stmt = parse(query);
  cache.set(query, stmt);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return stmt;
}

export function executeSuiteQL(
  query: string,
  params: unknown[],
  tables: SuiteQLTables,
  opts: SuiteQLOptions,
): SuiteQLResult {
  try {
    return execute(parseSuiteQL(query), params, tables, opts);
  } catch (err) {
    // The parser, walkers and bigint arithmetic recurse and grow with the query text: a stack
    // overflow or an oversized number there is the query's fault, so it is a 400 like any other.
    if (err instanceof RangeError) throw tooComplex();
    throw err;
  }
}
