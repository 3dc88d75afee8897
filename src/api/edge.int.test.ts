/**
 * Hostile input at the REST API edge (issue #11): NUL characters and unpaired surrogates in filters,
 * ids, notes, run parameters and edited payloads get a 400 naming the field; a database data
 * exception that still gets through is a 4xx, never a 500; buyer data is never cached; /readyz
 * does not echo database error text.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEnv, testEnv } from '../../test/support/env.ts';
import { selftestFlow } from '../flows/selftest.ts';
import { openRuntime, type Runtime } from '../main/runtime.ts';
import { silentLogger } from '../shared/log.ts';
import { pingDatabase } from '../store/index.ts';
import { API_BODY_LIMIT, createApp } from './app.ts';
import { errorBody, statusFor } from './errors.ts';

let env: TestEnv;
let rt: Runtime;
let app: ReturnType<typeof createApp>;
const TOKEN = 'test-admin-token-edge-0123456789';
const UUID = '00000000-0000-4000-8000-000000000000';
const req = (path: string, init: RequestInit = {}) =>
  app.request(path, { ...init, headers: { authorization: `Bearer ${TOKEN}`, ...init.headers } });
const post = (path: string, body: unknown) =>
  req(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

interface ErrorAnswer {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}
async function expect400(res: Response, field: string): Promise<void> {
  const body = (await res.json()) as ErrorAnswer;
  expect(res.status, JSON.stringify(body)).toBe(400);
  expect(body.error.code).toBe('validation_failed');
  expect(body.error.message).toContain(field);
  expect(body.error.message).toMatch(/NUL|surrogate/);
}

beforeAll(async () => {
  env = testEnv('api-edge');
  rt = await openRuntime(env.config(), { log: silentLogger(), flows: [selftestFlow as never] });
  app = createApp({
    stores: rt.stores,
    engine: rt.engine,
    registry: rt.registry,
    log: silentLogger(),
    readiness: {
      database: () => pingDatabase(rt.handle),
      broken: () => Promise.reject(new Error('password authentication failed for user "tiksuite"')),
    },
    auth: { token: TOKEN, metricsPublic: true },
  });
});
afterAll(async () => {
  await rt.close({ graceMs: 0 });
  await env.cleanup();
});

describe('NUL and unpaired surrogates at the REST API', () => {
  it('refuses them in query filters with a 400 naming the parameter', async () => {
    await expect400(await req('/api/runs?flow=self%00test'), 'flow');
    await expect400(await req('/api/errors?flow=a%00'), 'flow');
    await expect400(await req('/api/errors?class=%00'), 'class');
    await expect400(await req('/api/errors?grouped=true&flow=%00'), 'flow');
    expect((await req(`/api/runs?flow=${'x'.repeat(300)}`)).status).toBe(400);
  });

  it('refuses them in path ids', async () => {
    await expect400(await req('/api/errors/%00'), 'id');
    await expect400(await req('/api/runs/%00'), 'id');
    await expect400(await post('/api/errors/%00/resolve', {}), 'id');
    await expect400(await post('/api/error-groups/ab%00/retry', {}), 'fingerprint');
  });

  it('refuses them in a resolve note, run parameters and an edited payload', async () => {
    await expect400(await post(`/api/errors/${UUID}/resolve`, { note: 'done\u0000' }), 'note');
    await expect400(await post(`/api/errors/${UUID}/resolve`, { note: 'half \ud83d' }), 'note');
    await expect400(
      await post('/api/flows/selftest/runs', { params: { records: 1, label: 'a\u0000b' } }),
      'params.label',
    );
    await expect400(await post('/api/flows/selftest/runs', { params: { 'k\udc00': 1 } }), 'params.k');
    await expect400(
      await post(`/api/errors/${UUID}/retry`, { payload: { order: { lines: [{ sku: 'A\u0000' }] } } }),
      'payload.order.lines.0.sku',
    );
  });

  it('still takes clean text', async () => {
    expect((await req('/api/runs?flow=selftest%20%F0%9F%98%80')).status).toBe(200);
    expect((await post(`/api/errors/${UUID}/resolve`, { note: 'fixed 😀' })).status).toBe(404);
  });
});

describe('database data exceptions that reach the error handler', () => {
  const thrownBy = async (query: string): Promise<unknown> =>
    sql
      .raw(query)
      .execute(rt.stores.db)
      .then(
        () => undefined,
        (err: unknown) => err,
      );

  it('are a 4xx with the SQLSTATE and a clear message, never a 500', async () => {
    for (const [query, sqlstate] of [
      ["SELECT 'x'::uuid", '22P02'],
      ['SELECT 99999999999::integer', '22003'],
      ['SELECT 1/0', '22012'],
    ] as const) {
      const err = await thrownBy(query);
      expect(statusFor(err), query).toBe(400);
      expect(errorBody(err).error).toMatchObject({ code: 'database_rejected_input', sqlstate });
    }
    await thrownBy('CREATE TEMP TABLE edge_once (id int PRIMARY KEY)');
    await thrownBy('INSERT INTO edge_once VALUES (1)');
    const dup = await thrownBy('INSERT INTO edge_once VALUES (1)');
    expect(statusFor(dup)).toBe(409);
    expect(errorBody(dup).error).toMatchObject({ code: 'database_conflict', sqlstate: '23505' });
    // Anything else from the database stays an internal error.
    expect(statusFor(await thrownBy('SELECT * FROM no_such_table'))).toBe(500);
  });

  it('a malformed id reaching the store answers 404 or 400, never 500', async () => {
    expect((await req('/api/errors/not-a-uuid')).status).toBe(404);
    expect((await post('/api/errors/not-a-uuid/resolve', {})).status).toBe(404);
  });
});

describe('bodies sent to the REST API', () => {
  it('are refused with 413 past API_BODY_LIMIT, even signed in, and nothing is stored', async () => {
    const big = { payload: { note: 'x'.repeat(API_BODY_LIMIT) } };
    const res = await post(`/api/errors/${UUID}/retry`, big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorAnswer).error.code).toBe('request_too_large');
    const runs = await post('/api/flows/selftest/runs', { params: { records: 1 } });
    expect(runs.status).toBe(202);
  });
});

describe('answers carrying buyer data', () => {
  it('are never cached: Cache-Control no-store on every /api answer', async () => {
    for (const res of [
      await req('/api/runs'),
      await req('/api/errors'),
      await req('/api/errors?grouped=true'),
      await req('/api/flows'),
      await req(`/api/errors/${UUID}`),
      await req('/api/runs?limit=0'),
      await app.request('/api/runs'),
    ]) {
      expect(res.headers.get('cache-control'), res.url).toBe('no-store');
    }
  });
});

describe('/readyz', () => {
  it('names the failing check without the database error text', async () => {
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ checks: { database: 'ok', broken: 'unavailable' } });
    expect(text).not.toMatch(/password|tiksuite"/);
  });
});
