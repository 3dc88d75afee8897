/**
 * The watchdog over a real runtime (pg-boss, the database): record jobs nobody works are a stuck
 * queue, and the stall clears once a worker takes them. The webhook and polling stalls are proved
 * end to end in test/stall.test.ts.
 */
import { expect, it } from 'vitest';
import { testEnv } from '../../../test/support/env.ts';
import { waitFor } from '../../../test/support/proc.ts';
import { openRuntime, type Runtime } from '../../main/runtime.ts';
import { silentLogger } from '../../shared/log.ts';
import { selftestFlow } from '../selftest.ts';

it('ready record jobs that nobody works are a stuck queue until a worker takes them', async () => {
  const env = testEnv('watchdog-queue');
  const config = env.config({ watchdog: { checkIntervalSeconds: 0.2, queueMaxWaitSeconds: 1 } });
  const rt = await openRuntime(config, { log: silentLogger(), flows: [selftestFlow] });
  try {
    await stuckThenWorked(rt);
  } finally {
    await rt.close({ graceMs: 0 });
    await env.cleanup();
  }
});

async function stuckThenWorked(r: Runtime): Promise<void> {
  const records = [1, 2, 3].map((n) => ({ key: `selftest:stuck:${n}`, payload: { n, workMs: 0 } }));
  await r.engine.submit('selftest', records, 'manual');
  const stalls = await waitFor(
    async () => r.watchdog?.report.stalls ?? [],
    (s) => s.some((x) => x.reason === 'queue_stuck'),
    60_000,
  );
  expect(stalls.find((x) => x.reason === 'queue_stuck')).toMatchObject({
    flow: 'selftest',
    source: 'flow.selftest.records',
  });
  const open = await r.stores.errors.list({ flowId: 'selftest' });
  expect(open.map((e) => [e.code, e.recordKey])).toEqual([
    ['flow_stalled', 'stall:queue_stuck:flow.selftest.records'],
  ]);
  expect(await r.registry.getSingleMetricAsString('tiksuite_flow_stalled')).toMatch(
    /tiksuite_flow_stalled\{flow="selftest",reason="queue_stuck"\} 1/,
  );

  await r.engine.work();
  await waitFor(
    async () => r.watchdog?.report.stalls ?? [],
    (s) => s.length === 0,
    60_000,
  );
  const [resolved] = await r.stores.errors.list({ flowId: 'selftest', status: 'resolved' });
  expect(resolved?.resolution).toMatch(/^recovered/);
}
