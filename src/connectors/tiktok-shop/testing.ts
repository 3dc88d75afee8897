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
