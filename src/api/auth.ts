/**
 * Admin-token authentication for the REST API (/api/*) and the dashboard (/dashboard/*). Every
 * other prefix is left alone on purpose: /healthz and /readyz must answer probes, /metrics is open
 * unless `server.metricsPublic: false`, and webhook routes verify the sender's signature themselves.
 *
 * A request is let in with `Authorization: Bearer <token>` or with the session cookie set by the
 * login URL (routes/login.ts). The cookie never carries the token: it holds the time it was issued
 * and a random session id, signed (HMAC-SHA256, Hono's signed cookies) with a key derived from the
 * token. So a cookie that leaks does not reveal the token the CLI uses, it expires after
 * SESSION_MAX_AGE_S on the server side too, and changing the token ends every session at once.
 * Logout records the session id as revoked in the database (store/sessions.ts), so the cookie is
 * refused afterwards by every `serve` process on that database, even if a copy of it is replayed.
 * Requests the cookie authenticates that change state must pass the CSRF guard (csrf.ts).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { AppError } from '../shared/errors.ts';
import { csrfProblem } from './csrf.ts';
import { errorBody } from './errors.ts';

export interface AuthOptions {
  /** The admin token (config `server.adminToken`, or the development token file). */
  token: string;
  /** Serve /metrics without the token (Prometheus on localhost). */
  metricsPublic: boolean;
}

/** Where signed-out sessions are kept (store/sessions.ts), shared by every process on the database. */
export interface SessionRevocations {
  revoke(id: string, expiresAt: Date): Promise<void>;
  isRevoked(id: string): Promise<boolean>;
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
  /** How the request is signed in: a bearer token, a valid session cookie, or not at all. */
  signedIn(c: Context): Promise<'bearer' | 'session' | undefined>;
  tokenMatches(given: string | undefined): boolean;
  startSession(c: Context): Promise<void>;
  /** Revokes the request's session (if any) for every process, and clears the cookie. */
  endSession(c: Context): Promise<void>;
  /** For /api/*: 401 JSON that says how to get a token. */
  requireApi: MiddlewareHandler;
  /** For /dashboard/*: a browser without a session is sent to the sign-in page. */
  requirePage: MiddlewareHandler;
}

export function createAuth(opts: AuthOptions, sessions: SessionRevocations): Auth {
  const expected = digest(opts.token);
  // A key for cookie signatures only, so the token itself is never used as a MAC key elsewhere.
  const cookie = sessionCookie(
    createHmac('sha256', opts.token).update('tiksuite session cookie v1').digest(),
    sessions,
  );

  const tokenMatches = (given: string | undefined): boolean =>
    // Comparing fixed-length digests keeps the time independent of where (and whether) they differ.
    given !== undefined && given !== '' && timingSafeEqual(digest(given), expected);

  const signedIn = async (c: Context): Promise<'bearer' | 'session' | undefined> => {
    const header = c.req.header('authorization');
    const bearer = header?.match(/^Bearer[ ]+(\S+)\s*$/i)?.[1];
    if (tokenMatches(bearer)) return 'bearer';
    return (await cookie.isLive(c)) ? 'session' : undefined;
  };

  return {
    metricsPublic: opts.metricsPublic,
    signedIn,
    tokenMatches,
    startSession: cookie.start,
    endSession: cookie.end,
    async requireApi(c, next) {
      const how = await signedIn(c);
      const refused = how === 'session' ? csrfProblem(c, isHttps(c)) : undefined;
      if (refused) return c.json(errorBody(refused.error), refused.status);
      if (how) return next();
      return c.json(errorBody(new AppError('unauthorized', UNAUTHORIZED_MESSAGE)), 401, {
        'www-authenticate': 'Bearer realm="tiksuite"',
        'cache-control': 'no-store',
      });
    },
    async requirePage(c, next) {
      if (await signedIn(c)) return next();
      return c.redirect('/login', 302);
    },
  };
}

/** The session cookie: `<issued unix seconds>.<random id>`, signed with `key`. */
function sessionCookie(key: Buffer, sessions: SessionRevocations) {
  // Revocation is final, so ids seen revoked need no second lookup; live ones are asked each time
  // (one primary-key read) because another process may have signed them out meanwhile.
  const revoked = new Set<string>();

  /** The cookie's session when it is signed by us and not expired (revocation not checked). */
  const read = async (c: Context): Promise<Session | undefined> => {
    const value = await getSignedCookie(c, key, SESSION_COOKIE);
    const m = typeof value === 'string' ? /^(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(value) : null;
    if (!m?.[1] || !m[2]) return undefined;
    const issued = Number(m[1]);
    const age = nowSeconds() - issued;
    return age >= -SKEW_S && age <= SESSION_MAX_AGE_S ? { id: m[2], issued } : undefined;
  };

  return {
    async isLive(c: Context): Promise<boolean> {
      const session = await read(c);
      if (!session || revoked.has(session.id)) return false;
      if (!(await sessions.isRevoked(session.id))) return true;
      revoked.add(session.id);
      return false;
    },
    async start(c: Context): Promise<void> {
      const value = `${nowSeconds()}.${randomBytes(16).toString('base64url')}`;
      await setSignedCookie(c, SESSION_COOKIE, value, key, {
        path: '/',
        httpOnly: true,
        sameSite: 'Strict',
        secure: isHttps(c),
        maxAge: SESSION_MAX_AGE_S,
      });
    },
    async end(c: Context): Promise<void> {
      const session = await read(c);
      if (session) {
        await sessions.revoke(session.id, new Date((session.issued + SESSION_MAX_AGE_S + SKEW_S) * 1000));
        revoked.add(session.id);
      }
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
    },
  };
}

interface Session {
  id: string;
  /** Unix seconds when the cookie was issued. */
  issued: number;
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
