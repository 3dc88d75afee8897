/** Shops, their sellers' authorizations and token issuance (reference §3). */
import { type Ctx, SandboxError } from './context.ts';
import type { Authorization, Shop } from './model.ts';
import { ID_PREFIX, randomToken } from './rng.ts';

const CURRENCY = { US: 'USD', GB: 'GBP' } as const;
const ALL_SCOPES = [
  'seller.order.info',
  'seller.product.basic',
  'seller.fulfillment.basic',
  'seller.finance.info',
];

export function createShop(ctx: Ctx, input: { name?: string | undefined; region: 'US' | 'GB' }): Shop {
  const id = ctx.ids.next(ID_PREFIX.shop);
  const index = ctx.state.shops.size + 1;
  const authorization: Authorization = {
    openId: ctx.ids.next(ID_PREFIX.buyer),
    sellerName: input.name ?? `Sandbox ${input.region} shop ${index}`,
    region: input.region,
    shopIds: [id],
    accessToken: '',
    accessExpiresAt: 0,
    refreshToken: '',
    refreshExpiresAt: 0,
    scopes: ALL_SCOPES,
  };
  const shop: Shop = {
    id,
    name: authorization.sellerName,
    region: input.region,
    currency: CURRENCY[input.region],
    cipher: randomToken(ctx.random, input.region === 'US' ? 'TTP_' : 'ROW_', 28),
    code: `${input.region}LCSB${String(index).padStart(4, '0')}`,
    warehouseId: ctx.ids.next(ID_PREFIX.warehouse),
    authorization,
    webhooks: new Map(),
  };
  ctx.state.shops.set(id, shop);
  ctx.state.shopByCipher.set(shop.cipher, shop);
  issueTokens(ctx, authorization, true);
  return shop;
}

/** New access token (and refresh token when `newRefresh`), with lifetimes from the settings. */
export function issueTokens(ctx: Ctx, auth: Authorization, newRefresh: boolean): void {
  const now = Math.floor(ctx.wall.now() / 1000);
  const b = ctx.settings.business;
  ctx.state.authByAccessToken.delete(auth.accessToken);
  auth.accessToken = randomToken(ctx.random, 'ROW_', 40);
  auth.accessExpiresAt = now + b.accessTokenTtlSeconds;
  ctx.state.authByAccessToken.set(auth.accessToken, auth);
  if (newRefresh) {
    if (b.revokeOldRefreshToken) ctx.state.authByRefreshToken.delete(auth.refreshToken);
    auth.refreshToken = randomToken(ctx.random, '', 48);
    auth.refreshExpiresAt = now + b.refreshTokenTtlSeconds;
    ctx.state.authByRefreshToken.set(auth.refreshToken, auth);
  }
}

/** data of /api/v2/token/get|refresh (reference §3.2). */
export function tokenData(auth: Authorization): Record<string, unknown> {
  return {
    access_token: auth.accessToken,
    access_token_expire_in: auth.accessExpiresAt,
    refresh_token: auth.refreshToken,
    refresh_token_expire_in: auth.refreshExpiresAt,
    open_id: auth.openId,
    seller_name: auth.sellerName,
    seller_base_region: auth.region,
    user_type: 0,
    granted_scopes: auth.scopes,
  };
}

/** An auth code the token host will exchange once (what the redirect after consent carries). */
export function newAuthCode(ctx: Ctx, shop: Shop): string {
  const code = randomToken(ctx.random, 'TTP_code_', 24);
  ctx.state.authByCode.set(code, shop.authorization);
  return code;
}

export function refreshAuthorization(ctx: Ctx, refreshToken: string): Authorization {
  const auth = ctx.state.authByRefreshToken.get(refreshToken);
  // 36004001 / 36004005 are the observed auth failures (reference §1.4, UNCONFIRMED context).
  if (!auth) throw new SandboxError(36004005, 'can not find related auth record');
  if (auth.refreshExpiresAt <= Math.floor(ctx.wall.now() / 1000))
    throw new SandboxError(36004001, 'rt has expired');
  issueTokens(ctx, auth, true);
  return auth;
}

export function exchangeAuthCode(ctx: Ctx, code: string): Authorization {
  const auth = ctx.state.authByCode.get(code);
  if (!auth) throw new SandboxError(36004005, 'can not find related auth record');
  ctx.state.authByCode.delete(code);
  issueTokens(ctx, auth, true);
  return auth;
}
