import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { waitFor } from '../../../test/support/proc.ts';
import { runtimeFixture } from '../../../test/support/runtime.ts';
import type { Runtime } from '../../main/runtime.ts';
import { defineFlow } from './define.ts';

const fx = runtimeFixture();

const burstFlow = defineFlow<{ n: number }>({
  id: 'test.burst',
  version: 1,
  triggers: [{ type: 'webhook' }],
  payload: z.object({ n: z.number().int() }),
  steps: [{ id: 'echo', run: async ({ payload }) => ({ n: payload.n }) }],
});

const records = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, payload: { n: from + i } }));

const start = (name: string): Promise<Runtime> => fx.start(name, [burstFlow as never]);

/** Whether the run's window has passed on the database clock (the one the runs store uses). */
const windowPassed = async (r: Runtime, runId: string) =>
  (
    await sql<{
      passed: boolean;
    }>`SELECT accepting_until <= now() AS passed FROM flow_runs WHERE id = ${runId}`.execute(r.stores.db)
  ).rows[0]?.passed === true;

const webhookRuns = (r: Runtime) =>
  r.stores.runs.list({ flowId: 'test.burst' }).then((l) => l.filter((x) => x.trigger === 'webhook'));

describe('open runs (webhook intake accumulates into one run per burst)', () => {
  it('a burst of concurrent submits is one run that closes, with its counts, once idle', async () => {
    const r = await start('openrun');
    // A window no stall of a loaded machine outlasts: the burst joins one run and it stays open
    // until the test ends the window (below) instead of racing a 2 s idle timer.
    const window = { idleSeconds: 3600, maxSeconds: 7200 };
    // 20 intake rounds of 5 records at once (on PostgreSQL they race for the one open run).
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        r.engine.submit('test.burst', records(i * 5, 5), 'webhook', { window }),
      ),
    );
    const runId = results[0]!.runId;
    expect(new Set(results.map((x) => x.runId))).toEqual(new Set([runId]));
    expect(results.reduce((a, x) => a + x.queued, 0)).toBe(100);
    // A repeat of records still queued or done adds no job and no count.
    await r.engine.submit('test.burst', records(0, 5), 'webhook', { window });

    // Every record is done, but the run stays open while the burst may go on.
    const worked = await waitFor(
      () => r.stores.runs.get(runId),
      (x) => (x?.succeeded ?? 0) + (x?.skipped ?? 0) >= 100,
      undefined,
      50,
    );
    expect(worked?.status).toBe('running');
    expect(await r.engine.closeIdleRuns()).toBe(0);

    // Idle for the window (the hour passes: its end is moved to now on the database clock): closed,
    // finished, counts exact.
    await sql`UPDATE flow_runs SET accepting_until = now() WHERE id = ${runId}`.execute(r.stores.db);
    await waitFor(
      () => windowPassed(r, runId),
      (passed) => passed,
      undefined,
      10,
    );
    expect(await r.engine.closeIdleRuns()).toBe(1);
    const run = await r.stores.runs.get(runId);
    expect(run).toMatchObject({ status: 'succeeded', failed: 0 });
    expect(run!.received).toBe(run!.succeeded + run!.skipped);
    expect(run!.succeeded).toBe(100);
    expect(run!.finishedAt).not.toBeNull();

    // The next push opens a new run.
    const next = await r.engine.submit('test.burst', records(100, 3), 'webhook', { window });
    expect(next.runId).not.toBe(runId);
    expect((await webhookRuns(r)).map((x) => x.id).sort()).toEqual([runId, next.runId].sort());
  });

  it('an open run takes records for at most maxSeconds, however busy', async () => {
    const r = await start('openrunmax');
    const window = { idleSeconds: 30, maxSeconds: 1 };
    const first = await r.engine.submit('test.burst', records(0, 2), 'webhook', { window });
    const run = await r.stores.runs.get(first.runId);
    expect(run!.acceptingUntil!.getTime() - run!.startedAt.getTime()).toBeLessThanOrEqual(1000);
    await waitFor(
      () => windowPassed(r, first.runId),
      (passed) => passed,
      undefined,
      50,
    );
    // The window passed while busy: this submit closes the old run and opens another.
    const second = await r.engine.submit('test.burst', records(2, 2), 'webhook', { window });
    expect(second.runId).not.toBe(first.runId);
    const closed = await waitFor(
      () => r.stores.runs.get(first.runId),
      (x) => x?.status !== 'running',
      undefined,
      50,
    );
    expect(closed).toMatchObject({ status: 'succeeded', received: 2, succeeded: 2 });
  });

  it('submits without a window still make a run each (CLI re-sync)', async () => {
    const r = await start('openrunnone');
    const a = await r.engine.submit('test.burst', records(0, 1), 'webhook');
    const b = await r.engine.submit('test.burst', records(1, 1), 'webhook');
    expect(a.runId).not.toBe(b.runId);
  });
});
