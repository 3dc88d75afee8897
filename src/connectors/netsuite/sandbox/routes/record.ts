/**
 * `/services/rest/record/v1/...` (reference section 4.1): list, create, get, patch, put (upsert
 * by eid only), delete, sub-resource reads and `!transform`.
 */

import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { LIMITS, PATHS } from '../../manifest.ts';
import { invalidParameter, invalidRequest, notFound, SandboxError } from '../problem.ts';
import { compileQ } from '../q-filter.ts';
import { recordUrl, renderRecord } from '../render.ts';
import type { SandboxState } from '../state.ts';
import type { StoredRecord } from '../store.ts';
import { resolveType, type SbType } from '../types.ts';
import { Dec, Enum, Ref } from '../values.ts';
import { decodeSegment, type Env, lineCount, readBody, sleep } from './util.ts';

const SINGULAR = 'application/vnd.oracle.resource+json; type=singular';
const COLLECTION = 'application/vnd.oracle.resource+json; type=collection';

interface Target {
  type: SbType;
  key?: string;
  sub?: string;
  transformTo?: SbType;
}

function parsePath(path: string): Target {
  const parts = path
    .slice(PATHS.record.length + 1)
    .split('/')
    .filter(Boolean)
    .map(decodeSegment);
  const type = parts[0] ? resolveType(parts[0]) : undefined;
  if (!type)
    throw new SandboxError(404, 'INVALID_REQUEST', `Record type '${parts[0] ?? ''}' does not exist.`);
  if (parts[2] === '!transform') {
    const to = parts[3] ? resolveType(parts[3]) : undefined;
    if (!to) throw invalidRequest(`Invalid transform target '${parts[3] ?? ''}'.`);
    return { type, key: parts[1]!, transformTo: to };
  }
  return { type, ...(parts[1] ? { key: parts[1] } : {}), ...(parts[2] ? { sub: parts[2] } : {}) };
}

export async function recordRoute(c: Context<Env>, state: SandboxState): Promise<Response> {
  const t = parsePath(new URL(c.req.url).pathname);
  const method = c.req.method;
  if (/respond-async/i.test(c.req.header('prefer') ?? '')) {
    // Async jobs (section 4.10) are not emulated: refuse loudly rather than answer synchronously.
    throw invalidRequest('Asynchronous requests (Prefer: respond-async) are not supported by this sandbox.');
  }
  if (t.transformTo && method === 'POST')
    return write(c, state, 'transform', t, (body) =>
      state.engine.transform(t.type, t.key!, t.transformTo!, body),
    );
  if (!t.key) {
    if (method === 'GET') return list(c, state, t.type);
    if (method === 'POST') return write(c, state, 'write', t, (body) => state.engine.create(t.type, body));
  } else if (!t.sub) {
    if (method === 'GET') return get(c, state, t);
    if (method === 'PATCH')
      return write(c, state, 'write', t, (body) => state.engine.update(t.type, t.key!, body, replaceOf(c)));
    if (method === 'PUT') return upsert(c, state, t);
    if (method === 'DELETE') return remove(c, state, t);
  } else if (method === 'GET') return sublist(c, state, t);
  // 405 body is UNCONFIRMED (section 5.2): a problem document with INVALID_REQUEST.
  throw new SandboxError(405, 'INVALID_REQUEST', `Method ${method} is not allowed on this resource.`);
}

function replaceOf(c: Context<Env>): Set<string> {
  return new Set(
    (c.req.query('replace') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

async function get(c: Context<Env>, state: SandboxState, t: Target): Promise<Response> {
  await sleep(state.governance.latencyMs('read', 0));
  const rec = state.engine.find(t.type, t.key!);
  const fields = c.req.query('fields');
  const body = renderRecord(state.engine.store, rec, {
    origin: new URL(c.req.url).origin,
    expand: c.req.query('expandSubResources') === 'true',
    fields: fields ? new Set(fields.split(',')) : undefined,
  });
  return c.body(JSON.stringify(body), 200, { 'content-type': SINGULAR });
}

async function sublist(c: Context<Env>, state: SandboxState, t: Target): Promise<Response> {
  await sleep(state.governance.latencyMs('read', 0));
  const rec = state.engine.find(t.type, t.key!);
  const rendered = renderRecord(state.engine.store, rec, { origin: new URL(c.req.url).origin, expand: true });
  const value = rendered[t.sub!];
  if (!value || typeof value !== 'object' || !('items' in value)) throw notFound();
  return c.body(JSON.stringify(value), 200, { 'content-type': COLLECTION });
}

type WriteKind = 'write' | 'transform';

async function write(
  c: Context<Env>,
  state: SandboxState,
  kind: WriteKind,
  t: Target,
  run: (body: unknown) => StoredRecord,
): Promise<Response> {
  const body = await readBody(c);
  await sleep(state.governance.latencyMs(kind, lineCount(body)));
  if (t.key && state.governance.locked(t.type, state.engine.find(t.type, t.key).id)) throw locked();
  const rec = run(body);
  return committed(c, state, rec, kind === 'transform' ? state.settings.behaviour.locationOnTransform : true);
}

async function upsert(c: Context<Env>, state: SandboxState, t: Target): Promise<Response> {
  if (!t.key?.startsWith('eid:'))
    throw invalidRequest('PUT is supported only with an external id (eid:...).');
  const body = await readBody(c);
  await sleep(state.governance.latencyMs('write', lineCount(body)));
  const existing = state.engine.store.byExternalId(t.type, t.key.slice(4));
  if (existing && state.governance.locked(t.type, existing.id)) throw locked();
  const { rec } = state.engine.upsert(t.type, t.key.slice(4), body, replaceOf(c));
  return committed(c, state, rec, state.settings.behaviour.locationOnUpsert);
}

async function remove(c: Context<Env>, state: SandboxState, t: Target): Promise<Response> {
  await sleep(state.governance.latencyMs('delete', 0));
  const rec = state.engine.find(t.type, t.key!);
  if (state.governance.locked(t.type, rec.id)) throw locked();
  state.engine.delete(t.type, t.key!);
  return dropOr(c, state, () => c.body(null, 204));
}

/** 204 + absolute Location (section 4.2), unless the timeout-after-commit fault drops the answer. */
function committed(c: Context<Env>, state: SandboxState, rec: StoredRecord, withLocation: boolean): Response {
  return dropOr(c, state, () =>
    c.body(null, 204, withLocation ? { location: recordUrl(new URL(c.req.url).origin, rec) } : {}),
  );
}

function dropOr(c: Context<Env>, state: SandboxState, answer: () => Response): Response {
  if (state.governance.dropAfterCommit()) {
    // The write is saved; the client never hears about it (fault switch, section 6.3 model).
    c.env?.incoming?.socket.destroy();
  }
  return answer();
}

const locked = () =>
  new SandboxError(
    400,
    'RCRD_HAS_BEEN_CHANGED',
    'Record has been changed since you retrieved it. Please reload and try again.',
  );

async function list(c: Context<Env>, state: SandboxState, type: SbType): Promise<Response> {
  await sleep(state.governance.latencyMs('list', 0));
  const limit = Number(c.req.query('limit') ?? LIMITS.maxPageSize);
  const offset = Number(c.req.query('offset') ?? 0);
  checkPaging(limit, offset);
  const q = c.req.query('q');
  const pred = q ? compileQ(q) : undefined;
  const all = [...state.engine.store.ofType(type)].filter((r) => !pred || pred((f) => fieldOf(r, f)));
  const origin = new URL(c.req.url).origin;
  const base = `${origin}${PATHS.record}/${type}`;
  const page = all.slice(offset, offset + limit);
  const body = {
    links: pageLinks(base, q, limit, offset, all.length),
    count: page.length,
    hasMore: offset + limit < all.length,
    items: page.map((r) => ({ links: [{ rel: 'self', href: recordUrl(origin, r) }], id: r.id })),
    offset,
    totalResults: all.length,
  };
  return c.body(JSON.stringify(body), 200, { 'content-type': COLLECTION });
}

/** limit 1..1000 and offset a multiple of limit (section 4.7; 400 status UNCONFIRMED). */
export function checkPaging(limit: number, offset: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.maxPageSize)
    throw invalidParameter(`Invalid limit ${limit}: use 1 to 1000.`);
  if (!Number.isInteger(offset) || offset < 0 || offset % limit !== 0)
    throw invalidParameter(`The offset ${offset} must be a multiple of the limit ${limit}.`);
}

export function pageLinks(base: string, q: string | undefined, limit: number, offset: number, total: number) {
  const href = (o: number) => `${base}?${q ? `q=${encodeURIComponent(q)}&` : ''}limit=${limit}&offset=${o}`;
  const last = Math.max(0, Math.floor((total - 1) / limit) * limit);
  const links = [{ rel: 'first', href: href(0) }];
  if (offset > 0) links.push({ rel: 'prev', href: href(Math.max(0, offset - limit)) });
  if (offset + limit < total) links.push({ rel: 'next', href: href(offset + limit) });
  links.push({ rel: 'last', href: href(last) }, { rel: 'self', href: href(offset) });
  return links;
}

/** q filters read body fields case-insensitively; references compare by id. */
function fieldOf(rec: StoredRecord, field: string): unknown {
  const lower = field.toLowerCase();
  if (lower === 'id') return rec.id;
  if (lower === 'lastmodifieddate') return rec.modifiedMs;
  if (lower === 'datecreated' || lower === 'createddate') return rec.createdMs;
  const key = Object.keys(rec.body).find((k) => k.toLowerCase() === lower);
  const v = key === undefined ? undefined : rec.body[key];
  if (v instanceof Ref || v instanceof Enum) return v.id;
  if (v instanceof Dec) return v.text;
  return v;
}

export type { HttpBindings };
