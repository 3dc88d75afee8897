/**
 * Issue #11 in a real browser against a real `tiksuite serve`: a page on another port of the same
 * host is the same site, so the SameSite=Strict session cookie goes along with its form posts and
 * fetches; the server must refuse them (it used to start a run). Signing out with the dashboard's
 * button revokes the session on the server: the cookie, copied before, is refused afterwards.
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser } from './support/browser.ts';
import { type TestEnv, testEnv } from './support/env.ts';
import { adminHeaders, PATIENCE_MS, type Started, serverUrl, startCli, waitFor } from './support/proc.ts';

let env: TestEnv | undefined;
let server: Started | undefined;
let browser: Browser | undefined;
let attacker: Server | undefined;
afterEach(async () => {
  await browser?.close();
  attacker?.close();
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.done;
  }
  await env?.cleanup();
  env = server = browser = attacker = undefined;
});

/** A page that, once opened, posts to `target` by fetch (no-cors) and then by a text/plain form. */
function attackPage(target: string): string {
  // The classic text/plain trick: name + "=" + value makes a JSON body.
  return `<!doctype html><html><body>
<form id="f" method="post" action="${target}" enctype="text/plain">
<input name='{"params":{"records":1,"x":"' value='"}}'></form>
<script>
fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include',
  headers: { 'content-type': 'text/plain' }, body: '{"params":{"records":1}}' })
  .finally(() => document.getElementById('f').submit());
</script></body></html>`;
}

async function listen(html: string): Promise<string> {
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((r) => attacker!.listen(0, '127.0.0.1', r));
  const address = attacker.address();
  if (address === null || typeof address === 'string') throw new Error('attacker page has no port');
  return `http://127.0.0.1:${address.port}/`;
}

describe('dashboard session against a same-site page', () => {
  it('refuses writes from another port, and sign-out revokes the cookie on the server', async () => {
    env = testEnv('dashboard-csrf');
    server = startCli(['serve', '--port', '0', '--no-worker'], {
      env: { ...env.childEnv, LOG_LEVEL: 'info' }, // the login URL is logged at info
      cwd: env.home,
    });
    const url = await serverUrl(env.home, server);
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const loginUrl = await waitFor(
      async () => server!.output().match(/"loginUrl":"([^"]+)"/)?.[1],
      (v) => v !== undefined,
    );
    browser = await launchBrowser();
    const { page, context } = browser;
    await page.goto(loginUrl!);
    await page.locator('#flows td', { hasText: 'selftest' }).first().waitFor();

    const target = `${url}/api/flows/selftest/runs`;
    const statuses: number[] = [];
    page.on('response', (r) => {
      if (r.url() === target) statuses.push(r.status());
    });
    await page.goto(await listen(attackPage(target)));
    await expect.poll(() => statuses.length, { timeout: PATIENCE_MS }).toBe(2);
    expect(statuses).toEqual([403, 403]);
    // The form post navigates the page to its (refused) answer: let that navigation finish, or the
    // next goto is interrupted by it on a busy machine.
    await page.waitForURL(target);
    const runs = await fetch(`${url}/api/runs`, { headers: adminHeaders(env.home) });
    expect(((await runs.json()) as { runs: unknown[] }).runs).toEqual([]);

    // Sign out with the dashboard's button; the cookie copied before is refused afterwards.
    await page.goto(`${url}/dashboard`);
    const [session] = await context.cookies(url);
    expect(session?.name).toBe('tiksuite_session');
    const cookie = `${session!.name}=${session!.value}`;
    expect((await fetch(`${url}/api/flows`, { headers: { cookie } })).status).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${url}/login`);
    expect((await fetch(`${url}/api/flows`, { headers: { cookie } })).status).toBe(401);
  });
});
