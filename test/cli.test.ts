import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestEnv, testEnv, usePostgres } from './support/env.ts';
import { oneClearLine, runCli, serverUrl, startCli } from './support/proc.ts';

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
});

describe('tiksuite CLI on bad input', () => {
  it('an invalid config exits 2 naming the file, the path and what is expected', async () => {
    env = testEnv('cli-config');
    writeFileSync(join(env.home, 'bad.yaml'), 'server:\n  port: 99999\n');
    const r = await runCli(['--config', 'bad.yaml', 'config', 'check'], { env: env.childEnv, cwd: env.home });
    expect(r.code).toBe(2);
    expect(oneClearLine(r.stderr)).toMatch(/bad\.yaml: server\.port: Too big: expected number to be <=65535/);
  });

  it('a missing secret key in production mode exits 2 and says how to make one', async () => {
    env = testEnv('cli-secret');
    const r = await runCli(['migrate'], {
      env: { ...env.childEnv, TIKSUITE_MODE: 'production' },
      cwd: env.home,
    });
    expect(r.code).toBe(2);
    expect(oneClearLine(r.stderr)).toMatch(/TIKSUITE_SECRET_KEY is not set.*openssl rand -hex 32/);
  });

  it('an unreachable DATABASE_URL exits non-zero and names the server without its password', async () => {
    env = testEnv('cli-unreach');
    const r = await runCli(['migrate'], {
      env: { ...env.childEnv, DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/nothing' },
      cwd: env.home,
    });
    expect(r.code).not.toBe(0);
    const line = oneClearLine(r.stderr);
    expect(line).toMatch(
      /cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nothing.*check DATABASE_URL/,
    );
    expect(line).not.toContain('hunter2');
  });

  it.skipIf(usePostgres)(
    'a data dir locked by a running server makes a second process fail at once',
    async () => {
      env = testEnv('cli-lock');
      const server = startCli(['serve', '--port', '0'], { env: env.childEnv, cwd: env.home });
      try {
        await serverUrl(env.home, server);
        const t0 = Date.now();
        const r = await runCli(['migrate'], { env: env.childEnv, cwd: env.home });
        expect(r.code).not.toBe(0);
        expect(oneClearLine(r.stderr)).toMatch(
          new RegExp(`in use by process ${server.child.pid} .*stop that process, or set DATABASE_URL`),
        );
        expect(Date.now() - t0).toBeLessThan(10_000);
        // Data commands fall back to the running server's API instead.
        const runs = await runCli(['runs', '--json'], { env: env.childEnv, cwd: env.home });
        expect(runs.code).toBe(0);
        expect(JSON.parse(runs.stdout)).toEqual([]);
      } finally {
        server.child.kill('SIGTERM');
        const done = await server.done;
        expect(done.code).toBe(0);
      }
    },
  );

  it('prints help for every command', async () => {
    env = testEnv('cli-help');
    for (const cmd of [
      [],
      ['serve'],
      ['worker'],
      ['migrate'],
      ['config', 'check'],
      ['runs'],
      ['run'],
      ['errors', 'list'],
      ['errors', 'retry'],
      ['inventory', 'sync'],
      ['fulfillment'],
      ['fulfillment', 'late'],
      ['fulfillment', 'sync'],
      ['returns'],
      ['returns', 'sync'],
    ]) {
      const r = await runCli([...cmd, '--help'], { env: env.childEnv, cwd: env.home });
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: tiksuite/);
    }
  });
});
