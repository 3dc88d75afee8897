/**
 * `POST /services/rest/query/v1/suiteql` (reference section 8.1): `Prefer: transient` required,
 * body `{ q, params }`, limit/offset paging (offset a multiple of limit, 100,000-row ceiling),
 * rows with lower-case keys, string values and `links: []`. Queries run on ./suiteql.
 */
import type { Context } from 'hono';
import { LIMITS, PATHS } from '../../manifest.ts';
import { invalidParameter, invalidRequest, SandboxError } from '../problem.ts';
import type { SandboxState } from '../state.ts';
import { executeSuiteQL, SuiteQLError } from '../suiteql/index.ts';
import { COLUMNS, displayValue, suiteqlTables } from '../tables.ts';
import { isPlainObject, NumLit } from '../values.ts';
import { checkPaging } from './record.ts';
import { type Env, readBody, sleep } from './util.ts';

/** The default user date preference, M/D/YYYY, in UTC. */
function usDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

export async function suiteqlRoute(c: Context<Env>, state: SandboxState): Promise<Response> {
  const b = state.settings.behaviour;
  if (b.requireTransient && !/\btransient\b/i.test(c.req.header('prefer') ?? '')) {
    // Error shape when the header is missing is UNCONFIRMED (section 8.1); INVALID_REQUEST here.
    throw invalidRequest('The request must include the header Prefer: transient.');
  }
  const limit = Number(c.req.query('limit') ?? LIMITS.maxPageSize);
  const offset = Number(c.req.query('offset') ?? 0);
  checkPaging(limit, offset);
  if (offset >= LIMITS.suiteqlMaxRows) throw invalidParameter('Offset paging is limited to 100000 rows.');
  const body = await readBody(c);
  if (!isPlainObject(body) || typeof body['q'] !== 'string')
    throw invalidRequest('The body must be { "q": "<SuiteQL>" }.');
  const params = Array.isArray(body['params'])
    ? body['params'].map((p) => (p instanceof NumLit ? p.text : p))
    : [];
  await sleep(state.governance.latencyMs('query', 0));
  const store = state.engine.store;
  let result: ReturnType<typeof executeSuiteQL>;
  const run = (page: { limit: number; offset: number }) =>
    executeSuiteQL(
      body['q'] as string,
      params,
      suiteqlTables(store, () => state.settings),
      {
        ...page,
        now: () => state.clock.now(),
        columns: COLUMNS,
        omitNulls: b.suiteqlOmitNulls,
        displayValue: displayValue(store),
        ...(b.suiteqlRawDateFormat === 'iso' ? {} : { formatDate: usDate }),
      },
    );
  try {
    result =
      b.suiteqlPageSnapshotSeconds > 0
        ? fromSnapshot(state, `${body['q']}\u0000${JSON.stringify(params)}`, limit, offset, run)
        : run({ limit, offset });
  } catch (err) {
    if (err instanceof SuiteQLError) throw new SandboxError(err.status, err.code, err.message);
    throw err;
  }
  const base = `${new URL(c.req.url).origin}${PATHS.suiteql}`;
  const href = (o: number) => `${base}?limit=${limit}&offset=${o}`;
  const links = [{ rel: 'self', href: href(offset) }];
  if (result.hasMore) links.unshift({ rel: 'next', href: href(offset + limit) });
  if (offset > 0) links.unshift({ rel: 'previous', href: href(Math.max(0, offset - limit)) });
  const payload = {
    links,
    count: result.items.length,
    hasMore: result.hasMore,
    items: result.items.map((row) => ({ links: [], ...row })),
    offset,
    totalResults: result.totalResults,
  };
  return c.body(JSON.stringify(payload), 200, {
    'content-type': 'application/vnd.oracle.resource+json; type=collection',
  });
}

type QueryResult = ReturnType<typeof executeSuiteQL>;
const snapshots = new WeakMap<SandboxState, Map<string, { at: number; all: QueryResult }>>();

/** A page cut from the query's whole result, computed once per `suiteqlPageSnapshotSeconds`. */
function fromSnapshot(
  state: SandboxState,
  key: string,
  limit: number,
  offset: number,
  run: (page: { limit: number; offset: number }) => QueryResult,
): QueryResult {
  const ttlMs = state.settings.behaviour.suiteqlPageSnapshotSeconds * 1000;
  const cache = snapshots.get(state) ?? new Map<string, { at: number; all: QueryResult }>();
  snapshots.set(state, cache);
  const now = Date.now();
  for (const [k, v] of cache) if (now - v.at > ttlMs) cache.delete(k);
  let hit = cache.get(key);
  if (!hit || offset === 0) {
    hit = { at: now, all: run({ limit: LIMITS.suiteqlMaxRows, offset: 0 }) };
    cache.set(key, hit);
  }
  const items = hit.all.items.slice(offset, offset + limit);
  return { ...hit.all, items, hasMore: offset + limit < hit.all.items.length || hit.all.hasMore };
}
