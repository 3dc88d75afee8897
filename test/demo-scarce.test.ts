import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli, startCli, waitFor } from './support/proc.ts';

it('`tiksuite demo --scenario scarce --stock 3 --json`: buyers race for scarce units, none oversold by TikSuite', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tiksuite-demo-scarce-'));
  try {
    const res = await runCli(['demo', '--scenario', 'scarce', '--stock', '3', '--json'], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      cwd,
    });
    expect(res.code, res.stderr).toBe(0);
    const s = JSON.parse(res.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(s.reservations).toBe(true);
    // Nothing oversold but what another channel took in NetSuite while TikTok still listed it (the
    // poll interval of lag no integration avoids; on a quiet machine that is 0 too).
    expect(s.oversoldUnits - s.crossChannelUnits).toBe(0);
    expect(s.skus).toHaveLength(3);
    for (const k of s.skus) {
      expect(k.refused).toBeGreaterThan(0);
      expect(k.soldOnTikTok + k.soldElsewhere).toBeGreaterThan(0);
    }
    // How fast a restock reaches TikTok is a figure (`npm run bench:inventory`), not a test verdict.
    expect(s.restockToTikTokMs.p99).not.toBeNull();
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

it('refuses an unknown scenario with exit code 2', async () => {
  const res = await runCli(['demo', '--scenario', 'nope'], {
    env: { ...process.env, LOG_LEVEL: 'silent' },
    cwd: tmpdir(),
  });
  expect(res.code).toBe(2);
  expect(res.stderr).toMatch(/Allowed choices are live, scarce/);
});

it('`tiksuite demo --scenario scarce --hold`: keeps everything up after the summary until SIGTERM', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tiksuite-demo-hold-'));
  const demo = startCli(['demo', '--scenario', 'scarce', '--stock', '2', '--hold', '--json'], {
    env: { ...process.env, LOG_LEVEL: 'silent' },
    cwd,
    timeoutMs: 270_000,
  });
  try {
    const out = await waitFor(
      async () => demo.output(),
      (o) => /demo: holding; .*\((http:\/\/[\d.:]+)\)/.test(o) || demo.child.exitCode !== null,
      120_000,
      200,
    );
    expect(demo.child.exitCode, out).toBeNull();
    const url = /demo: holding; .*\((http:\/\/[\d.:]+)\)/.exec(out)![1]!;
    expect(JSON.parse(out.split('\n').find((l) => l.startsWith('{')) ?? '{}')).toHaveProperty(
      'oversoldUnits',
    );
    // Still serving after the summary: the dashboard's health check answers.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  } finally {
    demo.child.kill('SIGTERM');
    expect((await demo.done).code).toBe(0);
    rmSync(cwd, { recursive: true, force: true });
  }
});
