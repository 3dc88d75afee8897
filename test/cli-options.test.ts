/**
 * Options reach the code they name: a spawned `tiksuite sandbox netsuite|tiktok` runs with the
 * values given after the subcommand (the `sandbox` group declares options of the same names and
 * used to take them), and options that would be ignored are refused with exit 2.
 */
import { describe, expect, it } from 'vitest';
import { startTikTokSandbox } from '../src/connectors/tiktok-shop/index.ts';
import { testEnv } from './support/env.ts';
import { runCli, type Started, startCli, waitFor } from './support/proc.ts';

async function listening(sb: Started, name: string): Promise<string> {
  const out = await waitFor(
    async () => sb.output(),
    (o) => new RegExp(`${name} sandbox listening on`).test(o) || sb.child.exitCode !== null,
    60_000,
  );
  const url = new RegExp(`${name} sandbox listening on (http://[\\d.:]+)`).exec(out)?.[1];
  if (!url) throw new Error(`no URL in: ${out}`);
  return url;
}

async function stop(sb: Started): Promise<void> {
  sb.child.kill('SIGTERM');
  expect((await sb.done).code).toBe(0);
}

describe('tiksuite sandbox: options after the subcommand reach that sandbox', () => {
  it('netsuite --concurrency --latency-ms --seed --host', async () => {
    const env = testEnv('sb-ns-opts');
    const args = ['--port', '0', '--concurrency', '5', '--latency-ms', '300', '--seed', '9'];
    const sb = startCli(['sandbox', 'netsuite', ...args, '--host', '127.0.0.2'], {
      env: env.childEnv,
      cwd: env.home,
    });
    try {
      const url = await listening(sb, 'NetSuite');
      expect(url).toMatch(/^http:\/\/127\.0\.0\.2:/);
      const settings = await (await fetch(`${url}/_sandbox/settings`)).json();
      expect(settings).toMatchObject({ seed: 9, concurrency: 5, latency: { baseMs: 300 } });
    } finally {
      await stop(sb);
      await env.cleanup();
    }
  });

  it('tiktok --seed --host', async () => {
    const env = testEnv('sb-tt-opts');
    const sb = startCli(['sandbox', 'tiktok', '--port', '0', '--seed', '9', '--host', '127.0.0.2'], {
      env: env.childEnv,
      cwd: env.home,
    });
    const [seed1, seed9] = [await startTikTokSandbox({ seed: 1 }), await startTikTokSandbox({ seed: 9 })];
    try {
      const url = await listening(sb, 'TikTok Shop');
      expect(url).toMatch(/^http:\/\/127\.0\.0\.2:/);
      const creds = (await (await fetch(`${url}/_sandbox/credentials`)).json()) as { app_key: string };
      expect(creds.app_key).toBe(seed9.credentials().app_key);
      expect(creds.app_key).not.toBe(seed1.credentials().app_key);
    } finally {
      await Promise.all([seed1.close(), seed9.close()]);
      await stop(sb);
      await env.cleanup();
    }
  });

  it('refuses options that would be ignored, with exit 2 and the fix', async () => {
    const env = testEnv('sb-refuse');
    const cases: [string[], RegExp][] = [
      [
        ['sandbox', '--seed', '3', 'netsuite'],
        /--seed before "netsuite" would be ignored: .*tiksuite sandbox netsuite/,
      ],
      [['sandbox', '--netsuite-port', '0', 'tiktok'], /--netsuite-port before "tiktok" would be ignored/],
      [
        ['--config', 'x.yaml', 'sandbox', 'netsuite'],
        /--config does not apply to `tiksuite sandbox netsuite`/,
      ],
      [['demo', '--scenario', 'scarce', '--orders', '5'], /--orders only apply to --scenario live/],
      [
        ['demo', '--stock', '3', '--no-reservations'],
        /--stock, --no-reservations only apply to --scenario scarce/,
      ],
      [['--config', 'x.yaml', 'demo'], /--config does not apply to `tiksuite demo`/],
    ];
    try {
      for (const [args, message] of cases) {
        const r = await runCli(args, { env: env.childEnv, cwd: env.home });
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr.trim(), args.join(' ')).toMatch(message);
      }
    } finally {
      await env.cleanup();
    }
  });
});
