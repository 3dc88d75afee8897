import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from './support/proc.ts';

it('`tiksuite demo --orders 30 --json` imports every order exactly once, amounts to the cent', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tiksuite-demo-test-'));
  try {
    const res = await runCli(
      ['demo', '--orders', '30', '--rate', '30', '--netsuite-latency-ms', '20', '--json'],
      {
        env: { ...process.env, LOG_LEVEL: 'warn' },
        cwd,
      },
    );
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(summary).toMatchObject({
      ordersPlaced: 30,
      salesOrders: 30,
      missing: 0,
      duplicates: 0,
      amountMismatches: 0,
      errorsByClass: {},
    });
    expect(summary.webhookAnswerMs.count).toBeGreaterThanOrEqual(60);
    expect(summary.placedToSalesOrderMs.p99).toBeGreaterThan(0);
    expect(summary.urls.dashboard).toMatch(/\/login\?token=/);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

it('`tiksuite demo --faults`: injected failures and lost webhooks still give every order exactly once', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tiksuite-demo-faults-'));
  try {
    const res = await runCli(['demo', '--orders', '30', '--rate', '30', '--faults', '--json'], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      cwd,
    });
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(summary).toMatchObject({
      ordersPlaced: 30,
      salesOrders: 30,
      missing: 0,
      duplicates: 0,
      amountMismatches: 0,
    });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

it('`tiksuite demo --help` lists the options', async () => {
  const r = await runCli(['demo', '--help'], { env: process.env, cwd: tmpdir() });
  expect(r.code).toBe(0);
  for (const o of [
    '--orders',
    '--rate',
    '--shops',
    '--netsuite-concurrency',
    '--netsuite-latency-ms',
    '--json',
    '--hold',
  ])
    expect(r.stdout).toContain(o);
});

it('`tiksuite orders sync --help` explains backfill and re-sync', async () => {
  const r = await runCli(['orders', 'sync', '--help'], { env: process.env, cwd: tmpdir() });
  expect(r.code).toBe(0);
  for (const o of ['--since', '--until', '--ids', '--wait']) expect(r.stdout).toContain(o);
});
