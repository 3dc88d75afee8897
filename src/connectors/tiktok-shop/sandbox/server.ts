/**
 * The TikTok Shop sandbox: one port serving the business paths, the auth host's token paths and
 * the /_sandbox/ admin API. Deterministic given a seed; state lives in memory.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { systemClock } from '../../../shared/clock.ts';
import type { Ctx } from './context.ts';
import { Buckets, gate, type SandboxEnv } from './gate.ts';
import { resolveSettings, type TikTokSandboxOptions } from './options.ts';
import { type DeliveryRecord, WebhookPusher } from './push.ts';
import { IdFactory, randomToken, seededRandom } from './rng.ts';
import { adminRoutes } from './routes-admin.ts';
import { authRoutes } from './routes-auth.ts';
import { catalogRoutes } from './routes-catalog.ts';
import { financeRoutes } from './routes-finance.ts';
import { afterSaleRoutes } from './routes-orders-after.ts';
import { createShop } from './seed.ts';
import { seedLogistics } from './shipping.ts';
import { SimClock } from './sim-clock.ts';
import { SandboxState } from './state.ts';
import { scheduleDailySettlement } from './statements.ts';

export interface SandboxShopCredentials {
  id: string;
  name: string;
  region: string;
  cipher: string;
  access_token: string;
  refresh_token: string;
  access_token_expire_in: number;
  refresh_token_expire_in: number;
  warehouse_id: string;
}

export interface TikTokSandbox {
  url: string;
  port: number;
  appKey: string;
  appSecret: string;
  /** The Hono app, for in-process `app.request()` use. */
  app: Hono<SandboxEnv>;
  credentials(): { app_key: string; app_secret: string; shops: SandboxShopCredentials[] };
  /** Simulated business time (ms) and a way to jump it forward. */
  now(): number;
  advance(seconds: number): void;
  /** Waits until queued webhook pushes (and their retries) are done. */
  webhooksIdle(timeoutMs?: number): Promise<void>;
  deliveries(): DeliveryRecord[];
  ctx: Ctx;
  close(): Promise<void>;
}

/** Builds the sandbox without listening (used by startTikTokSandbox and in-process tests). */
export function createTikTokSandbox(opts: TikTokSandboxOptions = {}) {
  const seed = opts.seed ?? 1;
  const random = seededRandom(seed);
  const wall = opts.clock ?? systemClock;
  const sim = new SimClock({ wall, startMs: opts.startTime ?? wall.now(), speed: opts.speed ?? 1 });
  let pusher: WebhookPusher | undefined;
  const ctx: Ctx = {
    state: new SandboxState(),
    ids: new IdFactory(random),
    random,
    sim,
    wall,
    settings: resolveSettings(opts),
    appKey: opts.appKey ?? randomToken(random, '6', 11).toLowerCase(),
    appSecret: opts.appSecret ?? randomToken(random, '', 40).toLowerCase(),
    emit: (shopId, type, data) => pusher?.emit(shopId, type, data),
  };
  sim.onRun = () => {
    ctx.state.rev++;
  };
  pusher = new WebhookPusher(() => ctx, opts.fetch ?? globalThis.fetch);
  seedLogistics(ctx);
  for (const s of opts.shops ?? [{ region: 'US' }, { region: 'GB' }]) createShop(ctx, s);
  scheduleDailySettlement(ctx);

  const getCtx = () => ctx;
  const app = new Hono<SandboxEnv>();
  adminRoutes(app, getCtx, pusher);
  authRoutes(app, getCtx, opts.redirectUrl);
  const apiGate = gate(getCtx, new Buckets());
  app.use('*', async (c, next) => {
    const p = c.req.path;
    if (p.startsWith('/_sandbox/') || p.startsWith('/api/v2/token/') || p === '/oauth/authorize')
      return next();
    return apiGate(c, next);
  });
  catalogRoutes(app, getCtx);
  afterSaleRoutes(app, getCtx);
  financeRoutes(app, getCtx);
  app.notFound((c) =>
    c.json({ code: 36009004, message: `path ${c.req.path} is not served`, request_id: '' }, 404),
  );
  return { app, ctx, pusher };
}

export async function startTikTokSandbox(opts: TikTokSandboxOptions = {}): Promise<TikTokSandbox> {
  const { app, ctx, pusher } = createTikTokSandbox(opts);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: opts.host ?? '127.0.0.1' }, () =>
      resolve(s as Server),
    );
  });
  const port = (server.address() as AddressInfo).port;
  // Business timers (on-hold release, completion, settlement) also fire while nobody calls.
  const ticker = setInterval(() => ctx.sim.tick(), 200);
  ticker.unref();
  const host = opts.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    appKey: ctx.appKey,
    appSecret: ctx.appSecret,
    app,
    ctx,
    credentials: () => ({
      app_key: ctx.appKey,
      app_secret: ctx.appSecret,
      shops: [...ctx.state.shops.values()].map((s) => ({
        id: s.id,
        name: s.name,
        region: s.region,
        cipher: s.cipher,
        access_token: s.authorization.accessToken,
        refresh_token: s.authorization.refreshToken,
        access_token_expire_in: s.authorization.accessExpiresAt,
        refresh_token_expire_in: s.authorization.refreshExpiresAt,
        warehouse_id: s.warehouseId,
      })),
    }),
    now: () => ctx.sim.now(),
    advance: (seconds) => ctx.sim.advance(seconds * 1000),
    webhooksIdle: (timeoutMs) => pusher.idle(timeoutMs),
    deliveries: () => [...pusher.log],
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(ticker);
        pusher.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
