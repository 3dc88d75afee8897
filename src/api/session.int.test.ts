/**
 * The dashboard session against hostile use (issue #11): a page on another port of the same host
 * (same site, so the SameSite=Strict cookie goes along) must not change anything with the cookie,
 * while bearer-token scripts keep working; logout revokes the session in the database, so a copy
 * of the cookie replayed afterwards is refused by every app on that database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEnv, testEnv, usePostgres } from '../../test/support/env.ts';
import { selftestFlow } from '../flows/selftest.ts';
import { openRuntime, type Runtime } from '../main/runtime.ts';
import { silentLogger } from '../shared/log.ts';
import { pingDatabase } from '../store/index.ts';
import { createApp } from './app.ts';

const TOKEN = 'admin-token-for-session-tests-0123';
const OWN = 'http://localhost'; // app.request() URLs are http://localhost/...
let env: TestEnv;
let rt: Runtime;
let other: Runtime | undefined;

const build = (runtime: Runtime) =>
  createApp({
    stores: runtime.stores,
    engine: runtime.engine,
    registry: runtime.registry,
    log: silentLogger(),
    readiness: { database: () => pingDatabase(runtime.handle) },
    auth: { token: TOKEN, metricsPublic: true },
  });
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  env = testEnv('session');
  rt = await openRuntime(env.config(), { log: silentLogger(), flows: [selftestFlow as never] });
  app = build(rt);
  // On PostgreSQL a second runtime (its own pool and pg-boss) stands for a second `serve` process.
  if (usePostgres)
    other = await openRuntime(env.config(), { log: silentLogger(), flows: [selftestFlow as never] });
});
afterAll(async () => {
  await other?.close({ graceMs: 0 });
  await rt.close({ graceMs: 0 });
  await env.cleanup();
});

async function login(a = app): Promise<string> {
  const res = await a.request(`/login?token=${TOKEN}`);
  expect(res.status).toBe(302);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

const startRun = (a: ReturnType<typeof createApp>, headers: Record<string, string>, body = '{}') =>
  a.request('/api/flows/selftest/runs', { method: 'POST', body, headers });

describe('CSRF guard on cookie-authenticated writes', () => {
  it('refuses a write from another origin of the same site, or from no known origin, with 403', async () => {
    const cookie = await login();
    const json = { cookie, 'content-type': 'application/json' };
    for (const headers of [
      { ...json, origin: 'http://localhost:8081', 'sec-fetch-site': 'same-site' },
      { ...json, origin: 'http://localhost:8081' },
      { ...json, origin: 'https://localhost' },
      { ...json, origin: 'null' },
      { ...json, 'sec-fetch-site': 'same-site' },
      json,
    ]) {
      const res = await startRun(app, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toMatchObject({
        error: { code: 'csrf_origin_refused', message: expect.stringMatching(/Bearer/) },
      });
    }
    const resolve = await app.request('/api/errors/00000000-0000-4000-8000-000000000000/resolve', {
      method: 'POST',
      body: '{}',
      headers: { cookie, origin: 'http://localhost:3000' },
    });
    expect(resolve.status).toBe(403);
  });

  it('refuses the content types an HTML form can send with 415, even from our own origin', async () => {
    const cookie = await login();
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await startRun(app, { cookie, origin: OWN, 'content-type': type });
      expect(res.status, type).toBe(415);
      expect(await res.json()).toMatchObject({
        error: { code: 'csrf_content_type_refused', message: expect.stringMatching(/application\/json/) },
      });
    }
  });

  it('lets the dashboard (same origin, JSON) and bearer-token scripts from anywhere through', async () => {
    const cookie = await login();
    expect((await startRun(app, { cookie, origin: OWN, 'content-type': 'application/json' })).status).toBe(
      202,
    );
    expect(
      (await startRun(app, { cookie, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }))
        .status,
    ).toBe(202);
    // Behind a TLS-terminating proxy the own origin is https.
    const proxied = { cookie, origin: 'https://localhost', 'x-forwarded-proto': 'https' };
    expect((await startRun(app, { ...proxied, 'content-type': 'application/json' })).status).toBe(202);
    // A body-less write (retry a group) from the dashboard sends no content type.
    const group = await app.request('/api/error-groups/abc/retry', {
      method: 'POST',
      headers: { cookie, origin: OWN },
    });
    expect(group.status).toBe(202);
    // Reading needs no origin: a cross-origin page cannot read the answer anyway.
    expect((await app.request('/api/runs', { headers: { cookie, origin: 'http://evil:1' } })).status).toBe(
      200,
    );
    const bearer = { authorization: `Bearer ${TOKEN}`, origin: 'http://localhost:8081' };
    expect((await startRun(app, { ...bearer, 'content-type': 'application/json' })).status).toBe(202);
    expect((await startRun(app, { ...bearer, 'content-type': 'text/plain' })).status).toBe(202);
  });
});

describe('logout', () => {
  it('revokes the session for good: the same cookie replayed afterwards gets 401', async () => {
    const cookie = await login();
    const peer = build(other ?? rt); // another app (own cache; another runtime on PostgreSQL)
    expect((await app.request('/api/flows', { headers: { cookie } })).status).toBe(200);
    expect((await peer.request('/api/flows', { headers: { cookie } })).status).toBe(200);
    const kept = await login(); // another browser's session stays valid

    const out = await app.request('/logout', { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(302);
    expect(out.headers.get('set-cookie')).toMatch(/^tiksuite_session=;.*Max-Age=0/);

    for (const a of [app, peer]) {
      const res = await a.request('/api/flows', { headers: { cookie } });
      expect(res.status).toBe(401);
      expect((await a.request('/dashboard', { headers: { cookie } })).headers.get('location')).toBe('/login');
      expect((await a.request('/api/flows', { headers: { cookie: kept } })).status).toBe(200);
    }
    // A logout on the other process ends a session this one has already seen.
    expect((await app.request('/api/flows', { headers: { cookie: kept } })).status).toBe(200);
    expect((await peer.request('/logout', { method: 'POST', headers: { cookie: kept } })).status).toBe(302);
    expect((await app.request('/api/flows', { headers: { cookie: kept } })).status).toBe(401);
  });

  it('keeps only sessions that have not expired yet in the revocation table', async () => {
    await rt.stores.sessions.revoke('expired-session-id-00000', new Date(Date.now() - 1000));
    await rt.stores.sessions.revoke('live-session-id-0000000', new Date(Date.now() + 60_000));
    const ids = (await rt.stores.db.selectFrom('revoked_sessions').select('id').execute()).map((r) => r.id);
    expect(ids).toContain('live-session-id-0000000');
    expect(ids).not.toContain('expired-session-id-00000');
  });
});
