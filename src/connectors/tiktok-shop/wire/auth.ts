/** Token endpoints on the auth host (reference §3.2-3.3) and authorized shops (§3.4). */
import { z } from 'zod';
import { Id } from './common.ts';

export const TokenData = z.looseObject({
  access_token: z.string().min(1),
  /** Absolute Unix seconds, despite the name (§3.2). */
  access_token_expire_in: z.number().int(),
  refresh_token: z.string().min(1),
  refresh_token_expire_in: z.number().int(),
  open_id: z.string().optional(),
  seller_name: z.string().optional(),
  seller_base_region: z.string().optional(),
  user_type: z.number().int().optional(),
  granted_scopes: z.array(z.string()).optional(),
});
export type TokenData = z.infer<typeof TokenData>;

export const AuthorizedShop = z.looseObject({
  id: Id,
  name: z.string().default(''),
  region: z.string().default(''),
  seller_type: z.string().optional(),
  cipher: z.string().min(1),
  code: z.string().optional(),
});
export type AuthorizedShop = z.infer<typeof AuthorizedShop>;

export const AuthorizedShopsData = z.looseObject({ shops: z.array(AuthorizedShop).default([]) });
