/** The auth host's token paths (reference §3.2-3.3) and the seller consent page (§3.1). */
import type { Handler, Hono } from 'hono';
import { PATHS } from '../manifest.ts';
import { type Ctx, invalidParam, SandboxError } from './context.ts';
import { envelope, errorResponse, type SandboxEnv } from './gate.ts';
import { exchangeAuthCode, newAuthCode, refreshAuthorization, tokenData } from './seed.ts';

export function authRoutes(app: Hono<SandboxEnv>, getCtx: () => Ctx, redirectUrl: string | undefined): void {
  const token =
    (run: (ctx: Ctx, q: URLSearchParams) => Record<string, unknown>): Handler<SandboxEnv> =>
    (c) => {
      const ctx = getCtx();
      const q = new URL(c.req.url).searchParams;
      try {
        if (q.get('app_key') !== ctx.appKey || q.get('app_secret') !== ctx.appSecret) {
          throw invalidParam('app_key or app_secret is invalid');
        }
        return c.json(envelope(ctx, 0, 'success', run(ctx, q)));
      } catch (err) {
        if (err instanceof SandboxError) return errorResponse(c, ctx, err);
        throw err;
      }
    };

  // GET with query params, no signature (§3.2).
  app.get(
    PATHS.tokenGet,
    token((ctx, q) => {
      if (q.get('grant_type') !== 'authorized_code') throw invalidParam('grant_type must be authorized_code');
      return tokenData(exchangeAuthCode(ctx, q.get('auth_code') ?? ''));
    }),
  );

  // §3.3: which grant_type TikTok expects here is UNCONFIRMED; both seen values are accepted.
  app.get(
    PATHS.tokenRefresh,
    token((ctx, q) => {
      const grant = q.get('grant_type');
      if (grant !== 'refresh_token' && grant !== 'authorized_code')
        throw invalidParam('grant_type is invalid');
      return tokenData(refreshAuthorization(ctx, q.get('refresh_token') ?? ''));
    }),
  );

  // The consent page: grants at once for `shop_id` (default: the first shop).
  app.get('/oauth/authorize', (c) => {
    const ctx = getCtx();
    const q = new URL(c.req.url).searchParams;
    if (q.get('app_key') !== ctx.appKey) return c.json({ error: 'unknown app_key' }, 400);
    const shop = ctx.state.shops.get(q.get('shop_id') ?? '') ?? [...ctx.state.shops.values()][0];
    if (!shop) return c.json({ error: 'no shop' }, 400);
    const code = newAuthCode(ctx, shop);
    const state = q.get('state') ?? '';
    if (!redirectUrl) return c.json({ code, state, shop_id: shop.id });
    const to = new URL(redirectUrl);
    to.searchParams.set('code', code);
    to.searchParams.set('state', state);
    return c.redirect(to.toString(), 302);
  });
}
