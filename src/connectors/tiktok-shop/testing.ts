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

/**
 * Trade for the finance tests, on the first (US) shop: `count` orders of a mug and a plate (every
 * other one shipped by TikTok, the fourth with a seller discount, the fifth with a platform
 * discount), shipped through the client and delivered; the first refunded in full (a refund
 * administration fee), the second charged back 4.25; then 9 days on, so they complete and settle.
 * Resolves with the order ids.
 */
export async function tradeForFinance(h: Harness, count: number): Promise<string[]> {
  const shopId = h.creds.shops[0]!.id;
  await h.admin('POST', '/products', {
    shop_id: shopId,
    title: 'Mug',
    skus: [
      { seller_sku: 'MUG', price: '12.99', quantity: 100 },
      { seller_sku: 'PLATE', price: '7.33', quantity: 100 },
    ],
  });
  const [opt] = await h.us.logistics.deliveryOptions(h.creds.shops[0]!.warehouse_id);
  const provider = (await h.us.logistics.shippingProviders(opt!.id))[0]!.id;
  const orders: string[] = [];
  for (let i = 0; i < count; i++) {
    const { order_id } = await h.admin<{ order_id: string }>('POST', '/orders', {
      shop_id: shopId,
      lines: [
        { seller_sku: 'MUG', quantity: 1 + (i % 3) },
        { seller_sku: 'PLATE', quantity: 1 },
      ],
      shipping_type: i % 2 === 0 ? 'TIKTOK' : 'SELLER',
      shipping_fee: i % 2 === 0 ? '0' : '5.99',
      seller_discount: i === 3 ? '2.01' : '0',
      platform_discount: i === 4 ? '3.33' : '0',
    });
    orders.push(order_id);
  }
  h.sandbox.advance(3600);
  for (const [i, id] of orders.entries()) {
    // Platform-shipping orders ship their TikTok package; the seller's carrier is not on offer.
    if (i % 2 === 0) {
      const [o] = await h.us.orders.getDetails([id]);
      await h.us.fulfillment.shipPackage(o!.packages[0]!.id, { handover_method: 'DROP_OFF' });
    } else {
      await h.us.fulfillment.markShipped(id, { tracking_number: `T-${id}`, shipping_provider_id: provider });
    }
    await h.admin('POST', `/orders/${id}/deliver`);
  }
  const { return_id } = await h.admin<{ return_id: string }>('POST', `/orders/${orders[0]}/return`, {
    return_type: 'REFUND',
  });
  await h.us.returns.approveReturn(return_id, { decision: 'APPROVE_REFUND' });
  await h.admin('POST', '/adjustments', {
    shop_id: shopId,
    amount: '-4.25',
    type: 'CHARGE_BACK',
    order_id: orders[1],
  });
  h.sandbox.advance(9 * 86_400);
  return orders;
}
