import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEnv, testEnv, usePostgres } from '../../test/support/env.ts';
import { ErrorStore } from './errors.ts';
import { HealthStore, type StallRecord } from './health.ts';
import { type DbHandle, migrateToLatest, openDatabase } from './index.ts';

let env: TestEnv;
let handles: DbHandle[];
let stores: HealthStore[];
let errors: ErrorStore;
beforeAll(async () => {
  env = testEnv('health');
  const c = env.config();
  const open = () =>
    openDatabase({ url: c.database.url, dataDir: join(env.home, 'data'), schema: env.schema });
  const first = await open();
  await migrateToLatest(first);
  // On PostgreSQL a second handle plays a second process running the watchdog on the same database.
  handles = usePostgres ? [first, await open()] : [first];
  stores = handles.map((h) => new HealthStore(h.db));
  errors = new ErrorStore(first.db);
});
afterAll(async () => {
  for (const h of handles ?? []) await h.close();
  await env?.cleanup();
});

const stall = (over: Partial<StallRecord> = {}): StallRecord => ({
  flow: 'orders.import',
  reason: 'poll_stale',
  source: 'updated:7001',
  since: new Date(Date.now() - 60_000),
  message: 'orders.import: the scheduled poll of updated:7001 has not succeeded',
  details: {},
  ...over,
});

describe('flow health and stall records', () => {
  it('counts failures in a row from the first, and a success clears them', async () => {
    const h = stores[0]!;
    await h.watch('orders.import', ['updated:7001']);
    await h.watch('orders.import', ['updated:7001']);
    await h.failed('orders.import', 'updated:7001', 'first');
    await h.failed('orders.import', 'updated:7001', 'second');
    let [row] = await h.list();
    expect(row).toMatchObject({ failures: 2, last_error: 'second', last_success_at: null });
    const since = row!.failing_since;
    await h.failed('orders.import', 'updated:7001', 'third');
    [row] = await h.list();
    expect(row!.failing_since).toEqual(since);
    await h.succeeded('orders.import', 'updated:7001');
    [row] = await h.list();
    expect(row).toMatchObject({ failures: 0, failing_since: null, last_error: null });
    expect(row!.last_success_at).not.toBeNull();
  });

  it('one open record per flow and condition however many processes report it; resolved with a note when over', async () => {
    const s = stall();
    await Promise.all([...stores, ...stores, ...stores].map((h) => h.openStall(s)));
    await stores[0]!.openStall(stall({ reason: 'inbox_backlog', source: 'webhook-intake' }));
    const open = (await errors.list({ flowId: 'orders.import' })).filter((e) => e.code === 'flow_stalled');
    expect(open.map((e) => e.recordKey).sort()).toEqual([
      'stall:inbox_backlog:webhook-intake',
      'stall:poll_stale:updated:7001',
    ]);
    expect(open.find((e) => e.recordKey === 'stall:poll_stale:updated:7001')!.occurrences).toBe(
      stores.length * 3,
    );
    // The poll recovered; the inbox is still stuck.
    expect(
      await stores[0]!.resolveStalls([{ flow: 'orders.import', key: 'stall:inbox_backlog:webhook-intake' }]),
    ).toBe(1);
    const all = (await errors.list({ flowId: 'orders.import', status: 'all' })).filter(
      (e) => e.code === 'flow_stalled',
    );
    const poll = all.find((e) => e.recordKey === 'stall:poll_stale:updated:7001')!;
    expect(poll.status).toBe('resolved');
    expect(poll.resolution).toMatch(/^recovered: the flow made progress again/);
    expect(all.find((e) => e.recordKey === 'stall:inbox_backlog:webhook-intake')!.status).toBe('open');
    // The same stall later is a new record, not the resolved one reopened.
    await stores[0]!.openStall(s);
    const again = (await errors.list({ flowId: 'orders.import', status: 'all' })).filter(
      (e) => e.recordKey === 'stall:poll_stale:updated:7001',
    );
    expect(again.map((e) => e.status).sort()).toEqual(['open', 'resolved']);
  });
});
