import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import type { RunningSandbox } from './sandbox/index.ts';
import { admin, startWithClient, stats } from './test-support.ts';

let sb: RunningSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const order = (sku: string) => ({
  entity: { externalId: 'CUST-DEMO' },
  location: { externalId: 'LOC-AUS' },
  item: { items: [{ item: { externalId: sku }, quantity: 1 }] },
});

async function countByExternalId(client: Awaited<ReturnType<typeof startWithClient>>['client'], eid: string) {
  const page = await client.records.list('salesOrder', { q: `externalId IS "${eid}"` });
  return page.totalResults;
}

describe('lost responses never produce twins', () => {
  it('an upsert whose answer is dropped after commit is retried into the same record', async () => {
    const started = await startWithClient();
    sb = started.sb;
    await admin(sb, 'PATCH', '/settings', { faults: { dropAfterCommitNext: 1 } });
    const id = await started.client.records.upsert('salesOrder', 'TTS-LOST-1', order('SKU-MUG-BLUE'));
    expect(await countByExternalId(started.client, 'TTS-LOST-1')).toBe(1);
    const so = await started.client.records.get('salesOrder', { externalId: 'TTS-LOST-1' });
    expect(so.id).toBe(id);
    expect(so.item?.items).toHaveLength(1);
    expect((await stats(sb)).by_type['salesOrder']).toBeGreaterThanOrEqual(3);
  });

  it('a POST create with an externalId is confirmed by lookup instead of being resent', async () => {
    const started = await startWithClient();
    sb = started.sb;
    await admin(sb, 'PATCH', '/settings', { faults: { dropAfterCommitNext: 1 } });
    const id = await started.client.records.create('salesOrder', {
      externalId: 'TTS-LOST-2',
      ...order('SKU-MUG-RED'),
    });
    expect(await countByExternalId(started.client, 'TTS-LOST-2')).toBe(1);
    expect((await started.client.records.get('salesOrder', id)).externalId).toBe('TTS-LOST-2');
  });

  it('a transform whose answer is lost is confirmed through its externalId', async () => {
    const started = await startWithClient();
    sb = started.sb;
    const soId = await started.client.records.upsert('salesOrder', 'TTS-LOST-3', order('SKU-MUG-BLUE'));
    await admin(sb, 'PATCH', '/settings', { faults: { dropAfterCommitNext: 1 } });
    const ifId = await started.client.records.transform('salesOrder', soId, 'itemFulfillment', {
      externalId: 'IF-LOST-3',
    });
    const page = await started.client.records.list('itemFulfillment', { q: 'externalId IS IF-LOST-3' });
    expect(page.items.map((i) => i.id)).toEqual([ifId]);
  });

  it('a DELETE whose answer is lost is retried and the 404 counts as done', async () => {
    const started = await startWithClient();
    sb = started.sb;
    const id = await started.client.records.upsert('customer', 'C-DEL', {
      firstName: 'D',
      subsidiary: { externalId: 'SUB-US' },
    });
    await admin(sb, 'PATCH', '/settings', { faults: { dropAfterCommitNext: 1 } });
    await started.client.records.delete('customer', id);
    expect(await started.client.records.findByExternalId('customer', 'C-DEL')).toBeUndefined();
  });

  it('a POST without externalId reports an unknown outcome instead of guessing', async () => {
    const started = await startWithClient();
    sb = started.sb;
    await admin(sb, 'PATCH', '/settings', { faults: { dropAfterCommitNext: 1 } });
    const err = await started.client.records
      .create('salesOrder', order('SKU-MUG-RED'))
      .catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('netsuite_outcome_unknown');
  });

  it('retries 5xx on reads and idempotent writes', async () => {
    const started = await startWithClient();
    sb = started.sb;
    await admin(sb, 'PATCH', '/settings', { faults: { error5xxRate: 0.3 } });
    for (let i = 0; i < 10; i++)
      await started.client.records.upsert('customer', `C-5XX-${i}`, {
        firstName: 'X',
        subsidiary: { externalId: 'SUB-US' },
      });
    const s = await stats(sb);
    expect(s.requests).toBeGreaterThan(10);
  });
});

describe('fault switches and the latency model', () => {
  it('a locked record is retried, then surfaces as a retryable netsuite_record_locked', async () => {
    const started = await startWithClient({}, { retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 } });
    sb = started.sb;
    const id = await started.client.records.upsert('customer', 'C-LOCK', {
      firstName: 'L',
      subsidiary: { externalId: 'SUB-US' },
    });
    await admin(sb, 'PATCH', '/settings', { faults: { lockedRecords: [`customer:${id}`] } });
    const before = (await stats(sb)).requests;
    const err = await started.client.records
      .update('customer', id, { lastName: 'X' })
      .catch((e: unknown) => e);
    expect(isAppError(err) && { code: err.code, retryable: err.retryable }).toEqual({
      code: 'netsuite_record_locked',
      retryable: true,
    });
    expect((await stats(sb)).requests - before).toBe(3);
  });

  it('time scale runs a 2 s sales-order save in 20 ms; slow SuiteQL adds its delay', async () => {
    const started = await startWithClient({ settings: { latency: { baseMs: 2000, timeScale: 0.01 } } });
    sb = started.sb;
    // The model the sandbox sleeps by (an upper bound on the wall time would fail on a loaded machine).
    expect(sb.state.governance.latencyMs('write', 0)).toBe(20);
    const t0 = performance.now();
    await started.client.records.upsert('salesOrder', 'TTS-FAST', order('SKU-MUG-BLUE'));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(20);
    await admin(sb, 'PATCH', '/settings', { faults: { slowSuiteqlMs: 30_000 } });
    const q0 = performance.now();
    await started.client.suiteql.page('SELECT id FROM item');
    expect(performance.now() - q0).toBeGreaterThanOrEqual(300);
  });
});

describe('concurrency governance', () => {
  // Throughput against the ideal 5 / latency is a figure, measured by `npm run bench:sandbox-netsuite`.
  it('100 concurrent callers against concurrency 5: never above 5 in flight, all 5 slots used', async () => {
    const started = await startWithClient(
      { settings: { concurrency: 5, latency: { baseMs: 200 } } },
      { concurrency: 5 },
    );
    sb = started.sb;
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        started.client.records.upsert('customer', `GOV-${i}`, {
          firstName: 'G',
          subsidiary: { externalId: 'SUB-US' },
        }),
      ),
    );
    const s = await stats(sb);
    expect(s.max_in_flight).toBeLessThanOrEqual(5);
    expect(s.rejected_429).toBe(0);
    const g = started.client.governor.stats(started.client.accountId);
    expect(g.acquired).toBe(100);
    expect(g.maxInFlight).toBe(5);
  });

  it('on 429 (another integration shares the account) backs off, adapts and completes everything', async () => {
    const started = await startWithClient(
      { settings: { concurrency: 2, latency: { baseMs: 20 }, behaviour: { retryAfterOn429Sec: 0 } } },
      { concurrency: 6, retry: { baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 30 } },
    );
    sb = started.sb;
    const ids = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        started.client.records.upsert('customer', `ADAPT-${i}`, {
          firstName: 'A',
          subsidiary: { externalId: 'SUB-US' },
        }),
      ),
    );
    expect(new Set(ids).size).toBe(30);
    const s = await stats(sb);
    expect(s.rejected_429).toBeGreaterThan(0);
    expect(s.max_in_flight).toBeLessThanOrEqual(2);
    const g = started.client.governor.stats(started.client.accountId);
    expect(g.throttled).toBe(s.rejected_429);
    expect(g.effectiveLimit).toBeLessThan(6);
  });
});
