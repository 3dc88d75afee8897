import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/support/proc.ts';
import { tbaAuthorizationHeader } from '../auth-tba.ts';
import { createSandboxApp } from './app.ts';
import { SandboxState } from './state.ts';

async function setup(settings: ConstructorParameters<typeof SandboxState>[0]) {
  const state = new SandboxState(settings);
  await state.init();
  const app = createSandboxApp(state);
  let n = 0;
  const signed = (method: string, url: string) =>
    tbaAuthorizationHeader(method, url, state.auth.tba, {
      realm: '1234567_SB1',
      nonce: `nonce-${++n}-abcdef`,
      timestamp: Math.floor(Date.now() / 1000),
    });
  return { state, app, signed };
}

/** Waits until a request is in flight (holding the one slot), instead of guessing how long that takes. */
async function holdsTheSlot(state: SandboxState): Promise<void> {
  await waitFor(
    async () => state.governance.stats().in_flight,
    (n) => n === 1,
    undefined,
    1,
  );
}

describe('sandbox app (in-process, Hono app.request)', () => {
  it('answers the documented 429 body when the concurrency limit is reached (reference 6.1)', async () => {
    const { state, app, signed } = await setup({
      concurrency: 1,
      latency: { baseMs: 200 },
      behaviour: { retryAfterOn429Sec: 2 },
    });
    const url = 'http://sandbox.local/services/rest/record/v1/customer/eid:CUST-DEMO';
    const first = app.request(url, { headers: { authorization: signed('GET', url) } });
    await holdsTheSlot(state);
    const second = await app.request(url, { headers: { authorization: signed('GET', url) } });
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('2');
    expect(await second.json()).toEqual({
      type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html',
      title: 'Bad Request',
      status: 429,
      'o:errorCode': 'USER_ERROR',
      'o:errorDetails': [
        {
          detail: 'Concurrent request limit exceeded. Request blocked.',
          'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED',
        },
      ],
    });
    expect((await first).status).toBe(200);
  });

  it('can answer overload with a slow INVALID_LOGIN instead of 429 (fault switch)', async () => {
    const { state, app, signed } = await setup({
      concurrency: 1,
      latency: { baseMs: 200 },
      faults: { overloadInvalidLoginMs: 50 },
    });
    const url = 'http://sandbox.local/services/rest/record/v1/customer/eid:CUST-DEMO';
    const first = app.request(url, { headers: { authorization: signed('GET', url) } });
    await holdsTheSlot(state);
    const t0 = performance.now();
    const second = await app.request(url, { headers: { authorization: signed('GET', url) } });
    expect(second.status).toBe(401);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect((await first).status).toBe(200);
  });

  it('answers 401 INVALID_LOGIN without credentials, 405 and unknown types as problem documents', async () => {
    const { app, signed } = await setup({});
    const none = await app.request('http://sandbox.local/services/rest/record/v1/customer');
    expect(none.status).toBe(401);
    expect(await none.text()).toContain('"o:errorCode":"INVALID_LOGIN"');
    const url = 'http://sandbox.local/services/rest/record/v1/customer';
    const put = await app.request(url, { method: 'PUT', headers: { authorization: signed('PUT', url) } });
    expect(put.status).toBe(405);
    const bad = 'http://sandbox.local/services/rest/record/v1/notARecord/1';
    expect((await app.request(bad, { headers: { authorization: signed('GET', bad) } })).status).toBe(404);
  });

  it('serves sub-resources and answers the sales order in NetSuite JSON', async () => {
    const { app, signed } = await setup({});
    const post = 'http://sandbox.local/services/rest/record/v1/salesOrder';
    const created = await app.request(post, {
      method: 'POST',
      headers: { authorization: signed('POST', post), 'content-type': 'application/json' },
      body: '{"entity":{"externalId":"CUST-DEMO"},"location":{"externalId":"LOC-AUS"},"item":{"items":[{"item":{"externalId":"SKU-MUG-BLUE"},"quantity":2,"rate":19.99}]}}',
    });
    expect(created.status).toBe(204);
    const location = created.headers.get('location')!;
    expect(location).toMatch(/^http:\/\/sandbox\.local\/services\/rest\/record\/v1\/salesOrder\/\d+$/);
    const sub = `${location}/item`;
    const lines = await app.request(sub, { headers: { authorization: signed('GET', sub) } });
    const text = await lines.text();
    expect(text).toContain('"amount":39.98');
    expect(text).toContain('"refName":"MUG-BLUE-12OZ"');
  });
});
