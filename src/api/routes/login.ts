/**
 * Signing in to the dashboard. `tiksuite serve` prints `http://host:port/login?token=...`; opening
 * it sets the session cookie (see auth.ts) and redirects to /dashboard, so the token leaves the
 * address bar at once. The same page takes the token from a form (a body over LOGIN_BODY_LIMIT is
 * refused with 413 before it is read whole). A wrong token gets a 401 page.
 * POST /logout revokes the session on the server (auth.ts) and clears the cookie.
 */
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Auth } from '../auth.ts';
import { limitBody } from './body-limit.ts';

/** The sign-in form carries one token (64 hex characters when generated): 16 KiB is ample. */
export const LOGIN_BODY_LIMIT = 16 * 1024;

export function loginRoutes(auth: Auth): Hono {
  const app = new Hono();

  const signIn = async (c: Context, token: string | undefined) => {
    if (token === undefined) return page(c, 200, '');
    if (!auth.tokenMatches(token)) {
      return page(c, 401, 'That token is not valid. Check TIKSUITE_ADMIN_TOKEN or the login URL.');
    }
    await auth.startSession(c);
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    return c.redirect('/dashboard', 302);
  };

  app.get('/', (c) => c.redirect('/dashboard', 302));
  app.get('/login', (c) => signIn(c, c.req.query('token')));
  app.post('/login', limitBody(LOGIN_BODY_LIMIT, 'the sign-in form'), async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = form['token'];
    return signIn(c, typeof token === 'string' ? token : '');
  });
  app.post('/logout', async (c) => {
    await auth.endSession(c);
    return c.redirect('/login', 302);
  });
  return app;
}

function page(c: Context, status: ContentfulStatusCode, problem: string) {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TikSuite: sign in</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; background: #f5f6f8; color: #1d2430; margin: 0; }
  main { max-width: 28rem; margin: 12vh auto; background: #fff; padding: 2rem; border-radius: 8px;
    box-shadow: 0 1px 3px rgb(0 0 0 / 0.12); }
  h1 { font-size: 1.3rem; margin: 0 0 1rem; }
  .problem { background: #fdecec; color: #9b1c1c; padding: 0.6rem 0.8rem; border-radius: 6px; }
  input { width: 100%; box-sizing: border-box; padding: 0.5rem; font: inherit; margin: 0.3rem 0 1rem; }
  button { padding: 0.5rem 1rem; font: inherit; border: 0; border-radius: 6px; background: #1f5fbf;
    color: #fff; cursor: pointer; }
  code { background: #eef0f3; padding: 0 0.25rem; border-radius: 3px; }
</style>
</head>
<body>
<main>
  <h1>TikSuite dashboard</h1>
  ${problem ? `<p class="problem" role="alert">${escapeHtml(problem)}</p>` : ''}
  <p>Open the login URL that <code>tiksuite serve</code> prints, or paste the admin token:
  <code>TIKSUITE_ADMIN_TOKEN</code>, or in development mode the file <code>admin.token</code>
  in the TikSuite home (<code>.tiksuite/</code>).</p>
  <form method="post" action="/login">
    <label for="token">Admin token</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
    <button type="submit">Sign in</button>
  </form>
</main>
</body>
</html>
`;
  return c.html(html, status, {
    'cache-control': 'no-store',
    // The login URL carries the token: never send it on as a Referer.
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  });
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );
}
