import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runtimeFixture } from '../../../test/support/runtime.ts';
import { AppError } from '../../shared/errors.ts';
import { defineFlow } from './define.ts';

const fx = runtimeFixture();

// Three shops; the ones named in `down` fail their poll. Each good shop emits one record and
// moves its cursor.
const shopsFlow = defineFlow<{ shop: string }>({
  id: 'test.shops',
  version: 1,
  triggers: [{ type: 'manual' }],
  payload: z.object({ shop: z.string() }),
  discover: async (ctx, params) => {
    const p = z.object({ down: z.array(z.string()), shop: z.string().optional() }).parse(params);
    await ctx.eachSource(
      p.shop ? [p.shop] : ['a', 'b', 'c'],
      async (shop) => {
        if (p.down.includes(shop)) throw new AppError('transient_failure', `shop ${shop} answered 503`);
        await ctx.emit([{ key: `shop:${shop}:${ctx.runId}`, payload: { shop } }]);
        await ctx.cursor.set(`updated:${shop}`, ctx.runId);
      },
      (shop) => ({ ...params, shop }),
    );
  },
  steps: [{ id: 'noop', run: async () => ({}) }],
});

describe('discovery per source', () => {
  it('a failing shop is one open error record across runs; the others are polled and their cursors move', async () => {
    const r = await fx.start('sources', [shopsFlow as never]);
    const finished = (runId: string) => fx.finished(r, runId);

    const first = await r.engine.trigger('test.shops', 'manual', { down: ['b'] });
    const run1 = await finished(first);
    expect(run1).toMatchObject({ status: 'partial', received: 2, succeeded: 2 });
    expect(run1?.error).toMatch(/discovery failed for b: shop b answered 503/);
    expect(await r.stores.cursors.get('test.shops', 'updated:a')).toBe(first);
    expect(await r.stores.cursors.get('test.shops', 'updated:c')).toBe(first);

    const second = await r.engine.trigger('test.shops', 'manual', { down: ['b'] });
    await finished(second);
    const open = await r.stores.errors.list({ status: 'open' });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ recordKey: 'discover:b', code: 'transient_failure', occurrences: 2 });
    expect(open[0]!.message).toMatch(/test\.shops: discovery of b failed .*the other sources went on/);
    expect(open[0]!.payload).toEqual({ down: ['b'], shop: 'b' });

    // b answers again: its record is resolved by the next good poll.
    const third = await r.engine.trigger('test.shops', 'manual', { down: [] });
    expect(await finished(third)).toMatchObject({ status: 'succeeded', error: null });
    expect(await r.stores.errors.list({ status: 'open' })).toHaveLength(0);
    expect(await r.stores.cursors.get('test.shops', 'updated:b')).toBe(third);
  });
});
