import { describe, expect, it } from 'vitest';
import { secretTokenStore, type Tokens } from './auth.ts';

describe('secretTokenStore', () => {
  it('round-trips tokens through a name -> string secret store', async () => {
    const map = new Map<string, string>();
    const store = secretTokenStore({
      get: async (n) => map.get(n),
      put: async (n, v) => {
        map.set(n, v);
      },
    });
    const t: Tokens = {
      accessToken: 'a',
      accessTokenExpiresAt: 1,
      refreshToken: 'r',
      refreshTokenExpiresAt: 2,
      region: 'US',
    };
    expect(await store.load('1')).toBeNull();
    await store.save('1', t);
    expect([...map.keys()]).toEqual(['tiktok.tokens.1']);
    expect(await store.load('1')).toEqual(t);
    map.set('tiktok.tokens.2', '{"broken":true}');
    await expect(store.load('2')).rejects.toMatchObject({ code: 'tiktok_shop_not_authorized' });
  });
});
