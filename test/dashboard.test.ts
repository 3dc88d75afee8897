/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core) against a real
 * `tiksuite serve`: sign in with the printed login URL, watch a run appear, retry and resolve
 * error records, retry a group, and see the page say so when the API answers 401. A missing
 * chromium fails this test: CI installs it (.ci/run).
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { recordQueue } from '../src/flows/engine/jobs.ts';
import { selftestFlow } from '../src/flows/selftest.ts';
import { openRuntime } from '../src/main/runtime.ts';
import type { ErrorClass } from '../src/shared/errors.ts';
import { silentLogger } from '../src/shared/log.ts';
import { type Browser, launchBrowser } from './support/browser.ts';
import { type TestEnv, testEnv } from './support/env.ts';
import { adminHeaders, PATIENCE_MS, type Started, serverUrl, startCli, waitFor } from './support/proc.ts';

const SHOTS = '/tmp/tiksuite-dashboard';

let env: TestEnv | undefined;
let server: Started | undefined;
let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.done;
  }
  await env?.cleanup();
  env = server = browser = undefined;
});

/** Error records to work on, written through the store before the server owns the database. */
async function seedErrors(e: TestEnv): Promise<void> {
  const rt = await openRuntime(e.config(), { log: silentLogger(), flows: [selftestFlow as never] });
  const add = (n: number, errorClass: ErrorClass, code: string, message: string) =>
    rt.stores.errors.record({
      flowId: 'selftest',
      recordKey: `selftest:seeded:${n}`,
      errorClass,
      code,
      message,
      payload: { n, workMs: 0 },
      jobQueue: recordQueue('selftest'),
      attempts: 1,
      runId: null,
    });
  try {
    await add(1, 'mapping', 'mapping_failed', 'SKU "LIP-01" has no NetSuite item; add it to the SKU table');
    await add(2, 'validation', 'validation_failed', 'Shipping address has no postal code');
    await add(3, 'transient', 'transient_failure', 'NetSuite answered 503 for order 3003');
    await add(4, 'transient', 'transient_failure', 'NetSuite answered 503 for order 4004');
  } finally {
    await rt.close({ graceMs: 0 });
  }
}

async function launch(): Promise<Page> {
  browser = await launchBrowser();
  return browser.page;
}

const errorRow = (page: Page, n: number) => page.locator('#errors tr', { hasText: `selftest:seeded:${n}` });

describe('dashboard in a browser', () => {
  it('signs in with the login URL, shows runs live, and works the error queue', async () => {
    env = testEnv('dashboard');
    await seedErrors(env);
    server = startCli(['serve', '--port', '0'], {
      env: { ...env.childEnv, LOG_LEVEL: 'info' },
      cwd: env.home,
    });
    const url = await serverUrl(env.home, server);
    const loginUrl = await waitFor(
      async () => server!.output().match(/"loginUrl":"([^"]+)"/)?.[1],
      (v) => v !== undefined,
    );
    expect(loginUrl).toMatch(new RegExp(`^${url}/login\\?token=[0-9a-f]{64}$`));

    const page = await launch();
    await page.goto(loginUrl!);
    expect(page.url()).toBe(`${url}/dashboard`);
    await page.locator('#flows td', { hasText: 'selftest' }).first().waitFor();
    await expect
      .poll(() => page.locator('#error-classes').textContent(), { timeout: PATIENCE_MS })
      .toMatch(/transient 2/);
    await errorRow(page, 1).waitFor();
    await page.screenshot({ path: `${SHOTS}-errors.png`, fullPage: true });

    // A run started elsewhere shows up by itself (the page refreshes every 2 s).
    const res = await fetch(`${url}/api/flows/selftest/runs`, {
      method: 'POST',
      headers: { ...adminHeaders(env.home), 'content-type': 'application/json' },
      body: JSON.stringify({ params: { records: 30 } }),
    });
    const { runId } = (await res.json()) as { runId: string };
    const runRow = page.locator(`#runs tr[data-run="${runId}"]`);
    await runRow.locator('.badge', { hasText: 'succeeded' }).waitFor();
    expect(await runRow.locator('td').nth(5).textContent()).toBe('30');

    // Retry: the record is imported again and its error record goes away.
    await errorRow(page, 1).getByRole('button', { name: 'Retry' }).click();
    await page.locator('#toast', { hasText: /Retrying as run/ }).waitFor();
    await errorRow(page, 1).waitFor({ state: 'detached' });
    // Resolve: a human decision, gone at once.
    await errorRow(page, 2).getByRole('button', { name: 'Resolve' }).click();
    await errorRow(page, 2).waitFor({ state: 'detached' });
    const resolved = await fetch(`${url}/api/errors?status=resolved`, { headers: adminHeaders(env.home) });
    const keys = ((await resolved.json()) as { errors: { recordKey: string }[] }).errors.map(
      (e) => e.recordKey,
    );
    expect(keys.sort()).toEqual(['selftest:seeded:1', 'selftest:seeded:2']);

    // One group holds both 503 errors; retrying it clears them.
    const group = page.locator('#groups tr', { hasText: 'NetSuite answered 503' });
    expect(await group.locator('td').first().textContent()).toBe('2');
    await group.getByRole('button', { name: 'Retry group' }).click();
    await page.locator('#toast', { hasText: 'Retried 2 records' }).waitFor();
    await page.locator('#errors', { hasText: 'No open errors.' }).waitFor();
    await page.screenshot({ path: `${SHOTS}-after.png`, fullPage: true });

    // The session ends (cookie gone): the page says so instead of failing silently.
    await browser!.context.clearCookies();
    const banner = page.locator('#banner');
    await banner.filter({ hasText: 'The API answered 401' }).waitFor();
    expect(await banner.getByRole('link', { name: 'Sign in again' }).getAttribute('href')).toBe('/login');
    await page.screenshot({ path: `${SHOTS}-401.png` });

    server.child.kill('SIGTERM');
    expect((await server.done).code).toBe(0);
  }, 600_000);

  it('a wrong login URL shows the sign-in page with a 401', async () => {
    env = testEnv('dashboard-login');
    server = startCli(['serve', '--port', '0', '--no-worker'], { env: env.childEnv, cwd: env.home });
    const url = await serverUrl(env.home, server);
    const page = await launch();
    const res = await page.goto(`${url}/login?token=wrong-token`);
    expect(res?.status()).toBe(401);
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    await page.goto(`${url}/dashboard`);
    expect(page.url()).toBe(`${url}/login`);
    // Signing in with the form works too.
    await page.getByLabel('Admin token').fill(adminHeaders(env.home).authorization!.slice('Bearer '.length));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#flows td', { hasText: 'selftest' }).first().waitFor();
    expect(page.url()).toBe(`${url}/dashboard`);
  });
});
