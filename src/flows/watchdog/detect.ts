/**
 * What counts as a stall, as pure functions over a snapshot the watchdog reads from the database and
 * the queue: work waits and the flow makes no progress. Each stall names the flow, the condition
 * (`reason`), what is stuck (`source`), since when, and where to look.
 */
import type { WatchdogConfig } from '../../config/schema.ts';
import { WEBHOOK_INTAKE } from './reporter.ts';

export const STALL_REASONS = [
  'inbox_backlog',
  'poll_stale',
  'repeated_failure',
  'discovery_failing',
  'queue_stuck',
] as const;
export type StallReason = (typeof STALL_REASONS)[number];

export interface Stall {
  flow: string;
  reason: StallReason;
  /** What is stuck: a polled source (`updated:<shop>`), `webhook-intake`, a queue; null for the flow. */
  source: string | null;
  since: Date;
  message: string;
  details: Record<string, unknown>;
}

/** How often a polled source is expected to succeed: the flow's cron, or a fixed interval. */
export type Cadence = { cron: string } | { everySeconds: number };

export interface SourceHealth {
  flowId: string;
  source: string;
  watchedSince: Date;
  lastSuccessAt: Date | null;
  failingSince: Date | null;
  failures: number;
  lastError: string | null;
}

export interface Snapshot {
  now: Date;
  /** Unprocessed webhooks: how many, the oldest's arrival; undefined when orders are not configured. */
  inbox?: { flow: string; count: number; oldest: Date | null };
  sources: SourceHealth[];
  /** Flow + source pairs polled on a schedule (the others are only checked for failures in a row). */
  polled: ReadonlyMap<string, Cadence>;
  /** Per flow, its latest finished scheduled runs, newest first. */
  scheduledRuns: ReadonlyMap<string, ReadonlyArray<{ startedAt: Date; error: string | null }>>;
  queues: ReadonlyArray<{ flow: string; queue: string; ready: number; oldestSeconds: number | null }>;
}

export type Limits = Pick<
  WatchdogConfig,
  'inboxMaxAgeSeconds' | 'missedPolls' | 'failuresInRow' | 'queueMaxWaitSeconds'
>;

/** When the n-th occurrence after `from` falls (cron: the caller's cron walker). */
export type DueAfter = (cadence: Cadence, from: Date, n: number) => Date | undefined;

export const polledKey = (flowId: string, source: string) => `${flowId}\u0000${source}`;

export function detectStalls(s: Snapshot, limits: Limits, dueAfter: DueAfter): Stall[] {
  return [
    ...inboxStall(s, limits),
    ...s.sources.flatMap((h) => sourceStalls(h, s, limits, dueAfter)),
    ...discoveryStalls(s, limits),
    ...queueStalls(s, limits),
  ];
}

const secondsBetween = (a: Date, b: Date) => Math.max(0, Math.round((b.getTime() - a.getTime()) / 1000));

function inboxStall(s: Snapshot, limits: Limits): Stall[] {
  const inbox = s.inbox;
  if (!inbox?.oldest) return [];
  const age = secondsBetween(inbox.oldest, s.now);
  if (age <= limits.inboxMaxAgeSeconds) return [];
  return [
    {
      flow: inbox.flow,
      reason: 'inbox_backlog',
      source: WEBHOOK_INTAKE,
      since: new Date(inbox.oldest.getTime() + limits.inboxMaxAgeSeconds * 1000),
      message:
        `${inbox.count} TikTok webhook(s) wait in the inbox, the oldest for ${age} s (limit ${limits.inboxMaxAgeSeconds} s): ` +
        'the intake pump is not getting through them. Look for "webhook intake pump failed" in the worker log ' +
        `and at the open errors of ${inbox.flow}.`,
      details: { count: inbox.count, oldestAgeSeconds: age, limitSeconds: limits.inboxMaxAgeSeconds },
    },
  ];
}

function sourceStalls(h: SourceHealth, s: Snapshot, limits: Limits, dueAfter: DueAfter): Stall[] {
  const out: Stall[] = [];
  const last = h.lastError ? ` Last error: ${h.lastError}` : '';
  const cadence = s.polled.get(polledKey(h.flowId, h.source));
  const from = h.lastSuccessAt ?? h.watchedSince;
  const due = cadence ? dueAfter(cadence, from, limits.missedPolls) : undefined;
  if (due && due.getTime() < s.now.getTime()) {
    const what = h.lastSuccessAt
      ? `since ${from.toISOString()}`
      : `since watching began at ${from.toISOString()}`;
    out.push({
      flow: h.flowId,
      reason: 'poll_stale',
      source: h.source,
      since: due,
      message:
        `${h.flowId}: the scheduled poll of ${h.source} has not succeeded ${what} (${limits.missedPolls} or more schedule intervals), ` +
        `so its cursor does not move. Check \`tiksuite runs --flow ${h.flowId}\` and the open errors of the flow.${last}`,
      details: { lastSuccessAt: h.lastSuccessAt, missedPolls: limits.missedPolls, lastError: h.lastError },
    });
  }
  if (h.failures >= limits.failuresInRow && h.failingSince) {
    out.push({
      flow: h.flowId,
      reason: 'repeated_failure',
      source: h.source,
      since: h.failingSince,
      message:
        `${h.flowId}: ${h.source} failed ${h.failures} times in a row since ${h.failingSince.toISOString()} ` +
        `(limit ${limits.failuresInRow}); see the worker log.${last}`,
      details: { failures: h.failures, lastError: h.lastError },
    });
  }
  return out;
}

function discoveryStalls(s: Snapshot, limits: Limits): Stall[] {
  const out: Stall[] = [];
  for (const [flow, runs] of s.scheduledRuns) {
    const latest = runs.slice(0, limits.failuresInRow);
    if (latest.length < limits.failuresInRow || latest.some((r) => r.error === null)) continue;
    const oldest = latest[latest.length - 1]!;
    out.push({
      flow,
      reason: 'discovery_failing',
      source: null,
      since: oldest.startedAt,
      message:
        `${flow}: the last ${latest.length} scheduled runs failed in discovery since ${oldest.startedAt.toISOString()}. ` +
        `Check \`tiksuite runs --flow ${flow}\`. Last error: ${latest[0]!.error}`,
      details: { runs: latest.length, lastError: latest[0]!.error },
    });
  }
  return out;
}

function queueStalls(s: Snapshot, limits: Limits): Stall[] {
  return s.queues
    .filter((q) => q.ready > 0 && q.oldestSeconds !== null && q.oldestSeconds > limits.queueMaxWaitSeconds)
    .map((q) => {
      const waited = q.oldestSeconds ?? 0;
      return {
        flow: q.flow,
        reason: 'queue_stuck' as const,
        source: q.queue,
        since: new Date(s.now.getTime() - (waited - limits.queueMaxWaitSeconds) * 1000),
        message:
          `${q.flow}: ${q.ready} record job(s) are ready but nobody works them, the oldest waiting ${Math.round(waited)} s ` +
          `(limit ${limits.queueMaxWaitSeconds} s). Is a worker running (\`tiksuite serve\` or \`tiksuite worker\`)? See its log.`,
        details: { queue: q.queue, ready: q.ready, oldestSeconds: waited },
      };
    });
}
