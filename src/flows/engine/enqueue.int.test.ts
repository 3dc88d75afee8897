import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runtimeFixture } from '../../../test/support/runtime.ts';
import { defineFlow } from './define.ts';
import { retryError } from './error-ops.ts';

const fx = runtimeFixture();

// Records as a channel that skipped the boundary (shared/json.ts) would submit them: raw text.
const echoFlow = defineFlow<{ name: string }>({
  id: 'test.echo',
  version: 1,
  triggers: [{ type: 'webhook' }, { type: 'manual' }],
  payload: z.object({ name: z.string() }),
  // Discovery reads names and gives the one at `poison` half a surrogate pair, as a channel might.
  discover: async (ctx, params) => {
    const p = z.object({ names: z.array(z.string()), poison: z.number() }).parse(params);
    const name = (n: string, i: number) => (i === p.poison ? `${n} \ud83d street` : n);
    await ctx.emit(p.names.map((n, i) => ({ key: `echo:${i}`, payload: { name: name(n, i) } })));
  },
  steps: [{ id: 'echo', run: async ({ payload }) => ({ echoed: payload.name }) }],
});

const start = (name: string) => fx.start(name, [echoFlow as never]);
const finished = fx.finished;

describe('enqueue: one record the database refuses never fails its neighbours', () => {
  it('queues the other 19 records of a submit, records the NUL one as an error, and an edited retry succeeds', async () => {
    const r = await start('enqueuenul');
    const records = Array.from({ length: 20 }, (_, i) => ({
      key: `echo:${i}`,
      payload: { name: i === 7 ? 'Ada\u0000Lovelace' : `buyer ${i}` },
    }));
    const { runId, queued } = await r.engine.submit('test.echo', records);
    expect(queued).toBe(19);
    const run = await finished(r, runId);
    expect(run).toMatchObject({ status: 'partial', received: 20, succeeded: 19, failed: 1 });
    const errors = await r.stores.errors.list();
    expect(errors).toHaveLength(1);
    const err = errors[0]!;
    expect(err).toMatchObject({ recordKey: 'echo:7', code: 'record_unstorable', errorClass: 'validation' });
    expect(err.message).toMatch(/record echo:7 could not be queued.*SQLSTATE 22/);
    // Kept losslessly, as visible escape text.
    expect(err.payload).toEqual({ name: 'Ada\\u0000Lovelace' });
    expect(await r.stores.outcomes.get('test.echo', 'echo:7')).toMatchObject({ status: 'failed' });

    const retry = await retryError({ stores: r.stores, engine: r.engine }, err.id, {
      payload: { name: 'Ada Lovelace' },
    });
    expect(await finished(r, retry.runId)).toMatchObject({ status: 'succeeded' });
    expect(await r.stores.outcomes.get('test.echo', 'echo:7')).toMatchObject({ status: 'succeeded' });
    expect(await r.stores.errors.get(err.id)).toMatchObject({ status: 'resolved' });
  });

  it('a discovery that emits a lone surrogate among its records: the run goes on and counts it failed', async () => {
    const r = await start('enqueuesurrogate');
    const runId = await r.engine.trigger('test.echo', 'manual', {
      names: ['Grace', 'Alan', 'Edsger'],
      poison: 1,
    });
    const run = await finished(r, runId);
    expect(run).toMatchObject({ status: 'partial', received: 3, succeeded: 2, failed: 1, error: null });
    const [err] = await r.stores.errors.list();
    expect(err).toMatchObject({ recordKey: 'echo:1', code: 'record_unstorable' });
    expect(err!.payload).toEqual({ name: 'Alan \\ud83d street' });
  });

  it('a payload that cannot even be serialised is refused alone, with its reason kept', async () => {
    const r = await start('enqueuebigint');
    const { runId, queued } = await r.engine.submit('test.echo', [
      { key: 'echo:a', payload: { name: 'ok' } },
      { key: 'echo:b', payload: { name: 'x', n: 1n }, version: 'v1' },
    ]);
    expect(queued).toBe(1);
    expect(await finished(r, runId)).toMatchObject({ succeeded: 1, failed: 1 });
    const [err] = await r.stores.errors.list();
    expect(err).toMatchObject({ recordKey: 'echo:b', code: 'record_unstorable' });
    expect(err!.payload).toEqual({ unstorable: expect.stringMatching(/BigInt/) });
  });
});
