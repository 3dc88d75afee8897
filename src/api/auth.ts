/**
 * Admin-token authentication for the REST API (/api/*) and the dashboard (/dashboard/*). Every
 * other prefix is left alone on purpose: /healthz and /readyz must answer probes, /metrics is open
 * unless `server.metricsPublic: false`, and webhook routes verify the sender's signature themselves.
 *
 * A request is let in with `Authorization: Bearer <token>` or with the session cookie set by the
 * login URL (routes/login.ts). The cookie never carries the token: it holds the time it was issued,
 * signed (HMAC-SHA256, Hono's signed cookies) with a key derived from the token. So no session state
 * is kept on the server (it survives restarts and works across several `serve` processes), a cookie
 * that leaks does not reveal the token the CLI uses, it expires after SESSION_MAX_AGE_S on the server
 * side too, and changing the token ends every session at once.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { AppError } from '../shared/errors.ts';
import { errorBody } from './errors.ts';

export interface AuthOptions {
  /** The admin token (config `server.adminToken`, or the development token file). */
  token: string;
  /** Serve /metrics without the token (Prometheus on localhost). */
  metricsPublic: boolean;
}

export const SESSION_COOKIE = 'tiksuite_session';
export const SESSION_MAX_AGE_S = 7 * 24 * 3600;
/** Clock skew tolerated on a cookie's issue time (several servers behind one balancer). */
const SKEW_S = 300;

export const UNAUTHORIZED_MESSAGE =
  'missing or invalid admin token: send "Authorization: Bearer <token>" with the value of ' +
  'TIKSUITE_ADMIN_TOKEN (in development mode, the file admin.token in the TikSuite home), or open ' +
  'the login URL that `tiksuite serve` prints';

export interface Auth {
  readonly metricsPublic: boolean;
  /** True when the request carries the token as a bearer header or a valid session cookie. */
  isAdmin(c: Context): Promise<boolean>;
  tokenMatches(given: string | undefined): boolean;
  startSession(c: Context): Promise<void>;
  endSession(c: Context): void;
  /** For /api/*: 401 JSON that says how to get a token. */
  requireApi: MiddlewareHandler;
  /** For /dashboard/*: a browser without a session is sent to the sign-in page. */
  requirePage: MiddlewareHandler;
}

export function createAuth(opts: AuthOptions): Auth {
  const expected = digest(opts.token);
  // A key for cookie signatures only, so the token itself is never used as a MAC key elsewhere.
  const cookieKey = createHmac('sha256', opts.token).update('tiksuite session cookie v1').digest();

  const tokenMatches = (given: string | undefined): boolean =>
    // Comparing fixed-length digests keeps the time independent of where (and whether) they differ.
    given !== undefined && given !== '' && timingSafeEqual(digest(given), expected);

  const hasSession = async (c: Context): Promise<boolean> => {
    const value = await getSignedCookie(c, cookieKey, SESSION_COOKIE);
    if (typeof value !== 'string' || !/^\d{1,12}$/.test(value)) return false;
    const age = nowSeconds() - Number(value);
    return age >= -SKEW_S && age <= SESSION_MAX_AGE_S;
  };

  const isAdmin = async (c: Context): Promise<boolean> => {
    const header = c.req.header('authorization');
    const bearer = header?.match(/^Bearer[ ]+(\S+)\s*$/i)?.[1];
    if (tokenMatches(bearer)) return true;
    return hasSession(c);
  };

  return {
    metricsPublic: opts.metricsPublic,
    isAdmin,
    tokenMatches,
    async startSession(c) {
      await setSignedCookie(c, SESSION_COOKIE, String(nowSeconds()), cookieKey, {
        path: '/',
        httpOnly: true,
        sameSite: 'Strict',
        secure: isHttps(c),
        maxAge: SESSION_MAX_AGE_S,
      });
    },
    endSession(c) {
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
    },
    async requireApi(c, next) {
      if (await isAdmin(c)) return next();
      return c.json(errorBody(new AppError('unauthorized', UNAUTHORIZED_MESSAGE)), 401, {
        'www-authenticate': 'Bearer realm="tiksuite"',
        'cache-control': 'no-store',
      });
    },
    async requirePage(c, next) {
      if (await isAdmin(c)) return next();
      return c.redirect('/login', 302);
    },
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Secure cookies only over HTTPS (directly or behind a TLS-terminating proxy); plain http would drop them. */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}
