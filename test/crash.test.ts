import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRuntime } from '../src/main/runtime.ts';
import { silentLogger } from '../src/shared/log.ts';
import { type TestEnv, testEnv } from './support/env.ts';
import { adminHeaders, serverUrl, startCli, waitFor } from './support/proc.ts';
import { effectCounts } from './support/selftest.ts';

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
});

interface Run {
  status: string;
  received: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

const getRun = async (url: string, id: string): Promise<Run> => {
  const res = await fetch(`${url}/api/runs/${id}`, { headers: adminHeaders(env!.home) });
  return ((await res.json()) as { run: Run }).run;
};

/** What the selftest flow wrote for a run, read with no server running (PGlite has one owner). */
async function effectsOf(e: TestEnv, runId: string) {
  const rt = await openRuntime(e.config(), { log: silentLogger(), flows: [] });
  try {
    return await effectCounts(rt.stores.db, runId);
  } finally {
    await rt.close({ graceMs: 0 });
  }
}

describe('crash safety', () => {
  it('a server killed with SIGKILL mid-run and restarted does every record exactly once', async () => {
    env = testEnv('crash');
    // Heartbeats every 10 s (pg-boss's minimum): a killed worker's jobs come back within ~10 s.
    writeFileSync(
      join(env.home, 'tiksuite.yaml'),
      'queue:\n  heartbeatSeconds: 10\n  superviseIntervalSeconds: 1\n  retryDelaySeconds: 1\n  pollingIntervalSeconds: 0.5\n  concurrency: 16\n',
    );
    const first = startCli(['serve', '--port', '0'], { env: env.childEnv, cwd: env.home });
    const url1 = await serverUrl(env.home, first);
    const res = await fetch(`${url1}/api/flows/selftest/runs`, {
      method: 'POST',
      headers: adminHeaders(env.home),
      // 20 ms a record, 16 at a time: the rest of the run takes seconds after the kill is decided,
      // so the kill lands mid-run however slowly this test process is scheduled.
      body: JSON.stringify({ params: { records: 2000, workMs: 20 } }),
    });
    const { runId } = (await res.json()) as { runId: string };
    const before = await waitFor(
      () => getRun(url1, runId),
      (r) => r.succeeded >= 300,
      undefined,
      20,
    );
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(before.succeeded).toBeLessThan(2000);

    const second = startCli(['serve', '--port', '0'], { env: env.childEnv, cwd: env.home });
    try {
      const url2 = await serverUrl(env.home, second);
      const run = await waitFor(
        () => getRun(url2, runId),
        (r) => r.status !== 'running',
        undefined,
        250,
      );
      expect(run).toMatchObject({ status: 'succeeded', received: 2000, succeeded: 2000, failed: 0 });
    } finally {
      second.child.kill('SIGTERM');
      expect((await second.done).code).toBe(0);
    }

    // Count the side effects the flow wrote: exactly one per record.
    const rt = await openRuntime(env.config(), { log: silentLogger(), flows: [] });
    try {
      const effects = await effectCounts(rt.stores.db, runId);
      expect({ rows: effects.rows, keys: effects.keys }).toEqual({ rows: 2000, keys: 2000 });
      // Both processes did part of the work.
      expect(effects.workers).toBe(2);
    } finally {
      await rt.close({ graceMs: 0 });
    }
  }, 600_000);

  it('SIGTERM finishes or releases in-flight jobs, exits 0, and a restart completes the run exactly once', async () => {
    env = testEnv('sigterm');
    writeFileSync(
      join(env.home, 'tiksuite.yaml'),
      'server:\n  shutdownGraceSeconds: 1\nqueue:\n  heartbeatSeconds: 10\n  superviseIntervalSeconds: 1\n  retryDelaySeconds: 1\n  pollingIntervalSeconds: 0.5\n  concurrency: 4\n',
    );
    const first = startCli(['serve', '--port', '0'], { env: env.childEnv, cwd: env.home });
    const url1 = await serverUrl(env.home, first);
    const res = await fetch(`${url1}/api/flows/selftest/runs`, {
      method: 'POST',
      headers: adminHeaders(env.home),
      body: JSON.stringify({ params: { records: 80, workMs: 250 } }),
    });
    const { runId } = (await res.json()) as { runId: string };
    await waitFor(
      () => getRun(url1, runId),
      (r) => r.succeeded >= 8,
      undefined,
      50,
    );
    first.child.kill('SIGTERM');
    const stopped = await first.done;
    expect(stopped.code).toBe(0);
    // It stopped after the grace (1 s), not after the whole batch (80 x 250 ms / 4 = 5 s of work):
    // records were left for the restart. Counted in the database, not timed on the wall clock.
    expect((await effectsOf(env, runId)).rows).toBeLessThan(80);

    const second = startCli(['serve', '--port', '0'], { env: env.childEnv, cwd: env.home });
    try {
      const url2 = await serverUrl(env.home, second);
      const run = await waitFor(
        () => getRun(url2, runId),
        (r) => r.status !== 'running',
        undefined,
        250,
      );
      expect(run).toMatchObject({ status: 'succeeded', received: 80, succeeded: 80, failed: 0 });
    } finally {
      second.child.kill('SIGTERM');
      expect((await second.done).code).toBe(0);
    }
    expect(await effectsOf(env, runId)).toMatchObject({ rows: 80, keys: 80 });
  }, 600_000);
});
