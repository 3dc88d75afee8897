/**
 * A sandbox plus a real client pointed at it over HTTP, with the sandbox's seeded tokens in a
 * memory store. For integration tests here and the end-to-end runs (issue 5); not used by
 * production code.
 */
import { MemoryTokenStore, type Tokens } from './auth.ts';
import { createTikTokShopClient, type TikTokShopClientOptions } from './client.ts';
import type { TikTokSandboxOptions } from './sandbox/options.ts';
import { type SandboxShopCredentials, startTikTokSandbox } from './sandbox/server.ts';

export function tokensOf(s: SandboxShopCredentials): Tokens {
  return {
    accessToken: s.access_token,
    accessTokenExpiresAt: s.access_token_expire_in,
    refreshToken: s.refresh_token,
    refreshTokenExpiresAt: s.refresh_token_expire_in,
    region: s.region,
  };
}

export async function startSandboxWithClient(
  sandboxOpts: TikTokSandboxOptions = {},
  clientOpts: Partial<TikTokShopClientOptions> = {},
) {
  const sandbox = await startTikTokSandbox({
    seed: 42,
    speed: 0,
    ...sandboxOpts,
    faults: { rateLimit: null, ...sandboxOpts.faults },
  });
  const creds = sandbox.credentials();
  const store = new MemoryTokenStore();
  for (const s of creds.shops) await store.save(s.id, tokensOf(s));
  const base: TikTokShopClientOptions = {
    appKey: creds.app_key,
    appSecret: creds.app_secret,
    baseUrl: sandbox.url,
    authBaseUrl: sandbox.url,
    tokenStore: store,
    retry: { baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 5 },
    rateLimitPerSec: 10_000,
    rateLimitBurst: 10_000,
    ...clientOpts,
  };
  const client = createTikTokShopClient(base);
  /** Calls the admin API; rejects on a non-2xx answer. */
  async function admin<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const res = await fetch(`${sandbox.url}/_sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json: unknown = await res.json();
    if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json as T;
  }
  /** The two seeded shops as seen by a client built with these options over the harness's. */
  function shopsWith(more: Partial<TikTokShopClientOptions>) {
    const c = createTikTokShopClient({ ...base, ...more });
    const [us, gb] = creds.shops.map((s) => c.shop({ id: s.id, cipher: s.cipher }));
    return { us: us!, gb: gb! };
  }
  const [us, gb] = creds.shops.map((s) => client.shop({ id: s.id, cipher: s.cipher }));
  return {
    sandbox,
    creds,
    store,
    client,
    admin,
    shopsWith,
    us: us!,
    gb: gb!,
    close: () => sandbox.close(),
  };
}
export type Harness = Awaited<ReturnType<typeof startSandboxWithClient>>;

const DAY_MS = 86_400_000;

/** Moves the sandbox's business clock to just past the next 00:00 UTC (the daily settlement). */
export function advancePastMidnight(h: Harness, extraSeconds = 60): void {
  const now = h.sandbox.now();
  const next = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
  h.sandbox.advance((next - now) / 1000 + extraSeconds);
}

/**
 * Places an order through the admin API (`body` as POST /_sandbox/orders, without shop_id), lets
 * its hold pass, ships it with the seller's first carrier through the client and delivers it.
 * With `completeAfterSeconds: 0` it is COMPLETED at once and settles at the next midnight.
 */
export async function deliveredOrder(
  h: Harness,
  shop: 'us' | 'gb',
  body: Record<string, unknown>,
): Promise<{ order_id: string; line_item_ids: string[] }> {
  const creds = h.creds.shops[shop === 'us' ? 0 : 1]!;
  const api = h[shop];
  const o = await h.admin<{ order_id: string; line_item_ids: string[] }>('POST', '/orders', {
    shop_id: creds.id,
    ...body,
  });
  h.sandbox.advance(3600);
  const [option] = await api.logistics.deliveryOptions(creds.warehouse_id);
  const [provider] = await api.logistics.shippingProviders(option!.id);
  await api.fulfillment.markShipped(o.order_id, {
    tracking_number: `FIN-${o.order_id}`,
    shipping_provider_id: provider!.id,
  });
  await h.admin('POST', `/orders/${o.order_id}/deliver`);
  return o;
}
