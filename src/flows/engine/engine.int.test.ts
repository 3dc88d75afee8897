import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type TestEnv, testEnv } from '../../../test/support/env.ts';
import { waitFor } from '../../../test/support/proc.ts';
import { openRuntime, type Runtime } from '../../main/runtime.ts';
import { AppError } from '../../shared/errors.ts';
import { silentLogger } from '../../shared/log.ts';
import { selftestFlow } from '../selftest.ts';
import { defineFlow } from './define.ts';
import { retryError } from './error-ops.ts';

let env: TestEnv | undefined;
let rt: Runtime | undefined;
afterEach(async () => {
  await rt?.close({ graceMs: 0 });
  await env?.cleanup();
  rt = undefined;
  env = undefined;
});

// A flow whose step fails while the `flaky.broken` setting is true: "fixing the cause" flips it.
const flakyFlow = defineFlow<{ n: number }>({
  id: 'test.flaky',
  version: 1,
  triggers: [{ type: 'webhook' }],
  payload: z.object({ n: z.number().int() }),
  steps: [
    {
      id: 'call-remote',
      async run({ payload }, ctx) {
        const row = await ctx.db
          .selectFrom('settings')
          .select('value')
          .where('key', '=', 'flaky.broken')
          .executeTakeFirst();
        if (JSON.stringify(row?.value) === 'true')
          throw new AppError('transient_failure', `remote unavailable for record ${payload.n}`);
        const key = {
          sourceSystem: 'test',
          sourceType: 'thing',
          sourceId: String(payload.n),
          targetSystem: 'remote',
          targetType: 'obj',
        };
        await ctx.xref.put(key, `R${payload.n}`);
        return { remoteId: await ctx.xref.get(key) };
      },
    },
  ],
  targetId: (out) => (out['call-remote'] as { remoteId: string }).remoteId,
});

async function setBroken(r: Runtime, broken: boolean) {
  await r.stores.db
    .insertInto('settings')
    .values({ key: 'flaky.broken', value: JSON.stringify(broken), updated_at: new Date() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(broken) }))
    .execute();
}

describe('flow engine', () => {
  it('processes 2,000 records once each; a key seen twice is processed once', async () => {
    env = testEnv('engine2k');
    rt = await openRuntime(env.config(), { log: silentLogger(), flows: [selftestFlow as never] });
    await rt.engine.work();
    const runId = await rt.engine.trigger('selftest', 'manual', { records: 2000, batch: 'b1' });
    const run = await waitFor(
      () => rt!.stores.runs.get(runId),
      (r) => r?.status !== 'running',
    );
    expect(run).toMatchObject({
      status: 'succeeded',
      received: 2000,
      succeeded: 2000,
      failed: 0,
      skipped: 0,
    });

    // The same 2,000 keys again (same content): nothing is redone, all are skipped.
    const again = await rt.engine.trigger('selftest', 'manual', { records: 2000, batch: 'b1' });
    const run2 = await waitFor(
      () => rt!.stores.runs.get(again),
      (r) => r?.status !== 'running',
    );
    expect(run2).toMatchObject({ status: 'succeeded', received: 2000, succeeded: 0, skipped: 2000 });

    const effects = await rt.stores.db
      .selectFrom('selftest_effects')
      .select((eb) => [
        eb.fn.countAll<number>().as('rows'),
        eb.fn.count<number>('record_key').distinct().as('keys'),
      ])
      .executeTakeFirstOrThrow();
    expect(Number(effects.rows)).toBe(2000);
    expect(Number(effects.keys)).toBe(2000);
  });

  it('retries a transient error with backoff, records it after the last attempt, and errors retry fixes it', async () => {
    env = testEnv('engineretry');
    rt = await openRuntime(
      env.config({
        queue: {
          retryLimit: 2,
          retryDelaySeconds: 1,
          retryDelayMaxSeconds: 2,
          superviseIntervalSeconds: 1,
          pollingIntervalSeconds: 0.5,
        },
      }),
      {
        log: silentLogger(),
        flows: [flakyFlow as never],
      },
    );
    await rt.engine.work();
    await setBroken(rt, true);
    const t0 = Date.now();
    const { runId } = await rt.engine.submit('test.flaky', [{ key: 'flaky:1', payload: { n: 1 } }]);
    const run = await waitFor(
      () => rt!.stores.runs.get(runId),
      (r) => r?.status !== 'running',
    );
    // 3 attempts with backoff between them took at least the first two delays (>= 1 s in all).
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(run).toMatchObject({ status: 'partial', failed: 1, succeeded: 0 });
    const [err] = await rt.stores.errors.list();
    expect(err).toMatchObject({
      flowId: 'test.flaky',
      recordKey: 'flaky:1',
      errorClass: 'transient',
      attempts: 3,
      status: 'open',
    });
    expect(err!.message).toMatch(/remote unavailable.*gave up after 3 attempts/);
    expect(err!.payload).toEqual({ n: 1 });

    // Retrying while still broken fails again and keeps one open error for the record.
    await setBroken(rt, false);
    const retry = await retryError({ stores: rt.stores, engine: rt.engine }, err!.id);
    await waitFor(
      () => rt!.stores.runs.get(retry.runId),
      (r) => r?.status !== 'running',
    );
    expect(await rt.stores.errors.get(err!.id)).toMatchObject({ status: 'resolved' });
    expect(await rt.stores.outcomes.get('test.flaky', 'flaky:1')).toMatchObject({
      status: 'succeeded',
      targetId: 'R1',
    });
    expect(await rt.stores.xref.sourcesOf('remote', 'obj', 'R1')).toEqual([
      { source_system: 'test', source_type: 'thing', source_id: '1' },
    ]);
  });

  it('turns an invalid payload into a validation error at once, and retry with an edited payload imports it', async () => {
    env = testEnv('enginevalid');
    rt = await openRuntime(env.config(), { log: silentLogger(), flows: [flakyFlow as never] });
    await rt.engine.work();
    const { runId } = await rt.engine.submit('test.flaky', [{ key: 'flaky:bad', payload: { n: 'seven' } }]);
    await waitFor(
      () => rt!.stores.runs.get(runId),
      (r) => r?.status !== 'running',
    );
    const [err] = await rt.stores.errors.list();
    expect(err).toMatchObject({ errorClass: 'validation', attempts: 1 });
    expect(err!.message).toMatch(/^invalid payload: n: /);
    await expect(
      retryError({ stores: rt.stores, engine: rt.engine }, err!.id, { payload: { n: 'x' } }),
    ).rejects.toThrow(/still invalid: n:/);
    const retry = await retryError({ stores: rt.stores, engine: rt.engine }, err!.id, { payload: { n: 7 } });
    await waitFor(
      () => rt!.stores.runs.get(retry.runId),
      (r) => r?.status === 'succeeded',
    );
    expect(await rt.stores.outcomes.get('test.flaky', 'flaky:bad')).toMatchObject({ targetId: 'R7' });
  });
});
