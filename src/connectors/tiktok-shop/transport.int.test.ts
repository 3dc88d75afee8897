import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { createTikTokShopClient } from './client.ts';
import { PATHS } from './manifest.ts';
import { signRequest } from './signing.ts';
import { type Harness, startSandboxWithClient } from './testing.ts';

let h: Harness;
beforeAll(async () => {
  h = await startSandboxWithClient();
});
afterAll(() => h.close());

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

/** A hand-signed request, so the test controls exactly which bytes are signed and sent. */
async function rawCall(opts: { signedBody: string; sentBody: string; timestamp?: number }) {
  const shop = h.creds.shops[0]!;
  const query = {
    app_key: h.creds.app_key,
    shop_cipher: shop.cipher,
    timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
    page_size: '10',
  };
  const sign = signRequest({
    appSecret: h.creds.app_secret,
    path: PATHS.ordersSearch,
    query,
    body: opts.signedBody,
  });
  const qs = new URLSearchParams({ ...query, sign });
  const res = await fetch(`${h.sandbox.url}${PATHS.ordersSearch}?${qs}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tts-access-token': shop.access_token },
    body: opts.sentBody,
  });
  return { status: res.status, body: (await res.json()) as { code: number; message: string } };
}

describe('request signing against the sandbox', () => {
  it('accepts the exact signed bytes', async () => {
    const body = '{"order_status":"ON_HOLD"}';
    const r = await rawCall({ signedBody: body, sentBody: body });
    expect(r).toMatchObject({ status: 200, body: { code: 0 } });
  });

  it('rejects a body whose bytes differ from what was signed (HTTP 401, 106001)', async () => {
    const r = await rawCall({
      signedBody: '{"order_status":"ON_HOLD"}',
      sentBody: '{"order_status": "ON_HOLD"}',
    });
    expect(r).toMatchObject({ status: 401, body: { code: 106001 } });
  });

  it('rejects a timestamp outside the skew window with 36009004', async () => {
    const body = '{}';
    const r = await rawCall({
      signedBody: body,
      sentBody: body,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect(r.body.code).toBe(36009004);
  });

  it('maps a wrong app secret to tiktok_signature_invalid without retrying', async () => {
    const bad = createTikTokShopClient({
      appKey: h.creds.app_key,
      appSecret: 'not-the-secret',
      baseUrl: h.sandbox.url,
      tokenStore: h.store,
      retry: { baseDelayMs: 1, maxDelayMs: 1 },
    });
    const shop = h.creds.shops[0]!;
    const err = await failure(bad.shop({ id: shop.id, cipher: shop.cipher }).logistics.warehouses());
    expect(err.code).toBe('tiktok_signature_invalid');
    expect(err.retryable).toBe(false);
    expect(err.details.httpStatus).toBe(401);
  });
});

describe('retries through the shared policy', () => {
  it('recovers from HTTP 429 + 36009002', async () => {
    await h.admin('PUT', '/faults', {
      failNext: [{ pathPrefix: '/logistics', status: 429, code: 36009002, times: 2 }],
    });
    await expect(h.us.logistics.warehouses()).resolves.toHaveLength(1);
    expect((await h.admin<{ failNext: unknown[] }>('GET', '/faults')).failNext).toEqual([]);
  });

  it('treats a 200 carrying 36009002 as a rate limit too', async () => {
    await h.admin('PUT', '/faults', {
      failNext: [{ pathPrefix: '/logistics', status: 200, code: 36009002, times: 1 }],
    });
    await expect(h.us.logistics.warehouses()).resolves.toHaveLength(1);
  });

  it('retries 5xx and 36009003, and a dropped connection', async () => {
    await h.admin('PUT', '/faults', {
      failNext: [
        { pathPrefix: '/logistics', status: 500, code: 36009003, times: 1 },
        { pathPrefix: '/logistics', status: 200, code: 36009003, times: 1 },
        { pathPrefix: '/logistics', status: 0, code: 0, times: 1 },
      ],
    });
    await expect(h.us.logistics.warehouses()).resolves.toHaveLength(1);
  });

  it('gives up after maxAttempts with a retryable tiktok_internal', async () => {
    await h.admin('PUT', '/faults', {
      failNext: [{ pathPrefix: '/logistics', status: 503, code: 36009003, times: 5 }],
    });
    const err = await failure(h.us.logistics.warehouses());
    expect(err.code).toBe('tiktok_internal');
    expect(err.retryable).toBe(true);
  });

  // A throttled call waits and retries; how many retries the refill takes depends on how busy
  // the machine is, so these two use a client whose retry budget (50 attempts) far exceeds it.
  const patient = () => h.shopsWith({ retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 50 } });

  it('keeps all calls succeeding under the sandbox per-shop rate limit', async () => {
    const { us } = patient();
    await h.admin('PUT', '/faults', { rateLimit: { perSecond: 200, burst: 3 } });
    try {
      const results = await Promise.all(Array.from({ length: 12 }, () => us.logistics.warehouses()));
      expect(results.every((w) => w.length === 1)).toBe(true);
    } finally {
      await h.admin('PUT', '/faults', { rateLimit: null });
    }
  });

  it('applies the app-wide bucket across shops', async () => {
    const { us, gb } = patient();
    await h.admin('PUT', '/faults', { rateLimit: { perSecond: 1000, burst: 2, appPerSecond: 100 } });
    try {
      const calls = Array.from({ length: 8 }, (_, i) => (i % 2 ? gb : us).logistics.warehouses());
      expect((await Promise.all(calls)).every((w) => w.length === 1)).toBe(true);
    } finally {
      await h.admin('PUT', '/faults', { rateLimit: null });
    }
  });

  it('refuses a shop with tokens of its own once the other shop has used up the app-wide bucket', async () => {
    // Per shop: burst 2, refilled at once. App-wide: burst 2, one token per 1,000 s.
    await h.admin('PUT', '/faults', { rateLimit: { perSecond: 1000, burst: 2, appPerSecond: 0.001 } });
    try {
      await h.gb.logistics.warehouses();
      await h.gb.logistics.warehouses();
      const err = await failure(h.us.logistics.warehouses());
      expect(err.code).toBe('tiktok_rate_limited');
    } finally {
      await h.admin('PUT', '/faults', { rateLimit: null });
    }
  });

  it('adds configured latency', async () => {
    await h.admin('PUT', '/faults', { latencyMs: { min: 30, max: 40 } });
    try {
      const t0 = Date.now();
      await h.us.logistics.warehouses();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(29);
    } finally {
      await h.admin('PUT', '/faults', { latencyMs: { min: 0, max: 0 } });
    }
  });

  it('does not retry a parameter error', async () => {
    await h.admin('PUT', '/faults', {
      failNext: [{ pathPrefix: '/logistics', status: 200, code: 36009004, times: 1 }],
    });
    const err = await failure(h.us.logistics.warehouses());
    expect(err.code).toBe('tiktok_invalid_param');
    expect(err.retryable).toBe(false);
  });

  it('maps a missing API package to tiktok_scope_denied', async () => {
    await h.admin('PUT', '/faults', { deniedScopes: ['finance'] });
    try {
      const err = await failure(h.us.finance.statementsPage({}));
      expect(err.code).toBe('tiktok_scope_denied');
    } finally {
      await h.admin('PUT', '/faults', { deniedScopes: [] });
    }
  });
});

describe('tokens', () => {
  it('refreshes once on 105002 mid-run and stores the new tokens', async () => {
    const shopId = h.creds.shops[0]!.id;
    const before = await h.store.load(shopId);
    await h.us.logistics.warehouses();
    await h.admin('POST', '/tokens/expire', { shop_id: shopId });
    await expect(h.us.logistics.warehouses()).resolves.toHaveLength(1);
    const after = await h.store.load(shopId);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after?.refreshToken).toBeTruthy();
    // Concurrent calls after another expiry trigger a single refresh.
    await h.admin('POST', '/tokens/expire', { shop_id: shopId });
    await Promise.all([
      h.us.logistics.warehouses(),
      h.us.logistics.warehouses(),
      h.us.logistics.warehouses(),
    ]);
  });

  it('keeps paginating when the token expires between two pages', async () => {
    const shop = h.creds.shops[0]!;
    await h.admin('POST', '/products', {
      shop_id: shop.id,
      title: 'Pen',
      skus: [{ seller_sku: 'PEN', price: '1.00', quantity: 9 }],
    });
    for (let i = 0; i < 3; i++)
      await h.admin('POST', '/orders', { shop_id: shop.id, lines: [{ seller_sku: 'PEN', quantity: 1 }] });
    const seen: string[] = [];
    for await (const o of h.us.orders.search({}, { pageSize: 1 })) {
      seen.push(o.id);
      if (seen.length === 1) await h.admin('POST', '/tokens/expire', { shop_id: shop.id });
    }
    expect(seen).toHaveLength(3);
  });

  it('refreshes before expiry without hitting 105002', async () => {
    const shopId = h.creds.shops[1]!.id;
    const t = (await h.store.load(shopId))!;
    await h.store.save(shopId, { ...t, accessTokenExpiresAt: Math.floor(Date.now() / 1000) + 60 });
    await h.gb.logistics.warehouses();
    const fresh = (await h.store.load(shopId))!;
    expect(fresh.accessToken).not.toBe(t.accessToken);
    expect(fresh.accessTokenExpiresAt).toBeGreaterThan(Math.floor(Date.now() / 1000) + 86_400);
  });

  it('warns when the authorization is about to expire and fails cleanly once it has', async () => {
    const h2 = await startSandboxWithClient({ seed: 3, business: { refreshTokenTtlSeconds: 10 * 86_400 } });
    const notices: number[] = [];
    const c = createTikTokShopClient({
      appKey: h2.creds.app_key,
      appSecret: h2.creds.app_secret,
      baseUrl: h2.sandbox.url,
      authBaseUrl: h2.sandbox.url,
      tokenStore: h2.store,
      onReconsentDue: (n) => notices.push(n.daysLeft),
    });
    try {
      const s = h2.creds.shops[0]!;
      const shop = c.shop({ id: s.id, cipher: s.cipher });
      await shop.logistics.warehouses();
      await shop.logistics.warehouses();
      expect(notices).toHaveLength(1);
      expect(notices[0]).toBeGreaterThanOrEqual(9);
      expect(notices[0]).toBeLessThanOrEqual(10);
      await h2.admin('POST', '/tokens/expire', { shop_id: s.id, which: 'refresh' });
      await h2.admin('POST', '/tokens/expire', { shop_id: s.id, which: 'access' });
      const err = await failure(shop.logistics.warehouses());
      expect(err.code).toBe('tiktok_refresh_token_expired');
      expect(err.retryable).toBe(false);
    } finally {
      await h2.close();
    }
  });

  it('connects a shop from an auth code (token exchange + authorized shops)', async () => {
    const shop = h.creds.shops[1]!;
    const { code } = await h.admin<{ code: string }>('POST', '/auth_codes', { shop_id: shop.id });
    const url = h.client.authorizeUrl({ state: 'xyz' });
    expect(url).toContain('app_key=');
    const { shops, tokens } = await h.client.connect(code);
    expect(shops).toEqual([expect.objectContaining({ id: shop.id, cipher: shop.cipher, region: 'GB' })]);
    expect((await h.store.load(shop.id))?.accessToken).toBe(tokens.accessToken);
    await expect(h.client.connect(code)).rejects.toMatchObject({ code: 'tiktok_refresh_token_expired' });
    await expect(h.client.authorizedShops(shop.id)).resolves.toHaveLength(1);
  });

  it('reports a shop without tokens as not authorized', async () => {
    const err = await failure(h.client.shop({ id: 'nope', cipher: 'x' }).logistics.warehouses());
    expect(err.code).toBe('tiktok_shop_not_authorized');
  });
});
