/** The admin token as an operator meets it: at start, in the logs, and from the CLI. */
import { afterEach, describe, expect, it } from 'vitest';
import { type TestEnv, testEnv, usePostgres } from './support/env.ts';
import { runCli, type Started, serverUrl, startCli } from './support/proc.ts';

const SECRET_KEY = 'ab'.repeat(32);
const TOKEN = 'prod-admin-token-0123456789abcdef';

let env: TestEnv | undefined;
let server: Started | undefined;
afterEach(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.done;
  }
  await env?.cleanup();
  env = server = undefined;
});

describe('admin token', () => {
  it('production mode without TIKSUITE_ADMIN_TOKEN refuses to serve, with one line saying what to set', async () => {
    env = testEnv('admin-missing');
    const r = await runCli(['serve', '--port', '0'], {
      env: { ...env.childEnv, TIKSUITE_MODE: 'production', TIKSUITE_SECRET_KEY: SECRET_KEY },
      cwd: env.home,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(
      /^error: TIKSUITE_ADMIN_TOKEN is not set: production mode needs it .*openssl rand -hex 32/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.skipIf(usePostgres)(
    'production logs the login URL without the token; the CLI through the server needs the right one',
    async () => {
      env = testEnv('admin-prod');
      const prod = { ...env.childEnv, TIKSUITE_MODE: 'production', TIKSUITE_SECRET_KEY: SECRET_KEY };
      server = startCli(['serve', '--port', '0'], {
        env: { ...prod, TIKSUITE_ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'info' },
        cwd: env.home,
      });
      const url = await serverUrl(env.home, server);
      await expect
        .poll(() => server!.output())
        .toContain(`"loginUrl":"${url}/login?token=<TIKSUITE_ADMIN_TOKEN>"`);
      expect(server.output()).not.toContain(TOKEN);

      // The embedded database is the server's: `runs` goes through its API with the configured token.
      const wrong = await runCli(['runs', '--json'], {
        env: { ...prod, TIKSUITE_ADMIN_TOKEN: 'another-token-0123456789' },
        cwd: env.home,
      });
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toMatch(/refused the admin token: set TIKSUITE_ADMIN_TOKEN/);
      const right = await runCli(['runs', '--json'], {
        env: { ...prod, TIKSUITE_ADMIN_TOKEN: TOKEN },
        cwd: env.home,
      });
      expect(right.stderr).toBe('');
      expect(JSON.parse(right.stdout)).toEqual([]);
    },
  );
});
