/**
 * npm run bench:sandbox-tiktok
 *
 * 1. Sandbox throughput: the sandbox runs alone in a child process (one core); this process
 *    drives it over keep-alive HTTP with signed requests (order detail and order search) from
 *    many concurrent connections and reports requests/s and latency percentiles.
 * 2. Client overhead: the real client calls an in-process fetch that answers a canned envelope at
 *    once, so the time measured is ours (token lookup, signing, URL building, zod parsing).
 * Options: --seconds N per phase (default 4), --concurrency N (default 32); BENCH_CHILD_PROF=1
 * writes a CPU profile of the sandbox process to /tmp/ttprof2.
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import {
  createTikTokShopClient,
  MemoryTokenStore,
  PATHS,
  signRequest,
  startTikTokSandbox,
} from '../src/connectors/tiktok-shop/index.ts';
import { createTikTokSandbox } from '../src/connectors/tiktok-shop/sandbox/server.ts';

const { values: args } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '32' },
  },
});

interface Creds {
  url: string;
  app_key: string;
  app_secret: string;
  shops: Array<{ id: string; cipher: string; access_token: string }>;
}

if (args.serve) {
  const sb = await startTikTokSandbox({ seed: 1, speed: 0, faults: { rateLimit: null } });
  process.send?.({ url: sb.url, ...sb.credentials() });
  process.on('disconnect', () => void sb.close().then(() => process.exit(0)));
} else {
  await main();
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(label: string, samples: number[], unit: 'ms' | 'µs'): string {
  const s = [...samples].sort((a, b) => a - b);
  const f = (x: number) => (unit === 'µs' ? (x * 1000).toFixed(1) : x.toFixed(2));
  return `${label}: p50 ${f(pct(s, 50))} ${unit}, p90 ${f(pct(s, 90))} ${unit}, p99 ${f(pct(s, 99))} ${unit}, max ${f(s.at(-1) ?? 0)} ${unit} (n=${s.length})`;
}

async function admin(url: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/_sandbox${path}`, { method: 'POST', body: JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown>;
}

async function seed(c: Creds): Promise<string[]> {
  const shop = c.shops[0]!;
  await admin(c.url, '/products', {
    shop_id: shop.id,
    title: 'Bench socks',
    skus: [{ seller_sku: 'B-1', price: '9.99', quantity: 99_999 }],
  });
  const ids: string[] = [];
  for (let i = 0; i < 300; i++) {
    const r = await admin(c.url, '/orders', {
      shop_id: shop.id,
      lines: [{ seller_sku: 'B-1', quantity: 1 + (i % 3) }],
    });
    ids.push(String(r.order_id));
  }
  return ids;
}

/** One signed request over a keep-alive agent; resolves with the HTTP status. */
function signedCall(
  c: Creds,
  agent: Agent,
  method: 'GET' | 'POST',
  path: string,
  q: Record<string, string>,
  body?: string,
) {
  const shop = c.shops[0]!;
  const query = {
    ...q,
    app_key: c.app_key,
    shop_cipher: shop.cipher,
    timestamp: String(Math.floor(Date.now() / 1000)),
  };
  const sign = signRequest({ appSecret: c.app_secret, path, query, body });
  const u = new URL(`${c.url}${path}?${new URLSearchParams({ ...query, sign })}`);
  return new Promise<number>((resolve, reject) => {
    const req = request(
      u,
      {
        method,
        agent,
        headers: { 'content-type': 'application/json', 'x-tts-access-token': shop.access_token },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function throughput(c: Creds, orderIds: string[], heavy: boolean): Promise<void> {
  const seconds = Number(args.seconds);
  const concurrency = Number(args.concurrency);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const worker = async (w: number) => {
    for (let i = w; performance.now() < until; i += concurrency) {
      const t0 = performance.now();
      const status = !heavy
        ? await signedCall(c, agent, 'GET', PATHS.warehouses, {})
        : i % 2 === 0
          ? await signedCall(c, agent, 'GET', PATHS.ordersDetail, {
              ids: orderIds.slice(i % 250, (i % 250) + 10).join(','),
            })
          : await signedCall(
              c,
              agent,
              'POST',
              PATHS.ordersSearch,
              { page_size: '20' },
              '{"order_status":"ON_HOLD"}',
            );
      latencies.push(performance.now() - t0);
      if (status === 200) ok++;
      else failed++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  const mix = heavy ? 'order detail of 10 / order search of 20' : 'warehouses, a tiny answer';
  console.log(`sandbox throughput (child process, ${concurrency} connections, ${seconds}s, ${mix}):`);
  console.log(`  ${(ok / elapsed).toFixed(0)} signed requests/s served (${ok} ok, ${failed} failed)`);
  console.log(`  ${summary('latency', latencies, 'ms')}`);
}

async function clientOverhead(c: Creds): Promise<void> {
  // A canned order-detail answer, built once from the real sandbox so it has the real shape.
  const shop = c.shops[0]!;
  const real = createTikTokShopClient({
    appKey: c.app_key,
    appSecret: c.app_secret,
    baseUrl: c.url,
    tokenStore: await storeFor(c),
    rateLimitPerSec: 1e9,
    rateLimitBurst: 1e9,
  }).shop({ id: shop.id, cipher: shop.cipher });
  const [first] = await real.orders
    .search({}, { pageSize: 1 })
    .next()
    .then((r) => (r.value ? [r.value] : []));
  const canned = JSON.stringify({ code: 0, message: 'Success', request_id: 'x', data: { orders: [first] } });
  const stub = async () =>
    new Response(canned, { status: 200, headers: { 'content-type': 'application/json' } });
  const client = createTikTokShopClient({
    appKey: c.app_key,
    appSecret: c.app_secret,
    baseUrl: c.url,
    tokenStore: await storeFor(c),
    fetch: stub,
    rateLimitPerSec: 1e9,
    rateLimitBurst: 1e9,
  }).shop({ id: shop.id, cipher: shop.cipher });
  const id = String(first?.id);
  for (let i = 0; i < 2000; i++) await client.orders.getDetails([id]);
  const samples: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const t0 = performance.now();
    await client.orders.getDetails([id]);
    samples.push(performance.now() - t0);
  }
  console.log('client overhead per call (in-process stub fetch; sign + build + parse one order with zod):');
  console.log(`  ${summary('overhead', samples, 'µs')}`);
  const e2e: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = performance.now();
    await real.orders.getDetails([id]);
    e2e.push(performance.now() - t0);
  }
  console.log('client call against the sandbox over HTTP (sequential):');
  console.log(`  ${summary('round trip', e2e, 'ms')}`);
}

/** Handler cost without sockets: app.request() on an in-process sandbox, same seeded data. */
async function handlerCost(): Promise<void> {
  const { app, ctx } = createTikTokSandbox({ seed: 1, speed: 0, faults: { rateLimit: null } });
  const shop = [...ctx.state.shops.values()][0]!;
  const post = async (p: string, body: unknown) =>
    (await app.request(`http://sandbox/_sandbox${p}`, { method: 'POST', body: JSON.stringify(body) })).json();
  await post('/products', {
    shop_id: shop.id,
    title: 'x',
    skus: [{ seller_sku: 'B', price: '9.99', quantity: 99_999 }],
  });
  const ids: string[] = [];
  for (let i = 0; i < 300; i++) {
    const r = (await post('/orders', {
      shop_id: shop.id,
      lines: [{ seller_sku: 'B', quantity: 1 + (i % 3) }],
    })) as {
      order_id: string;
    };
    ids.push(r.order_id);
  }
  const kinds: Array<{
    name: string;
    method: string;
    path: string;
    q: Record<string, string>;
    body?: string;
  }> = [
    { name: 'warehouses', method: 'GET', path: PATHS.warehouses, q: {}, body: undefined },
    {
      name: 'order detail of 10',
      method: 'GET',
      path: PATHS.ordersDetail,
      q: { ids: ids.slice(0, 10).join(',') },
      body: undefined,
    },
    {
      name: 'order search of 20',
      method: 'POST',
      path: PATHS.ordersSearch,
      q: { page_size: '20' },
      body: '{"order_status":"ON_HOLD"}',
    },
  ];
  console.log('sandbox handler cost in-process (verify signature, token, route, render; no sockets):');
  for (const k of kinds) {
    const samples: number[] = [];
    for (let i = 0; i < 3500; i++) {
      const query = {
        ...k.q,
        app_key: ctx.appKey,
        shop_cipher: shop.cipher,
        timestamp: String(Math.floor(Date.now() / 1000)),
      };
      const sign = signRequest({ appSecret: ctx.appSecret, path: k.path, query, body: k.body });
      const t0 = performance.now();
      const res = await app.request(`http://sandbox${k.path}?${new URLSearchParams({ ...query, sign })}`, {
        method: k.method,
        body: k.body,
        headers: { 'x-tts-access-token': shop.authorization.accessToken },
      });
      await res.text();
      if (i >= 500) samples.push(performance.now() - t0);
    }
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    console.log(`  ${k.name}: ${(1000 / mean).toFixed(0)} req/s per core; ${summary('cost', samples, 'µs')}`);
  }
}

async function storeFor(c: Creds): Promise<MemoryTokenStore> {
  const store = new MemoryTokenStore();
  const far = Math.floor(Date.now() / 1000) + 365 * 86_400;
  for (const s of c.shops) {
    await store.save(s.id, {
      accessToken: s.access_token,
      accessTokenExpiresAt: far,
      refreshToken: 'r',
      refreshTokenExpiresAt: far,
    });
  }
  return store;
}

async function main(): Promise<void> {
  const child = fork(new URL(import.meta.url).pathname, ['--serve'], {
    execArgv: process.env.BENCH_CHILD_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/ttprof2'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const creds = await new Promise<Creds>((resolve) => child.once('message', (m) => resolve(m as Creds)));
  try {
    const ids = await seed(creds);
    await throughput(creds, ids, false);
    await throughput(creds, ids, true);
    await clientOverhead(creds);
    await handlerCost();
  } finally {
    child.disconnect();
  }
}
