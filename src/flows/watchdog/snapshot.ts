/**
 * Reads what the watchdog judges: the webhook inbox, the sources' health rows, each scheduled flow's
 * latest runs and the queues' oldest ready job (pg-boss's cached stats). Read-only; the same answer
 * in every process on one database, so they agree on what is stalled.
 */
import { sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Stores } from '../../store/index.ts';
import type { Cadence, Snapshot, SourceHealth } from './detect.ts';

export interface SnapshotInput {
  stores: Stores;
  boss: PgBoss;
  /** The flow fed by the TikTok webhook inbox, when orders are configured. */
  inboxFlow?: string | undefined;
  polled: ReadonlyMap<string, Cadence>;
  /** Flows run on a schedule, whose discovery failing run after run is a stall. */
  scheduledFlows: readonly string[];
  runsToCheck: number;
}

const FLOW_QUEUE = /^flow\.(.+)\.(records|runs)$/;

export async function readSnapshot(i: SnapshotInput): Promise<Snapshot> {
  const [inbox, sources, scheduledRuns, queues] = await Promise.all([
    i.inboxFlow ? readInbox(i.stores, i.inboxFlow) : undefined,
    readSources(i.stores),
    readScheduledRuns(i.stores, i.scheduledFlows, i.runsToCheck),
    readQueues(i.boss),
  ]);
  return {
    now: new Date(),
    ...(inbox ? { inbox } : {}),
    sources,
    polled: i.polled,
    scheduledRuns,
    queues,
  };
}

async function readInbox(stores: Stores, flow: string) {
  const row = await stores.db
    .selectFrom('tiktok_webhooks')
    .select((eb) => [eb.fn.countAll<string | number>().as('n'), eb.fn.min('received_at').as('oldest')])
    .where('processed_at', 'is', null)
    .executeTakeFirst();
  const oldest = row?.oldest ? new Date(row.oldest) : null;
  return { flow, count: Number(row?.n ?? 0), oldest };
}

async function readSources(stores: Stores): Promise<SourceHealth[]> {
  return (await stores.health.list()).map((r) => ({
    flowId: r.flow_id,
    source: r.source,
    watchedSince: r.watched_since,
    lastSuccessAt: r.last_success_at,
    failingSince: r.failing_since,
    failures: r.failures,
    lastError: r.last_error,
  }));
}

async function readScheduledRuns(stores: Stores, flows: readonly string[], limit: number) {
  const out = new Map<string, Array<{ startedAt: Date; error: string | null }>>();
  if (flows.length === 0) return out;
  const res = await sql<{ flow_id: string; started_at: Date; error: string | null }>`
    SELECT flow_id, started_at, error FROM (
      SELECT flow_id, started_at, error,
             row_number() OVER (PARTITION BY flow_id ORDER BY started_at DESC) AS n
      FROM flow_runs
      WHERE flow_id IN (${sql.join(flows)}) AND trigger = 'schedule' AND discovery_done) latest
    WHERE n <= ${limit}
    ORDER BY flow_id, started_at DESC`.execute(stores.db);
  for (const r of res.rows) {
    const list = out.get(r.flow_id) ?? [];
    list.push({ startedAt: new Date(r.started_at), error: r.error });
    out.set(r.flow_id, list);
  }
  return out;
}

async function readQueues(boss: PgBoss): Promise<Snapshot['queues']> {
  const queues = await boss.getQueues();
  const out: Array<Snapshot['queues'][number]> = [];
  for (const q of queues) {
    const m = FLOW_QUEUE.exec(q.name);
    if (!m || q.readyCount === 0) continue;
    out.push({
      flow: m[1]!,
      queue: q.name,
      ready: q.readyCount,
      oldestSeconds: await oldestWait(boss, q.name),
    });
  }
  return out;
}

/**
 * How long the queue's oldest queued job has been ready (pg-boss keeps `readyOldestSeconds` only
 * with persisted queue stats, so the job itself is read: findJobs answers oldest first).
 */
async function oldestWait(boss: PgBoss, queue: string): Promise<number | null> {
  const [job] = await boss.findJobs(queue, { queued: true, limit: 1 });
  if (!job) return null;
  return Math.max(0, (Date.now() - job.startAfter.getTime()) / 1000);
}
