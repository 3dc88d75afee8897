import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../src/main/runtime.ts';
import { silentLogger } from '../src/shared/log.ts';
import { type TestEnv, testEnv, usePostgres } from './support/env.ts';
import { type Started, startCli, waitFor } from './support/proc.ts';
import { effectCounts } from './support/selftest.ts';

let env: TestEnv | undefined;
let rt: Runtime | undefined;
const workers: Started[] = [];
afterEach(async () => {
  for (const w of workers) w.child.kill('SIGKILL');
  workers.length = 0;
  await rt?.close({ graceMs: 0 });
  rt = undefined;
  await env?.cleanup();
  env = undefined;
});

// Several processes share one database only on PostgreSQL (PGlite is single-process by design).
describe.skipIf(!usePostgres)('scale-out on PostgreSQL', () => {
  it('three `tiksuite worker` processes share 3,000 jobs: none lost, none run twice', async () => {
    env = testEnv('scaleout');
    writeFileSync(
      join(env.home, 'tiksuite.yaml'),
      'queue:\n  pollingIntervalSeconds: 0.5\n  concurrency: 8\n',
    );
    // The test process enqueues and watches; it does not work the queue itself.
    rt = await openRuntime(env.config(), { log: silentLogger() });
    const workerEnv = { ...env.childEnv, LOG_LEVEL: 'info' };
    for (let i = 0; i < 3; i++) workers.push(startCli(['worker'], { env: workerEnv, cwd: env.home }));
    // All three work the queue before the jobs exist (a process can take many seconds to start on a
    // loaded machine; the first ones up would otherwise do all the work).
    for (const w of workers)
      await waitFor(
        async () => w.output(),
        (out) => out.includes('tiksuite worker started') || w.child.exitCode !== null,
      );
    for (const w of workers) expect(w.child.exitCode, w.output()).toBeNull();
    const runId = await rt.engine.trigger('selftest', 'manual', { records: 3000, workMs: 2 });
    const run = await waitFor(
      () => rt!.stores.runs.get(runId),
      (r) => r?.status !== 'running',
      undefined,
      250,
    );
    expect(run).toMatchObject({
      status: 'succeeded',
      received: 3000,
      succeeded: 3000,
      failed: 0,
      skipped: 0,
    });

    const perWorker = await rt.stores.db
      .selectFrom('selftest_effects')
      .select((eb) => ['worker', eb.fn.countAll<number>().as('n')])
      .where('run_id', '=', runId)
      .groupBy('worker')
      .execute();
    const effects = await effectCounts(rt.stores.db, runId);
    expect({ rows: effects.rows, keys: effects.keys }).toEqual({ rows: 3000, keys: 3000 });
    // All three workers took a share (how even a share is depends on scheduling: not asserted).
    expect(perWorker).toHaveLength(3);
    for (const w of perWorker) expect(Number(w.n)).toBeGreaterThan(0);
    for (const w of workers) expect(w.child.exitCode).toBeNull();
  }, 600_000);
});
