/**
 * The two ways the client authenticates each request (reference sections 2 and 3): TBA signs
 * every attempt with a fresh nonce and timestamp; M2M sends a cached bearer token.
 */
import type { Clock } from '../../shared/clock.ts';
import type { M2MTokenProvider } from './auth-m2m.ts';
import { newNonce, type TbaCredentials, tbaAuthorizationHeader } from './auth-tba.ts';
import { accountRealm } from './manifest.ts';

export interface Authenticator {
  readonly kind: 'tba' | 'm2m';
  /** The Authorization header value for this exact method and URL (query string included). */
  authorize(method: string, url: string): Promise<string>;
  /** Called after a 401: returns true when a retry with fresh credentials is worth it. */
  onUnauthorized(): boolean;
}

export function tbaAuthenticator(
  creds: TbaCredentials,
  clock: Clock,
  nonce: () => string = newNonce,
): Authenticator {
  const realm = accountRealm(creds.accountId);
  return {
    kind: 'tba',
    authorize: async (method, url) =>
      tbaAuthorizationHeader(method, url, creds, {
        realm,
        nonce: nonce(),
        timestamp: Math.floor(clock.now() / 1000),
      }),
    // A TBA 401 is final: the same token would fail again.
    onUnauthorized: () => false,
  };
}

export function m2mAuthenticator(tokens: M2MTokenProvider): Authenticator {
  let retried = false;
  return {
    kind: 'm2m',
    authorize: async () => `Bearer ${await tokens.token()}`,
    onUnauthorized: () => {
      // One fresh token per authenticator lifetime burst: a revoked mapping must not loop.
      tokens.invalidate();
      if (retried) return false;
      retried = true;
      setTimeout(() => {
        retried = false;
      }, 60_000).unref();
      return true;
    },
  };
}
