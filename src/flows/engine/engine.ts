/**
 * The flow engine: registers flows on pg-boss queues, starts runs, enqueues records and works the
 * queues. Any number of processes may run it on one PostgreSQL: pg-boss hands each job to one
 * worker, deterministic job ids de-duplicate records, and outcomes make re-delivery harmless.
 */
import type { Kysely } from 'kysely';
import type { JobResult, JobWithMetadata, PgBoss } from 'pg-boss';
import type { QueueConfig } from '../../config/schema.ts';
import { AppError, classifyError, errorMessage } from '../../shared/errors.ts';
import { contentHash, newId } from '../../shared/ids.ts';
import type { Logger } from '../../shared/log.ts';
import type { Stores } from '../../store/index.ts';
import type { RunWindow } from '../../store/runs.ts';
import type { Database } from '../../store/schema.ts';
import {
  type AnyFlow,
  checkRunParams,
  type DiscoverContext,
  type FlowDefinition,
  type FlowRecord,
  type TriggerType,
} from './define.ts';
import { enqueueIn, type Prepared } from './enqueue.ts';
import { DEAD_LETTER_QUEUE, RecordJob, RunJob, recordQueue, runQueue } from './jobs.ts';
import type { EngineMetrics } from './metrics.ts';
import { mapLimit, runRecordBatch } from './record-runner.ts';
import { eachSource, type SourceFailures } from './sources.ts';

export interface FlowEngineDeps {
  boss: PgBoss;
  stores: Stores;
  queue: QueueConfig;
  log: Logger;
  metrics: EngineMetrics;
  /** Per-flow settings from tiksuite.yaml (enabled, schedule override, overlap). */
  flowSettings?: Readonly<
    Record<string, { enabled: boolean; schedule?: string | undefined; overlapSeconds: number }>
  >;
}

type Flow = FlowDefinition<unknown, Record<string, unknown>>;

export class FlowEngine {
  readonly #deps: FlowEngineDeps;
  readonly #flows = new Map<string, Flow>();
  readonly #inFlight = new Map<
    string,
    { queue: string; id: string; retryCount: number; abort: AbortController }
  >();
  #working = false;
  #stopping = false;
  /** Handler promises still running: stop() waits for them before the database closes. */
  readonly #handlers = new Set<Promise<unknown>>();

  constructor(deps: FlowEngineDeps) {
    this.#deps = deps;
  }

  get flows(): ReadonlyMap<string, Flow> {
    return this.#flows;
  }

  flow(id: string): Flow {
    const f = this.#flows.get(id);
    if (!f)
      throw new AppError(
        'flow_not_found',
        `no flow "${id}"; known flows: ${[...this.#flows.keys()].join(', ') || 'none'}`,
      );
    return f;
  }

  /** Creates the flow's queues and schedules (idempotent: safe from every process). */
  async register(flow: AnyFlow): Promise<void> {
    const f = flow as Flow;
    const { boss, queue } = this.#deps;
    this.#flows.set(f.id, f);
    const opts = {
      retryLimit: queue.retryLimit,
      retryDelay: queue.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: queue.retryDelayMaxSeconds,
      expireInSeconds: queue.expireInSeconds,
      heartbeatSeconds: queue.heartbeatSeconds,
      deadLetter: DEAD_LETTER_QUEUE,
      notify: true,
    };
    await ensureQueue(boss, DEAD_LETTER_QUEUE, { retryLimit: 3, notify: true });
    await ensureQueue(boss, recordQueue(f.id), opts);
    await ensureQueue(boss, runQueue(f.id), opts);
    // Warm pg-boss's queue cache now: enqueue() inserts inside our transaction, and a cache miss
    // there would query on another connection (on PGlite, the one the transaction holds).
    await boss.insert(recordQueue(f.id), []);
    const settings = this.#deps.flowSettings?.[f.id];
    for (const t of f.triggers) {
      if (t.type !== 'schedule') continue;
      const cron = settings?.schedule ?? t.cron;
      if (settings?.enabled === false) await boss.unschedule(runQueue(f.id));
      else await boss.schedule(runQueue(f.id), cron, { trigger: 'schedule', params: {} }, { tz: 'UTC' });
    }
  }

  /** Starts a run: records the run, then queues its discovery. Returns the run id. */
  async trigger(flowId: string, trigger: TriggerType, params: Record<string, unknown> = {}): Promise<string> {
    const f = this.flow(flowId);
    if (!f.discover)
      throw new AppError(
        'validation_failed',
        `flow ${flowId} has no discovery; submit records to it instead`,
      );
    checkRunParams(f, params);
    const runId = await this.#deps.stores.runs.start({ flowId, flowVersion: f.version, trigger, params });
    this.#deps.metrics.runs.inc({ flow: flowId, trigger });
    await this.#deps.boss.send(runQueue(flowId), { runId, trigger, params });
    return runId;
  }

  /**
   * Submits records directly (webhooks, re-sync by id). Without `window`, as a run of their own.
   * With `window`, into the flow's open run for this trigger (ADR 5): a burst of submits is one run,
   * which closes once no records came for `idleSeconds` (or `maxSeconds` after it opened); call
   * closeIdleRuns() now and then so a quiet run closes.
   */
  async submit(
    flowId: string,
    records: ReadonlyArray<FlowRecord<unknown>>,
    trigger: TriggerType = 'webhook',
    opts: { window?: RunWindow } = {},
  ) {
    const f = this.flow(flowId);
    const { stores, metrics } = this.#deps;
    if (opts.window) {
      const window = opts.window;
      const prepared = await this.#prepare(f, records);
      const { runId, created, queued } = await stores.db.transaction().execute(async (tx) => {
        const run = await stores.runs.joinOpenRun(tx, { flowId, flowVersion: f.version, trigger, window });
        const queued = await this.#enqueueIn(tx, f, run.id, prepared);
        return { runId: run.id, created: run.created, queued };
      });
      if (created) metrics.runs.inc({ flow: flowId, trigger });
      return { runId, queued };
    }
    const runId = await stores.runs.start({ flowId, flowVersion: f.version, trigger });
    metrics.runs.inc({ flow: flowId, trigger });
    const queued = await this.enqueue(f, runId, records);
    await stores.runs.discoveryDone(runId);
    return { runId, queued };
  }

  /** Closes open runs whose window has passed (each finishes once its records have outcomes). */
  closeIdleRuns(): Promise<number> {
    return this.#deps.stores.runs.closeExpired();
  }

  /**
   * Enqueues records for a run, durably (returns after the insert committed). Records already done
   * at their version are counted as skipped; records whose job is already queued are left to it.
   */
  async enqueue(f: Flow, runId: string, records: ReadonlyArray<FlowRecord<unknown>>): Promise<number> {
    const prepared = await this.#prepare(f, records);
    // The jobs and the run's counters commit together: a crash can't leave jobs the run doesn't count.
    return this.#deps.stores.db.transaction().execute((tx) => this.#enqueueIn(tx, f, runId, prepared));
  }

  /** Versions the records and drops those already done at their version (counted as skipped). */
  async #prepare(f: Flow, records: ReadonlyArray<FlowRecord<unknown>>): Promise<Prepared> {
    const withVersion = records.map((r) => ({ ...r, version: r.version ?? contentHash(r.payload) }));
    const done = await this.#doneVersions(
      f.id,
      withVersion.map((r) => r.key),
    );
    const fresh = withVersion.filter((r) => done.get(r.key) !== r.version);
    return { fresh, skipped: withVersion.length - fresh.length };
  }

  #enqueueIn(tx: Kysely<Database>, f: Flow, runId: string, p: Prepared): Promise<number> {
    return enqueueIn(this.#deps, tx, f.id, runId, p);
  }

  async #doneVersions(flowId: string, keys: string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows = await this.#deps.stores.db
      .selectFrom('record_outcomes')
      .select(['record_key', 'version'])
      .where('flow_id', '=', flowId)
      .where('record_key', 'in', keys)
      .where('status', '<>', 'failed')
      .execute();
    return new Map(rows.map((r) => [r.record_key, r.version]));
  }

  /** Starts working every registered flow's queues in this process. */
  async work(): Promise<void> {
    const { boss, queue } = this.#deps;
    this.#working = true;
    const workOpts = {
      batchSize: queue.batchSize,
      burstWhenBatchFull: true,
      pollingIntervalSeconds: queue.pollingIntervalSeconds,
      // Retries (startAfter in the future) send no NOTIFY: keep the idle poll as short as configured.
      notifyPollingIntervalSeconds: queue.pollingIntervalSeconds,
      localConcurrency: 1,
      includeMetadata: true,
      perJobResults: true,
    } as const;
    for (const f of this.#flows.values()) {
      await boss.work(recordQueue(f.id), workOpts, (jobs) => this.#handleRecords(f, jobs));
      await boss.work(runQueue(f.id), { ...workOpts, batchSize: 10 }, (jobs) => this.#handleRuns(f, jobs));
    }
    await boss.work(DEAD_LETTER_QUEUE, workOpts, (jobs) => this.#handleDeadLetters(jobs));
  }

  async #handleRecords(f: Flow, jobs: JobWithMetadata<unknown>[]): Promise<JobResult[]> {
    if (this.#stopping) return released(jobs);
    const valid: { job: JobWithMetadata<unknown>; data: RecordJob }[] = [];
    const results: JobResult[] = [];
    for (const job of jobs) {
      const parsed = RecordJob.safeParse(job.data);
      if (parsed.success) valid.push({ job, data: parsed.data });
      else results.push({ id: job.id, status: 'completed', output: { error: 'malformed job data' } });
    }
    const verdicts = await this.#trackAll(
      valid.map((v) => v.job),
      (signals) =>
        runRecordBatch(
          f,
          valid.map((v, i) => ({
            job: v.data,
            attempt: v.job.retryCount + 1,
            maxAttempts: v.job.retryLimit + 1,
            signal: signals[i]!,
          })),
          { ...this.#deps, concurrency: this.#deps.queue.concurrency },
        ),
    );
    valid.forEach((v, i) => {
      results.push({ id: v.job.id, status: verdicts[i]! });
    });
    return results;
  }

  async #handleRuns(f: Flow, jobs: JobWithMetadata<unknown>[]): Promise<JobResult[]> {
    if (this.#stopping) return released(jobs);
    return mapLimit(jobs, 2, async (job) => {
      const parsed = RunJob.safeParse(job.data);
      if (!parsed.success)
        return { id: job.id, status: 'completed', output: { error: 'malformed job data' } };
      const ok = await this.#track(job, (signal) => this.#discover(f, parsed.data, job, signal));
      return { id: job.id, status: ok ? 'completed' : 'failed' };
    });
  }

  async #discover(
    f: Flow,
    data: RunJob,
    job: JobWithMetadata<unknown>,
    signal: AbortSignal,
  ): Promise<boolean> {
    const { stores, log, metrics } = this.#deps;
    const runId =
      data.runId ??
      (await stores.runs.start({
        flowId: f.id,
        flowVersion: f.version,
        trigger: data.trigger,
        params: data.params,
        id: job.id,
      }));
    if (!data.runId) metrics.runs.inc({ flow: f.id, trigger: data.trigger });
    const overlapSeconds = this.#deps.flowSettings?.[f.id]?.overlapSeconds ?? 300;
    const failures: SourceFailures = { lines: [] };
    const ctx: DiscoverContext<unknown> = {
      flowId: f.id,
      runId,
      trigger: data.trigger,
      emit: (records) => this.enqueue(f, runId, records),
      cursor: {
        get: (source) => stores.cursors.get(f.id, source),
        set: (source, value) => stores.cursors.set(f.id, source, value),
        polled: (source) => stores.health.succeeded(f.id, source),
      },
      overlapSeconds,
      log: log.child({ flow: f.id, run: runId }),
      signal,
      eachSource: (sources, fn, retryParams) =>
        eachSource({ stores, log: ctx.log, flowId: f.id, runId, failures }, sources, fn, retryParams, signal),
    };
    try {
      await f.discover?.(ctx, data.params);
      const failed = failures.lines.length ? `discovery failed for ${failures.lines.join('; ')}` : undefined;
      await stores.runs.discoveryDone(runId, failed);
      return true;
    } catch (err) {
      const c = classifyError(err);
      const last = job.retryCount >= job.retryLimit || !(c.retryable || c.errorClass === 'unknown');
      log.error({ flow: f.id, run: runId, err: errorMessage(err) }, 'discovery failed');
      if (!last) return false;
      await stores.errors.record({
        flowId: f.id,
        recordKey: null,
        errorClass: c.errorClass,
        code: c.code,
        message: `run discovery failed: ${errorMessage(err)}`,
        payload: data.params,
        jobQueue: runQueue(f.id),
        attempts: job.retryCount + 1,
        runId,
      });
      await stores.runs.discoveryDone(runId, errorMessage(err));
      return true;
    }
  }

  /** Backstop for jobs that died on their last attempt without reaching our error handling (expiry). */
  async #handleDeadLetters(jobs: JobWithMetadata<unknown>[]): Promise<JobResult[]> {
    if (this.#stopping) return released(jobs);
    const { stores } = this.#deps;
    return mapLimit(jobs, 4, async (job) => {
      const parsed = RecordJob.safeParse(job.data);
      if (parsed.success) {
        const outcome = await stores.outcomes.get(parsed.data.flowId, parsed.data.key);
        const handled = outcome && outcome.version === parsed.data.version;
        if (!handled) {
          await stores.db.transaction().execute(async (tx) => {
            await stores.errors.record(
              {
                flowId: parsed.data.flowId,
                recordKey: parsed.data.key,
                errorClass: 'transient',
                code: 'transient_failure',
                message: `job ${job.sourceId ?? job.id} expired or failed ${job.retryLimit + 1} times without finishing (worker died or timed out): check worker logs, then retry`,
                payload: parsed.data.payload,
                jobQueue: job.sourceName ?? recordQueue(parsed.data.flowId),
                attempts: job.retryLimit + 1,
                runId: parsed.data.runId,
              },
              tx,
            );
            await stores.outcomes.set(
              {
                ...{ flowId: parsed.data.flowId, recordKey: parsed.data.key, version: parsed.data.version },
                status: 'failed',
                runId: parsed.data.runId,
                attempts: job.retryLimit + 1,
              },
              tx,
            );
            await stores.runs.increment(parsed.data.runId, 'failed', 1, tx);
          });
        }
      }
      return { id: job.id, status: 'completed' };
    });
  }

  async #trackAll<T>(
    jobs: JobWithMetadata<unknown>[],
    fn: (signals: AbortSignal[]) => Promise<T>,
  ): Promise<T> {
    const aborts = jobs.map((job) => {
      const abort = new AbortController();
      this.#inFlight.set(job.id, { queue: job.name, id: job.id, retryCount: job.retryCount, abort });
      return abort;
    });
    try {
      return await fn(aborts.map((a) => a.signal));
    } finally {
      for (const job of jobs) this.#inFlight.delete(job.id);
    }
  }

  async #track<T>(job: JobWithMetadata<unknown>, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const abort = new AbortController();
    const onJobAbort = () => abort.abort(job.signal.reason);
    job.signal.addEventListener('abort', onJobAbort, { once: true });
    this.#inFlight.set(job.id, { queue: job.name, id: job.id, retryCount: job.retryCount, abort });
    const work = fn(abort.signal);
    this.#handlers.add(work);
    try {
      return await work;
    } finally {
      this.#handlers.delete(work);
      job.signal.removeEventListener('abort', onJobAbort);
      this.#inFlight.delete(job.id);
    }
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Graceful stop: no new jobs, in-flight jobs get `graceMs` to finish; the rest are released
   * (failed back to the queue so another worker retries them at once, not after expiry).
   */
  async stop(graceMs: number): Promise<{ released: number }> {
    const { boss } = this.#deps;
    this.#stopping = true;
    if (this.#working) {
      const names = [...this.#flows.values()].flatMap((f) => [recordQueue(f.id), runQueue(f.id)]);
      await Promise.all(
        [...names, DEAD_LETTER_QUEUE].map((n) => boss.offWork(n, { wait: false }).catch(() => undefined)),
      );
    }
    const deadline = Date.now() + graceMs;
    while (this.#inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const left = [...this.#inFlight.values()];
    for (const j of left) j.abort.abort(new Error('released on shutdown'));
    // One statement per queue hands every unfinished job back (retried at once by another worker).
    const byQueue = Map.groupBy(left, (j) => j.queue);
    for (const [queue, jobs] of byQueue) {
      const attempts = jobs.map((j) => ({ id: j.id, retryCount: j.retryCount }));
      await boss.fail(queue, attempts, { reason: 'released on shutdown' }).catch(() => undefined);
    }
    // Released handlers were told to abort; give them a moment to unwind before the database closes.
    const settled = Promise.allSettled([...this.#handlers]);
    await Promise.race([settled, new Promise((r) => setTimeout(r, 5000))]);
    this.#working = false;
    return { released: left.length };
  }

  /** Re-sends a record job (errors retry): the new job carries the error id so done-checks don't skip it. */
  async resend(data: RecordJob): Promise<void> {
    await this.#deps.boss.send(recordQueue(data.flowId), data, { id: newId() });
  }
}

async function ensureQueue(
  boss: PgBoss,
  name: string,
  opts: Parameters<PgBoss['createQueue']>[1],
): Promise<void> {
  const existing = await boss.getQueue(name);
  if (!existing) {
    try {
      await boss.createQueue(name, opts);
    } catch (err) {
      // Another process created it between our check and create.
      if (!(await boss.getQueue(name))) throw err;
    }
  }
}

/** A batch that arrived while stopping goes straight back to the queue for another worker. */
function released(jobs: JobWithMetadata<unknown>[]): JobResult[] {
  return jobs.map((j) => ({ id: j.id, status: 'failed', output: { reason: 'released on shutdown' } }));
}
