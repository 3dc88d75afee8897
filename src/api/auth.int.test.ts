import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestEnv, testEnv } from '../../test/support/env.ts';
import { selftestFlow } from '../flows/selftest.ts';
import { openRuntime, type Runtime } from '../main/runtime.ts';
import { silentLogger } from '../shared/log.ts';
import { pingDatabase } from '../store/index.ts';
import { createApp } from './app.ts';

const TOKEN = 'admin-token-for-tests-0123456789';
let env: TestEnv;
let rt: Runtime;

const build = (token: string, metricsPublic: boolean) =>
  createApp({
    stores: rt.stores,
    engine: rt.engine,
    registry: rt.registry,
    log: silentLogger(),
    readiness: { database: () => pingDatabase(rt.handle) },
    auth: { token, metricsPublic },
  });
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  env = testEnv('auth');
  rt = await openRuntime(env.config(), { log: silentLogger(), flows: [selftestFlow as never] });
  app = build(TOKEN, true);
});
afterAll(async () => {
  await rt.close({ graceMs: 0 });
  await env.cleanup();
});
afterEach(() => {
  vi.useRealTimers();
});

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** Signs in through the login URL and returns the cookie to send back. */
async function login(a = app): Promise<string> {
  const res = await a.request(`/login?token=${TOKEN}`);
  expect(res.status).toBe(302);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

describe('admin token on the REST API', () => {
  it('answers 401 JSON saying how to get a token, without the token or with a wrong one', async () => {
    for (const init of [
      {},
      bearer('wrong-token-wrong-token'),
      bearer(''),
      { headers: { authorization: TOKEN } },
    ]) {
      const res = await app.request('/api/flows', init);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.json()).toEqual({
        error: { code: 'unauthorized', message: expect.stringMatching(/Authorization: Bearer.*login URL/) },
      });
    }
    // Before any validation or lookup: no route, body or id is revealed to a stranger.
    expect((await app.request('/api/nope')).status).toBe(401);
    const post = await app.request('/api/errors/x/resolve', { method: 'POST', body: '{bad' });
    expect(post.status).toBe(401);
  });

  it('lets the right bearer token in', async () => {
    const res = await app.request('/api/flows', bearer(TOKEN));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ flows: [{ id: 'selftest' }] });
    expect((await app.request('/api/flows', { headers: { authorization: `bearer  ${TOKEN}` } })).status).toBe(
      200,
    );
  });

  it('keeps health, readiness and unguarded prefixes (webhooks) open; /metrics as configured', async () => {
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/readyz')).status).toBe(200);
    expect((await app.request('/metrics')).status).toBe(200);
    // Not 401: routes outside /api and /dashboard are not behind the token (they check signatures).
    expect((await app.request('/webhooks/none', { method: 'POST' })).status).toBe(404);
    const closed = build(TOKEN, false);
    expect((await closed.request('/metrics')).status).toBe(401);
    expect((await closed.request('/metrics', bearer(TOKEN))).status).toBe(200);
    expect((await closed.request('/healthz')).status).toBe(200);
  });
});

describe('dashboard sign-in', () => {
  it('the login URL sets an HttpOnly SameSite=Strict session cookie and redirects to /dashboard', async () => {
    const res = await app.request(`/login?token=${TOKEN}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/dashboard');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^tiksuite_session=[^;]+;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toContain(TOKEN);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');

    const session = cookie.split(';')[0]!;
    const page = await app.request('/dashboard', { headers: { cookie: session } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('/dashboard/app.js');
    const js = await app.request('/dashboard/app.js', { headers: { cookie: session } });
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await app.request('/api/runs', { headers: { cookie: session } })).status).toBe(200);
    const slash = await app.request('/dashboard/', { headers: { cookie: session } });
    expect(slash.headers.get('location')).toBe('/dashboard');
  });

  it('a wrong token gets a 401 page and no cookie; no session sends the browser to sign in', async () => {
    const res = await app.request('/login?token=not-the-token');
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toMatch(/not valid/);
    const form = await app.request('/login');
    expect(form.status).toBe(200);
    expect(await form.text()).toMatch(/<form method="post" action="\/login">/);
    for (const path of ['/dashboard', '/dashboard/', '/dashboard/app.js']) {
      const page = await app.request(path);
      expect(page.status, path).toBe(302);
      expect(page.headers.get('location')).toBe('/login');
    }
    expect((await app.request('/')).headers.get('location')).toBe('/dashboard');
  });

  it('signs in from the form, and signs out', async () => {
    const res = await app.request('/login', {
      method: 'POST',
      body: new URLSearchParams({ token: TOKEN }),
    });
    expect(res.status).toBe(302);
    const session = res.headers.get('set-cookie')!.split(';')[0]!;
    expect((await app.request('/api/flows', { headers: { cookie: session } })).status).toBe(200);
    const bad = await app.request('/login', { method: 'POST', body: new URLSearchParams({ token: 'x' }) });
    expect(bad.status).toBe(401);
    const out = await app.request('/logout', { method: 'POST', headers: { cookie: session } });
    expect(out.status).toBe(302);
    expect(out.headers.get('set-cookie')).toMatch(/^tiksuite_session=;.*Max-Age=0/);
  });

  it('refuses a tampered cookie, one from another token, and one older than the session lifetime', async () => {
    const session = await login();
    const [name, value] = session.split('=') as [string, string];
    const tampered = `${name}=${value.replace(/^\d/, (d) => String((Number(d) + 1) % 10))}`;
    expect((await app.request('/api/flows', { headers: { cookie: tampered } })).status).toBe(401);
    // Changing the admin token ends every session.
    const rotated = build('another-admin-token-0123456789', true);
    expect((await rotated.request('/api/flows', { headers: { cookie: session } })).status).toBe(401);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 8 * 24 * 3600 * 1000);
    expect((await app.request('/api/flows', { headers: { cookie: session } })).status).toBe(401);
  });

  it('serves only the files in web/, never a path outside it', async () => {
    const session = await login();
    for (const path of [
      '/dashboard/..%2Fpackage.json',
      '/dashboard/nope.js',
      '/dashboard/%2e%2e/README.md',
    ]) {
      const res = await app.request(path, { headers: { cookie: session } });
      expect(res.status, path).toBe(404);
    }
    const css = await app.request('/dashboard/style.css', { headers: { cookie: session } });
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  });
});
