/**
 * The stall watchdog: every `checkIntervalSeconds` it reads a snapshot, finds the stalls
 * (detect.ts) and makes them visible three ways: the `tiksuite_flow_stalled{flow,reason}` gauge
 * (and the inbox's oldest age), the list /readyz reports as "degraded", and one open `flow_stalled`
 * error record per flow and condition, resolved with a note once the flow moves again. Any number
 * of processes may run it on one database: they read the same state and upsert the same records.
 */
import type { PgBoss } from 'pg-boss';
import { Gauge, type Registry } from 'prom-client';
import type { FlowConfig, WatchdogConfig } from '../../config/schema.ts';
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { Periodic } from '../../shared/periodic.ts';
import { storable } from '../../shared/text.ts';
import { type Stores, stallKey } from '../../store/index.ts';
import type { FlowEngine } from '../engine/engine.ts';
import { type Cadence, type DueAfter, detectStalls, polledKey, type Stall } from './detect.ts';
import { readSnapshot } from './snapshot.ts';

/** A source polled outside the engine's schedules (the stock poller), with its interval. */
export interface WatchedSource {
  flowId: string;
  source: string;
  cadence: Cadence;
}

export interface WatchdogDeps {
  stores: Stores;
  boss: PgBoss;
  engine: FlowEngine;
  registry: Registry;
  log: Logger;
  settings: WatchdogConfig;
  flowSettings: Readonly<Record<string, FlowConfig>>;
  inboxFlow?: string | undefined;
  extraSources?: readonly WatchedSource[];
}

export interface StallReport {
  checkedAt: Date | null;
  stalls: readonly Stall[];
}

export class Watchdog {
  readonly #deps: WatchdogDeps;
  readonly #stalled: Gauge<'flow' | 'reason'>;
  readonly #inboxAge: Gauge;
  readonly #seen = new Set<string>();
  #report: StallReport = { checkedAt: null, stalls: [] };
  readonly #loop = new Periodic({
    round: () => this.check(),
    intervalMs: () => this.#deps.settings.checkIntervalSeconds * 1000,
    onError: (err) => this.#deps.log.error({ err: errorMessage(err) }, 'stall watchdog check failed'),
  });

  constructor(deps: WatchdogDeps) {
    this.#deps = deps;
    this.#stalled = new Gauge({
      name: 'tiksuite_flow_stalled',
      help: 'Whether a flow is stalled (1) by reason: inbox_backlog, poll_stale, repeated_failure, discovery_failing, queue_stuck',
      labelNames: ['flow', 'reason'],
      registers: [deps.registry],
    });
    this.#inboxAge = new Gauge({
      name: 'tiksuite_webhook_inbox_oldest_seconds',
      help: 'Age of the oldest TikTok webhook not yet processed (0 when the inbox is empty)',
      registers: [deps.registry],
    });
  }

  /** The last check's stalls (what /readyz reports). */
  get report(): StallReport {
    return this.#report;
  }

  start(): void {
    this.#loop.start();
  }

  /** Stops checking; waits for the check in progress (up to a minute). */
  stop(): Promise<void> {
    return this.#loop.stop(60_000);
  }

  /** One check: finds the stalls, updates the metrics, opens, bumps and resolves the records. */
  async check(): Promise<readonly Stall[]> {
    const { stores, settings } = this.#deps;
    const polled = this.#polledSources();
    for (const [flowId, list] of Map.groupBy(polled, (p) => p.flowId))
      await stores.health.watch(
        flowId,
        list.map((p) => p.source),
      );
    const snapshot = await readSnapshot({
      stores,
      boss: this.#deps.boss,
      inboxFlow: this.#deps.inboxFlow,
      polled: new Map(polled.map((p) => [polledKey(p.flowId, p.source), p.cadence])),
      scheduledFlows: this.#scheduledFlows(),
      runsToCheck: settings.failuresInRow,
    });
    const stalls = detectStalls(snapshot, settings, this.#dueAfter).map((s) => storable(s));
    for (const s of stalls) await stores.health.openStall(s);
    const resolved = await stores.health.resolveStalls(
      stalls.map((s) => ({ flow: s.flow, key: stallKey(s) })),
    );
    this.#publish(stalls, snapshot.inbox ? ageSeconds(snapshot.inbox.oldest, snapshot.now) : undefined);
    if (stalls.length || resolved)
      this.#deps.log.warn(
        { stalled: stalls.map((s) => `${s.flow} ${s.reason} ${s.source ?? ''}`), resolved },
        'stall watchdog',
      );
    this.#report = { checkedAt: snapshot.now, stalls };
    return stalls;
  }

  #publish(stalls: readonly Stall[], inboxAge: number | undefined): void {
    const now = new Set(stalls.map((s) => `${s.flow}\u0000${s.reason}`));
    for (const k of this.#seen) if (!now.has(k)) this.#stalled.set(labels(k), 0);
    for (const k of now) {
      this.#seen.add(k);
      this.#stalled.set(labels(k), 1);
    }
    if (inboxAge !== undefined) this.#inboxAge.set(inboxAge);
  }

  /** Every source polled on a schedule: the enabled flows' declared sources, and the extra ones. */
  #polledSources(): WatchedSource[] {
    const out: WatchedSource[] = [...(this.#deps.extraSources ?? [])];
    for (const f of this.#deps.engine.flows.values()) {
      const cron = this.#cron(f.id);
      if (!cron || !f.polledSources) continue;
      for (const source of f.polledSources()) out.push({ flowId: f.id, source, cadence: { cron } });
    }
    return out;
  }

  #scheduledFlows(): string[] {
    return [...this.#deps.engine.flows.keys()].filter((id) => this.#cron(id) !== undefined);
  }

  /** The flow's effective cron (config override or its schedule trigger); undefined when not scheduled. */
  #cron(flowId: string): string | undefined {
    const f = this.#deps.engine.flows.get(flowId);
    const settings = this.#deps.flowSettings[flowId];
    if (!f || settings?.enabled === false) return undefined;
    const trigger = f.triggers.find((t) => t.type === 'schedule');
    return trigger ? (settings?.schedule ?? trigger.cron) : undefined;
  }

  readonly #dueAfter: DueAfter = (cadence, from, n) => {
    if ('everySeconds' in cadence) return new Date(from.getTime() + n * cadence.everySeconds * 1000);
    return this.#deps.boss.previewSchedule(cadence.cron, { from, count: n, tz: 'UTC' })[n - 1];
  };
}

function labels(key: string): { flow: string; reason: string } {
  const [flow = '', reason = ''] = key.split('\u0000');
  return { flow, reason };
}

function ageSeconds(oldest: Date | null, now: Date): number {
  return oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0;
}
