import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type TestEnv, testEnv } from '../../../test/support/env.ts';
import { waitFor } from '../../../test/support/proc.ts';
import { openRuntime, type Runtime } from '../../main/runtime.ts';
import { AppError } from '../../shared/errors.ts';
import { silentLogger } from '../../shared/log.ts';
import { timeCursorWithOverlap } from '../../store/index.ts';
import { defineFlow } from './define.ts';
import { retryGroup } from './error-ops.ts';

let env: TestEnv | undefined;
let rt: Runtime | undefined;
afterEach(async () => {
  await rt?.close({ graceMs: 0 });
  await env?.cleanup();
  rt = undefined;
  env = undefined;
});

const finished = (id: string) =>
  waitFor(
    () => rt!.stores.runs.get(id),
    (r) => r?.status !== 'running',
  );

// An incremental pull from a table standing in for a remote API: rows carry updated_at.
const Row = z.object({ id: z.number(), name: z.string() });
const pullFlow = defineFlow<z.infer<typeof Row>, Record<string, unknown>>({
  id: 'test.pull',
  version: 1,
  triggers: [{ type: 'manual' }],
  payload: Row,
  async discover(ctx, params) {
    const startedAt = new Date(); // noted before reading, so nothing updated meanwhile is missed
    const since = timeCursorWithOverlap(await ctx.cursor.get('items'), ctx.overlapSeconds, new Date(0));
    const rows = await sql<{ id: number; name: string }>`
      SELECT id, name FROM test_items WHERE updated_at >= ${since} ORDER BY id`.execute(rt!.stores.db);
    for (let i = 0; i < rows.rows.length; i += 2) {
      await ctx.emit(rows.rows.slice(i, i + 2).map((r) => ({ key: `item:${r.id}`, payload: r })));
      if (params.failAfterFirstPage) throw new AppError('validation_failed', 'source refused page 2');
    }
    await ctx.cursor.set('items', startedAt.toISOString());
  },
  steps: [{ id: 'noop', run: async ({ payload }) => ({ seen: payload.id }) }],
});

// Fails while the record's name says so: identical errors across records form one group.
const groupFlow = defineFlow<{ n: number }>({
  id: 'test.group',
  version: 1,
  triggers: [{ type: 'webhook' }],
  steps: [
    {
      id: 'check',
      async run({ payload }, ctx) {
        const fixed = await ctx.db
          .selectFrom('settings')
          .select('key')
          .where('key', '=', 'group.fixed')
          .executeTakeFirst();
        if (!fixed)
          throw new AppError(
            'validation_failed',
            `SKU "SKU-${payload.n}" has no NetSuite item: add it to the item map`,
          );
        return { ok: payload.n };
      },
    },
  ],
});

describe('flow engine: cursors, de-duplication, grouping, schedules', () => {
  it('advances a cursor only after the last page, and re-reads the overlap window without redoing records', async () => {
    env = testEnv('pull');
    rt = await openRuntime(env.config({ flows: { 'test.pull': { overlapSeconds: 3600 } } }), {
      log: silentLogger(),
      flows: [pullFlow as never],
    });
    await sql`CREATE TABLE test_items (id int PRIMARY KEY, name text, updated_at timestamptz DEFAULT now())`.execute(
      rt.stores.db,
    );
    await sql`INSERT INTO test_items (id, name) SELECT g, 'n' || g FROM generate_series(1, 5) g`.execute(
      rt.stores.db,
    );
    await rt.engine.work();

    // A run that fails after its first page saves that page but does not move the cursor.
    await finished(await rt.engine.trigger('test.pull', 'manual', { failAfterFirstPage: true }));
    expect(await rt.stores.cursors.get('test.pull', 'items')).toBeUndefined();

    const first = await finished(await rt.engine.trigger('test.pull', 'manual'));
    expect(first).toMatchObject({ status: 'succeeded', received: 5, succeeded: 3, skipped: 2 });
    expect(await rt.stores.cursors.get('test.pull', 'items')).toBeDefined();

    // Nothing changed: the overlap window re-reads all five, all are skipped. One change: redone.
    await sql`UPDATE test_items SET name = 'renamed', updated_at = now() WHERE id = 3`.execute(rt.stores.db);
    const second = await finished(await rt.engine.trigger('test.pull', 'manual'));
    expect(second).toMatchObject({ status: 'succeeded', received: 5, succeeded: 1, skipped: 4 });
  });

  it('enqueues a record version once however often it is submitted while queued', async () => {
    env = testEnv('dedupe');
    rt = await openRuntime(env.config(), { log: silentLogger(), flows: [groupFlow as never] });
    await rt.stores.db
      .insertInto('settings')
      .values({ key: 'group.fixed', value: 'true', updated_at: new Date() })
      .execute();
    const records = Array.from({ length: 10 }, (_, n) => ({ key: `g:${n}`, payload: { n } }));
    const a = await rt.engine.submit('test.group', records);
    const b = await rt.engine.submit('test.group', [...records, ...records]);
    expect(a.queued).toBe(10);
    expect(b.queued).toBe(0);
    await rt.engine.work();
    expect(await finished(a.runId)).toMatchObject({ status: 'succeeded', succeeded: 10 });
    expect(await rt.stores.outcomes.countByStatus('test.group')).toEqual({ succeeded: 10 });
  });

  it('groups identical errors and retries the whole group after one fix', async () => {
    env = testEnv('group');
    rt = await openRuntime(env.config(), { log: silentLogger(), flows: [groupFlow as never] });
    await rt.engine.work();
    const { runId } = await rt.engine.submit(
      'test.group',
      [1, 2, 3].map((n) => ({ key: `g:${n}`, payload: { n } })),
    );
    expect(await finished(runId)).toMatchObject({ status: 'partial', failed: 3 });
    const groups = await rt.stores.errors.groups();
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ count: 3, error_class: 'validation' });
    await rt.stores.db
      .insertInto('settings')
      .values({ key: 'group.fixed', value: 'true', updated_at: new Date() })
      .execute();
    const retried = await retryGroup({ stores: rt.stores, engine: rt.engine }, groups[0]!.fingerprint);
    expect(retried).toHaveLength(3);
    await waitFor(
      () => rt!.stores.outcomes.countByStatus('test.group'),
      (c) => c.succeeded === 3,
    );
    const all = await rt.stores.errors.list({ status: 'all' });
    expect(all.map((e) => e.status)).toEqual(['resolved', 'resolved', 'resolved']);
  });

  it('runs a flow on its schedule', async () => {
    env = testEnv('schedule');
    const scheduled = defineFlow({
      ...pullFlow,
      id: 'test.scheduled',
      triggers: [{ type: 'schedule', cron: 'FREQ=SECONDLY;INTERVAL=2' }],
    });
    rt = await openRuntime(env.config(), { log: silentLogger(), flows: [scheduled as never] });
    await sql`CREATE TABLE test_items (id int PRIMARY KEY, name text, updated_at timestamptz DEFAULT now())`.execute(
      rt.stores.db,
    );
    await rt.engine.work();
    const runs = await waitFor(
      () => rt!.stores.runs.list({ flowId: 'test.scheduled' }),
      (r) => r.length >= 1,
    );
    expect(runs[0]).toMatchObject({ trigger: 'schedule' });
  });
});
