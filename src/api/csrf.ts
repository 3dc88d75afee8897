/**
 * Cross-site request forgery guard for requests the session cookie authenticates. SameSite=Strict
 * keeps the cookie off requests from other sites, but a page on another port of the same host is
 * the same site, so its forms and fetches carry the cookie. A state-changing request (anything but
 * GET, HEAD, OPTIONS) signed in by cookie must therefore come from our own origin, and as JSON:
 * - `Origin` equal to the server's own origin (scheme, host and port), or `Sec-Fetch-Site:
 *   same-origin`; otherwise 403 csrf_origin_refused;
 * - not a content type an HTML form can send (application/x-www-form-urlencoded,
 *   multipart/form-data, text/plain); otherwise 415 csrf_content_type_refused.
 * Hono's csrf() middleware checks the origin only for form content types and cannot tell a cookie
 * from a bearer token, so it does not fit: bearer-token requests (the CLI, scripts) never reach
 * this guard, since a browser never adds that header by itself.
 */
import type { Context } from 'hono';
import { AppError } from '../shared/errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\s*(;|$)/i;

/** Why a cookie-authenticated request is refused, or undefined when it may go on. */
export function csrfProblem(c: Context, https: boolean): { error: AppError; status: 403 | 415 } | undefined {
  if (SAFE_METHODS.has(c.req.method)) return undefined;
  const own = `${https ? 'https' : 'http'}://${new URL(c.req.url).host}`;
  const origin = c.req.header('origin');
  if (origin !== own && c.req.header('sec-fetch-site') !== 'same-origin') {
    const from = origin === undefined ? 'a request without an Origin header' : `origin ${origin}`;
    return {
      status: 403,
      error: new AppError(
        'csrf_origin_refused',
        `${from} may not change anything with the dashboard session: only pages served from ${own} ` +
          'may; scripts send "Authorization: Bearer <token>" instead of the cookie',
      ),
    };
  }
  const type = c.req.header('content-type');
  if (type !== undefined && FORM_TYPES.test(type)) {
    return {
      status: 415,
      error: new AppError(
        'csrf_content_type_refused',
        `content-type ${type.split(';')[0]} is refused with the dashboard session: send the body as application/json`,
      ),
    };
  }
  return undefined;
}
