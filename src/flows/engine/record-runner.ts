/**
 * Runs a batch of record jobs through a flow's steps. Per record: skip if done at this version,
 * reuse checkpointed step outputs, run the remaining steps (a `local` step inside the transaction
 * that writes its checkpoint). Per batch: one transaction records every success (outcomes, run
 * counters, resolved errors, cleared checkpoints), so the bookkeeping costs a few statements per
 * batch instead of per record, and a crash at any point leaves nothing half-counted.
 */
import type { Kysely } from 'kysely';
import { classifyError, errorMessage, isAppError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import type { Stores } from '../../store/index.ts';
import type { RunCounter } from '../../store/runs.ts';
import type { Database } from '../../store/schema.ts';
import type { AnyFlow, FlowDefinition, StepContext } from './define.ts';
import { type RecordJob, recordQueue } from './jobs.ts';
import type { EngineMetrics } from './metrics.ts';

export type JobVerdict = 'completed' | 'failed';

export interface RecordAttempt {
  job: RecordJob;
  /** 1-based. */
  attempt: number;
  /** Attempts pg-boss will make in all (retryLimit + 1). */
  maxAttempts: number;
  signal: AbortSignal;
}

export interface RecordRunnerDeps {
  stores: Stores;
  log: Logger;
  metrics: EngineMetrics;
}

type Flow = FlowDefinition<unknown, Record<string, unknown>>;
type Outputs = Record<string, unknown>;
type Result =
  | { kind: 'done' }
  | { kind: 'skipped' }
  | { kind: 'succeeded'; outputs: Outputs }
  | { kind: 'retry' }
  | { kind: 'failed'; err: unknown; retryable: boolean };

export async function runRecordBatch(
  flow: AnyFlow,
  attempts: RecordAttempt[],
  deps: RecordRunnerDeps & { concurrency: number },
): Promise<JobVerdict[]> {
  const f = flow as Flow;
  const verdicts = new Array<JobVerdict>(attempts.length);
  // Jobs for the same record in one batch run in separate rounds, in order.
  for (const round of rounds(attempts)) {
    const results = await processRound(
      f,
      round.map((i) => attempts[i]!),
      deps,
    );
    await settle(
      f,
      round.map((i) => attempts[i]!),
      results,
      deps,
    );
    round.forEach((i, n) => {
      verdicts[i] = verdictOf(results[n]!);
    });
  }
  return verdicts;
}

function rounds(attempts: RecordAttempt[]): number[][] {
  const out: number[][] = [];
  const seen: Set<string>[] = [];
  attempts.forEach((a, i) => {
    let r = 0;
    while (seen[r]?.has(a.job.key)) r++;
    if (!seen[r]) {
      seen[r] = new Set();
      out[r] = [];
    }
    seen[r]!.add(a.job.key);
    out[r]!.push(i);
  });
  return out;
}

function verdictOf(r: Result): JobVerdict {
  if (r.kind === 'retry') return 'failed';
  // A final retryable failure ends in pg-boss's failed state (and its dead-letter copy).
  if (r.kind === 'failed') return r.retryable ? 'failed' : 'completed';
  return 'completed';
}

async function processRound(
  f: Flow,
  round: RecordAttempt[],
  deps: RecordRunnerDeps & { concurrency: number },
) {
  const { stores } = deps;
  const keys = round.map((a) => a.job.key);
  const [outcomes, checkpoints] = await Promise.all([
    stores.outcomes.getMany(f.id, keys),
    stores.outcomes.checkpointsFor(f.id, keys),
  ]);
  return mapLimit(round, deps.concurrency, async (a): Promise<Result> => {
    const prior = outcomes.get(a.job.key);
    if (prior && prior.version === a.job.version && prior.status !== 'failed' && !a.job.errorId) {
      // Done at this version: counted once, by the run that did it, or here as a skip.
      return prior.status === 'succeeded' && prior.runId === a.job.runId
        ? { kind: 'done' }
        : { kind: 'skipped' };
    }
    // Released on shutdown before it started: leave it to the worker that picks it up next.
    if (a.signal.aborted) return { kind: 'retry' };
    const started = performance.now();
    try {
      const payload = f.payload ? f.payload.parse(a.job.payload) : a.job.payload;
      const saved = checkpoints.get(`${a.job.key}\u0000${a.job.version}`) ?? new Map<string, unknown>();
      return { kind: 'succeeded', outputs: await runSteps(f, payload, a, saved, deps) };
    } catch (err) {
      const c = classifyError(err);
      // Unknown failures are retried too: losing an order to a transient bug is worse than a retry.
      const retryable = c.retryable || c.errorClass === 'unknown';
      if (retryable && a.attempt < a.maxAttempts) {
        deps.log.warn(
          { flow: f.id, record: a.job.key, attempt: a.attempt, err: errorMessage(err) },
          'record failed; will retry',
        );
        return { kind: 'retry' };
      }
      return { kind: 'failed', err, retryable };
    } finally {
      deps.metrics.duration.observe({ flow: f.id }, (performance.now() - started) / 1000);
    }
  });
}

async function runSteps(
  f: Flow,
  payload: unknown,
  a: RecordAttempt,
  saved: Map<string, unknown>,
  deps: RecordRunnerDeps,
): Promise<Outputs> {
  const { stores, log } = deps;
  const outputs: Outputs = {};
  for (const step of f.steps) {
    if (saved.has(step.id)) {
      outputs[step.id] = saved.get(step.id);
      continue;
    }
    const key = { flowId: f.id, recordKey: a.job.key, version: a.job.version, stepId: step.id };
    const ctx = (db: Kysely<Database>): StepContext => ({
      flowId: f.id,
      recordKey: a.job.key,
      version: a.job.version,
      runId: a.job.runId,
      attempt: a.attempt,
      db,
      xref: { put: (k, id) => stores.xref.put(k, id, db), get: (k) => stores.xref.get(k, db) },
      log: log.child({ flow: f.id, record: a.job.key, step: step.id }),
      signal: a.signal,
    });
    if (step.local) {
      outputs[step.id] = await stores.db.transaction().execute(async (tx) => {
        const out = (await step.run({ payload, outputs }, ctx(tx))) ?? null;
        await stores.outcomes.putCheckpoint(key, out, tx);
        return out;
      });
    } else {
      const out = (await step.run({ payload, outputs }, ctx(stores.db))) ?? null;
      await stores.outcomes.putCheckpoint(key, out);
      outputs[step.id] = out;
    }
  }
  return outputs;
}

/** Writes the round's bookkeeping in one transaction. */
async function settle(
  f: Flow,
  round: RecordAttempt[],
  results: Result[],
  deps: RecordRunnerDeps,
): Promise<void> {
  const { stores, metrics } = deps;
  const counts = new Map<string, Partial<Record<RunCounter, number>>>();
  const bump = (runId: string, c: RunCounter) => {
    const m = counts.get(runId) ?? {};
    m[c] = (m[c] ?? 0) + 1;
    counts.set(runId, m);
  };
  const succeeded: {
    recordKey: string;
    version: string;
    runId: string;
    targetId: string | null;
    attempts: number;
  }[] = [];
  const failures: { a: RecordAttempt; err: unknown; retryable: boolean }[] = [];
  round.forEach((a, i) => {
    const r = results[i]!;
    if (r.kind === 'skipped') bump(a.job.runId, 'skipped');
    if (r.kind === 'succeeded') {
      bump(a.job.runId, 'succeeded');
      const targetId = f.targetId?.(r.outputs) ?? null;
      succeeded.push({
        recordKey: a.job.key,
        version: a.job.version,
        runId: a.job.runId,
        targetId,
        attempts: a.attempt,
      });
    }
    if (r.kind === 'failed') {
      bump(a.job.runId, 'failed');
      failures.push({ a, err: r.err, retryable: r.retryable });
    }
    if (r.kind !== 'done')
      metrics.records.inc({ flow: f.id, outcome: r.kind === 'retry' ? 'retried' : r.kind });
  });
  if (counts.size === 0) return;
  await stores.db.transaction().execute(async (tx) => {
    const keys = succeeded.map((s) => s.recordKey);
    await stores.outcomes.setSucceeded(f.id, succeeded, tx);
    await stores.errors.resolveRecords(f.id, keys, tx);
    await stores.outcomes.clearCheckpoints(f.id, keys, tx);
    for (const x of failures) await recordFailure(f, x.a, x.err, x.retryable, deps, tx);
    for (const [runId, by] of counts) await stores.runs.incrementMany(runId, by, tx);
  });
}

async function recordFailure(
  f: Flow,
  a: RecordAttempt,
  err: unknown,
  retryable: boolean,
  deps: RecordRunnerDeps,
  tx: Kysely<Database>,
): Promise<void> {
  const { stores, metrics, log } = deps;
  const c = classifyError(err);
  const message = describeFailure(err, retryable, a.attempt);
  await stores.errors.record(
    {
      flowId: f.id,
      recordKey: a.job.key,
      errorClass: c.errorClass,
      code: c.code,
      message,
      details: isAppError(err) ? err.details : {},
      payload: a.job.payload,
      jobQueue: recordQueue(f.id),
      attempts: a.attempt,
      runId: a.job.runId,
    },
    tx,
  );
  await stores.outcomes.set(
    {
      flowId: f.id,
      recordKey: a.job.key,
      version: a.job.version,
      status: 'failed',
      runId: a.job.runId,
      attempts: a.attempt,
    },
    tx,
  );
  metrics.errors.inc({ flow: f.id, error_class: c.errorClass });
  log.error({ flow: f.id, record: a.job.key, code: c.code, err: message }, 'record failed; error recorded');
}

function describeFailure(err: unknown, retryable: boolean, attempt: number): string {
  if (err instanceof Error && err.name === 'ZodError' && 'issues' in err && Array.isArray(err.issues)) {
    const parts = err.issues.map(
      (i: { path: unknown[]; message: string }) => `${i.path.join('.') || '(payload)'}: ${i.message}`,
    );
    return `invalid payload: ${parts.join('; ')}: fix the source record or edit the payload, then retry`;
  }
  const msg = errorMessage(err);
  return retryable ? `${msg} (gave up after ${attempt} attempts; retry once the cause is fixed)` : msg;
}

export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
