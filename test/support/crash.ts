/**
 * The crash runs' common ground (test/orders-crash.test.ts, test/fulfillment-crash.test.ts): the
 * sandboxes in their own `tiksuite sandbox` process, and the config of a `tiksuite serve` that is
 * killed with SIGKILL and restarted against them.
 */
import { createServer } from 'node:http';
import { secretTokenStore, tokensOf } from '../../src/connectors/tiktok-shop/index.ts';
import { DEMO_MAPPINGS } from '../../src/main/demo/demo-env.ts';
import { openRuntime } from '../../src/main/runtime.ts';
import { silentLogger } from '../../src/shared/log.ts';
import type { TestEnv } from './env.ts';
import { type Started, waitFor } from './proc.ts';

/** A shop as the TikTok sandbox's `GET /_sandbox/credentials` lists it, with its tokens. */
export interface SandboxShop {
  id: string;
  region: string;
  cipher: string;
  name: string;
  access_token: string;
  refresh_token: string;
  access_token_expire_in: number;
  refresh_token_expire_in: number;
  warehouse_id: string;
}

/**
 * The shops' tokens into the service's secret store before it starts (the embedded database has
 * one owner: this opens it, saves, and closes it again).
 */
export async function saveShopTokens(env: TestEnv, shops: readonly SandboxShop[]): Promise<void> {
  const rt = await openRuntime(env.config(), { log: silentLogger(), flows: [] });
  try {
    const tokens = secretTokenStore(rt.stores.secrets);
    for (const s of shops) await tokens.save(s.id, tokensOf(s));
  } finally {
    await rt.close({ graceMs: 0 });
  }
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** The URLs `tiksuite sandbox` prints once both emulators listen. */
export async function sandboxUrls(p: Started): Promise<{ tiktok: string; netsuite: string }> {
  const grab = (re: RegExp) => re.exec(p.output())?.[1];
  await waitFor(
    async () => [grab(/TikTok Shop sandbox listening on (\S+)/), grab(/NetSuite sandbox listening on (\S+)/)],
    ([t, n]) => !!t && !!n,
    undefined,
    50,
  );
  return {
    tiktok: grab(/TikTok Shop sandbox listening on (\S+)/)!,
    netsuite: grab(/NetSuite sandbox listening on (\S+)/)!,
  };
}

/**
 * tiksuite.yaml of the service under test: quick recovery after a kill (a killed worker's jobs come
 * back after one missed heartbeat, pg-boss's minimum of 10 s; inbox rows claimed by a killed process
 * are pumped again after 5 s instead of 60), the demo's mappings. `queue` and `netsuite` are merged
 * over these; `extra` adds blocks.
 */
export function crashServiceConfig(o: {
  tiktokUrl: string;
  netsuiteUrl: string;
  tt: { app_key: unknown; app_secret: unknown };
  ns: Record<string, string>;
  shops: SandboxShop[];
  queue?: Record<string, unknown>;
  netsuiteConcurrency?: number;
  extra?: Record<string, unknown>;
}) {
  return {
    server: { shutdownGraceSeconds: 1 },
    queue: {
      heartbeatSeconds: 10,
      superviseIntervalSeconds: 1,
      retryDelaySeconds: 1,
      retryDelayMaxSeconds: 5,
      pollingIntervalSeconds: 0.5,
      batchSize: 200,
      concurrency: 200,
      ...o.queue,
    },
    tiktok: {
      appKey: o.tt.app_key,
      appSecret: o.tt.app_secret,
      baseUrl: o.tiktokUrl,
      authBaseUrl: o.tiktokUrl,
      rateLimitPerSec: 200,
    },
    netsuite: {
      accountId: o.ns.account_id,
      baseUrl: o.netsuiteUrl,
      concurrency: o.netsuiteConcurrency ?? 15,
      auth: {
        type: 'tba',
        consumerKey: o.ns.consumer_key,
        consumerSecret: o.ns.consumer_secret,
        tokenId: o.ns.token_id,
        tokenSecret: o.ns.token_secret,
      },
    },
    shops: o.shops.map((s) => ({ id: s.id, cipher: s.cipher, name: s.name, region: s.region })),
    orders: { intakeClaimSeconds: 5 },
    mappings: DEMO_MAPPINGS,
    ...o.extra,
  };
}
