/**
 * What TikTok checks before any handler runs (reference Appendix A.2): faults first, then
 * app_key, timestamp window, signature over path + sorted query + exact body bytes, access token,
 * shop cipher, scope and the per-shop rate limit. Errors use the envelope (reference §1.3-1.4).
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { SHOPLESS_PREFIXES } from '../manifest.ts';
import { safeEqualHex, signRequest } from '../signing.ts';
import { type Ctx, invalidParam, SandboxError } from './context.ts';
import type { Authorization, Shop } from './model.ts';

export type SandboxEnv = {
  Bindings: HttpBindings;
  Variables: { shop: Shop; auth: Authorization; body: unknown; query: Record<string, string> };
};

/** 34 characters like TikTok's: a YYYYMMDDhhmmss date then a per-sandbox counter (§1.3). */
export function requestId(ctx: Ctx): string {
  const d = new Date(ctx.sim.now()).toISOString().replace(/\D/g, '').slice(0, 14);
  ctx.state.requestSeq += 1;
  return `${d}${ctx.state.requestSeq.toString(16).toUpperCase().padStart(20, '0')}`;
}

export function envelope(ctx: Ctx, code: number, message: string, data?: unknown): Record<string, unknown> {
  return data === undefined
    ? { code, message, request_id: requestId(ctx) }
    : { code, message, request_id: requestId(ctx), data };
}

export function errorResponse(c: Context, ctx: Ctx, err: SandboxError): Response {
  const status = err.httpStatus as 200 | 401 | 429 | 500;
  return c.json(envelope(ctx, err.code, err.message), status);
}

/**
 * Token buckets on the wall clock, keyed by shop (or app for shopless paths). A new rate-limit
 * setting starts every bucket full, as a fresh limit would.
 */
export class Buckets {
  readonly #b = new Map<string, { tokens: number; last: number }>();
  #setting: unknown;
  /** Empties the map when `setting` is not the one the buckets were filled under. */
  under(setting: unknown): this {
    if (setting !== this.#setting) {
      this.#b.clear();
      this.#setting = setting;
    }
    return this;
  }
  take(key: string, now: number, perSecond: number, burst: number): boolean {
    let b = this.#b.get(key);
    if (!b) {
      b = { tokens: burst, last: now };
      this.#b.set(key, b);
    }
    b.tokens = Math.min(burst, b.tokens + ((now - b.last) / 1000) * perSecond);
    b.last = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

async function injectFaults(c: Context<SandboxEnv>, ctx: Ctx, path: string): Promise<Response | undefined> {
  const f = ctx.settings.faults;
  let ms = 0;
  if (f.latencyMs.max > 0)
    ms += f.latencyMs.min + ctx.random() * Math.max(0, f.latencyMs.max - f.latencyMs.min);
  if (f.latencySpike.rate > 0 && ctx.random() < f.latencySpike.rate) ms += f.latencySpike.ms;
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  const rule = f.failNext.find((r) => path.startsWith(r.pathPrefix));
  if (rule && rule.skip > 0) rule.skip -= 1;
  else if (rule) {
    rule.times -= 1;
    if (rule.times <= 0) f.failNext.splice(f.failNext.indexOf(rule), 1);
    if (rule.status === 0) return drop(c);
    return errorResponse(c, ctx, new SandboxError(rule.code, 'injected fault', rule.status));
  }
  if (f.dropRate > 0 && ctx.random() < f.dropRate) return drop(c);
  if (f.errorRate > 0 && ctx.random() < f.errorRate) {
    return errorResponse(c, ctx, new SandboxError(36009003, 'internal error, please retry', 500));
  }
  return undefined;
}

function drop(c: Context<SandboxEnv>): Response {
  c.env.incoming.socket.destroy();
  return c.body(null, 500);
}

function checkTimestamp(ctx: Ctx, raw: string | undefined): void {
  if (!raw || !/^\d+$/.test(raw)) throw invalidParam('param timestamp is missing or invalid');
  const skew = Number.parseInt(raw, 10) - Math.floor(ctx.wall.now() / 1000);
  const w = ctx.settings.faults.timestampSkew;
  if (skew < -w.behindSeconds || skew > w.aheadSeconds)
    throw invalidParam('param timestamp is out of the allowed window');
}

function checkAuth(ctx: Ctx, token: string | undefined): Authorization {
  if (!token) throw invalidParam('header x-tts-access-token is missing');
  const auth = ctx.state.authByAccessToken.get(token);
  // 105001 "invalid token" is invented; the 105xxx family is token trouble (reference §1.4).
  if (!auth) throw new SandboxError(105001, 'access token is invalid');
  if (auth.accessExpiresAt <= Math.floor(ctx.wall.now() / 1000)) {
    throw new SandboxError(105002, 'access token is expired, please refresh it');
  }
  return auth;
}

function resolveShop(ctx: Ctx, path: string, auth: Authorization, cipher: string | undefined): Shop {
  const shopless = SHOPLESS_PREFIXES.some((p) => path.startsWith(p));
  if (shopless || !cipher) {
    // Local shops may omit shop_cipher (reference §1.2) when the token reaches a single shop.
    if (!shopless && auth.shopIds.length !== 1) throw invalidParam('param shop_cipher is missing');
    return ctx.state.shops.get(auth.shopIds[0]!)!;
  }
  const shop = ctx.state.shopByCipher.get(cipher);
  if (!shop || !auth.shopIds.includes(shop.id)) throw invalidParam('param shop_cipher is invalid');
  return shop;
}

export function gate(getCtx: () => Ctx, buckets: Buckets): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const ctx = getCtx();
    ctx.sim.tick();
    const url = new URL(c.req.url);
    const path = url.pathname;
    // Searches are POST but read-only; every other non-GET may change state. The revision moves
    // again after the handler, so nothing rendered during an await in between stays cached.
    const writes = c.req.method !== 'GET' && !path.endsWith('/search');
    if (writes) ctx.state.rev++;
    const fault = await injectFaults(c, ctx, path);
    if (fault) return fault;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    try {
      if (query.app_key !== ctx.appKey) throw invalidParam('param app_key is invalid');
      checkTimestamp(ctx, query.timestamp);
      const expected = signRequest({ appSecret: ctx.appSecret, path, query, body: bytes });
      if (!query.sign || !safeEqualHex(expected, query.sign)) {
        throw new SandboxError(106001, 'signature is invalid', 401);
      }
      const auth = checkAuth(ctx, c.req.header('x-tts-access-token'));
      const shop = resolveShop(ctx, path, auth, query.shop_cipher);
      const module = path.split('/')[1] ?? '';
      if (ctx.settings.faults.deniedScopes.includes(module)) {
        throw new SandboxError(105005, 'you should apply auth pkg for this api');
      }
      const rl = ctx.settings.faults.rateLimit;
      const now = ctx.wall.now();
      buckets.under(rl);
      const appOk =
        !rl?.appPerSecond || buckets.take('\u0000app', now, rl.appPerSecond, Math.max(1, rl.burst));
      if (rl && (!appOk || !buckets.take(shop.id, now, rl.perSecond, rl.burst))) {
        if (rl.retryAfterSeconds !== null) c.header('retry-after', String(rl.retryAfterSeconds));
        throw new SandboxError(36009002, 'Too many requests', rl.status);
      }
      c.set('shop', shop);
      c.set('auth', auth);
      c.set('query', query);
      c.set('body', parseJson(bytes));
    } catch (err) {
      if (err instanceof SandboxError) return errorResponse(c, ctx, err);
      throw err;
    }
    await next();
    if (writes) ctx.state.rev++;
  };
}

const decoder = new TextDecoder();
function parseJson(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    throw invalidParam('request body is not valid JSON');
  }
}
