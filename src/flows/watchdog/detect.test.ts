import { describe, expect, it } from 'vitest';
import {
  type Cadence,
  type DueAfter,
  detectStalls,
  type Limits,
  polledKey,
  type Snapshot,
  type SourceHealth,
} from './detect.ts';

const limits: Limits = { inboxMaxAgeSeconds: 60, missedPolls: 3, failuresInRow: 3, queueMaxWaitSeconds: 300 };
const now = new Date('2026-12-07T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);

/** Fixed intervals only; a cron is "every 120 s" here (the watchdog asks pg-boss for real crons). */
const dueAfter: DueAfter = (c, from, n) =>
  new Date(from.getTime() + n * ('everySeconds' in c ? c.everySeconds : 120) * 1000);

function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return { now, sources: [], polled: new Map(), scheduledRuns: new Map(), queues: [], ...over };
}

function source(over: Partial<SourceHealth> = {}): SourceHealth {
  return {
    flowId: 'orders.import',
    source: 'updated:7001',
    watchedSince: ago(3600),
    lastSuccessAt: ago(10),
    failingSince: null,
    failures: 0,
    lastError: null,
    ...over,
  };
}

const polled = (flow: string, src: string, c: Cadence) => new Map([[polledKey(flow, src), c]]);
const reasons = (s: Snapshot) =>
  detectStalls(s, limits, dueAfter).map((x) => `${x.flow} ${x.reason} ${x.source}`);

describe('detectStalls', () => {
  it('finds nothing while work flows', () => {
    const s = snapshot({
      inbox: { flow: 'orders.import', count: 3, oldest: ago(5) },
      sources: [source()],
      polled: polled('orders.import', 'updated:7001', { cron: '*/2 * * * *' }),
      scheduledRuns: new Map([['orders.import', [{ startedAt: ago(60), error: null }]]]),
      queues: [{ flow: 'orders.import', queue: 'flow.orders.import.records', ready: 10, oldestSeconds: 2 }],
    });
    expect(detectStalls(s, limits, dueAfter)).toEqual([]);
  });

  it('an inbox row older than the limit is a backlog, dated from when it crossed the limit', () => {
    const [stall] = detectStalls(
      snapshot({ inbox: { flow: 'orders.import', count: 4, oldest: ago(90) } }),
      limits,
      dueAfter,
    );
    expect(stall).toMatchObject({ flow: 'orders.import', reason: 'inbox_backlog', since: ago(30) });
    expect(stall!.message).toMatch(
      /4 TikTok webhook\(s\) wait in the inbox, the oldest for 90 s \(limit 60 s\)/,
    );
    expect(reasons(snapshot({ inbox: { flow: 'orders.import', count: 0, oldest: null } }))).toEqual([]);
  });

  it('a polled source is stale after missing N intervals since its last success, or since watching began', () => {
    const p = polled('orders.import', 'updated:7001', { cron: '*/2 * * * *' });
    expect(reasons(snapshot({ sources: [source({ lastSuccessAt: ago(300) })], polled: p }))).toEqual([]);
    const stale = detectStalls(
      snapshot({ sources: [source({ lastSuccessAt: ago(400), lastError: 'boom' })], polled: p }),
      limits,
      dueAfter,
    );
    expect(stale.map((x) => x.reason)).toEqual(['poll_stale']);
    expect(stale[0]!.since).toEqual(ago(40));
    expect(stale[0]!.message).toMatch(/updated:7001 has not succeeded since .* Last error: boom/);
    const never = source({ lastSuccessAt: null, watchedSince: ago(1000) });
    expect(reasons(snapshot({ sources: [never], polled: p }))).toEqual([
      'orders.import poll_stale updated:7001',
    ]);
    // A source nobody polls on a schedule is never stale, only judged by its failures.
    expect(reasons(snapshot({ sources: [never] }))).toEqual([]);
  });

  it('the same source failing N times in a row is a repeated failure, since the first of them', () => {
    const pump = source({
      source: 'webhook-intake',
      lastSuccessAt: null,
      failures: 2,
      failingSince: ago(50),
    });
    expect(reasons(snapshot({ sources: [pump] }))).toEqual([]);
    const [stall] = detectStalls(
      snapshot({ sources: [{ ...pump, failures: 3, lastError: 'TikTok said no' }] }),
      limits,
      dueAfter,
    );
    expect(stall).toMatchObject({ reason: 'repeated_failure', source: 'webhook-intake', since: ago(50) });
    expect(stall!.message).toMatch(/failed 3 times in a row .* Last error: TikTok said no/);
  });

  it('a flow whose last N scheduled runs all failed in discovery is failing; one good run clears it', () => {
    const failed = (s: number) => ({ startedAt: ago(s), error: `search failed ${s}` });
    const runs = [failed(60), failed(180), failed(300), { startedAt: ago(420), error: null }];
    const [stall] = detectStalls(
      snapshot({ scheduledRuns: new Map([['catalog.products', runs]]) }),
      limits,
      dueAfter,
    );
    expect(stall).toMatchObject({ flow: 'catalog.products', reason: 'discovery_failing', since: ago(300) });
    expect(stall!.message).toMatch(/Last error: search failed 60/);
    const mixed = [failed(60), { startedAt: ago(180), error: null }, failed(300)];
    expect(reasons(snapshot({ scheduledRuns: new Map([['catalog.products', mixed]]) }))).toEqual([]);
    expect(reasons(snapshot({ scheduledRuns: new Map([['catalog.products', runs.slice(0, 2)]]) }))).toEqual(
      [],
    );
  });

  it('ready jobs waiting past the limit are a stuck queue; waiting jobs in an empty queue are not', () => {
    const q = { flow: 'inventory.push', queue: 'flow.inventory.push.records', ready: 7, oldestSeconds: 400 };
    const [stall] = detectStalls(snapshot({ queues: [q] }), limits, dueAfter);
    expect(stall).toMatchObject({ flow: 'inventory.push', reason: 'queue_stuck', since: ago(100) });
    expect(stall!.message).toMatch(/7 record job\(s\) are ready but nobody works them/);
    expect(reasons(snapshot({ queues: [{ ...q, ready: 0 }] }))).toEqual([]);
    expect(reasons(snapshot({ queues: [{ ...q, oldestSeconds: null }] }))).toEqual([]);
  });

  it('the stock poll (a fixed interval) is stale after N intervals without success', () => {
    const stock = source({ flowId: 'inventory.push', source: 'netsuite:x', lastSuccessAt: ago(50) });
    const p = polled('inventory.push', 'netsuite:x', { everySeconds: 15 });
    expect(reasons(snapshot({ sources: [stock], polled: p }))).toEqual([
      'inventory.push poll_stale netsuite:x',
    ]);
    expect(reasons(snapshot({ sources: [{ ...stock, lastSuccessAt: ago(40) }], polled: p }))).toEqual([]);
  });
});
