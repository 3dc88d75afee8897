/**
 * Runs one record job through a flow's steps: skip if done at this version, checkpoint each step,
 * record the outcome, the run counters and the error store, and tell the queue what to do next.
 */
import type { Kysely } from 'kysely';
import { classifyError, errorMessage, isAppError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import type { Stores } from '../../store/index.ts';
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

type Outputs = Record<string, unknown>;

export async function runRecord(
  flow: AnyFlow,
  a: RecordAttempt,
  deps: RecordRunnerDeps,
): Promise<JobVerdict> {
  const f = flow as FlowDefinition<unknown, Record<string, unknown>>;
  const { stores, metrics } = deps;
  const { job } = a;
  const prior = await stores.outcomes.get(f.id, job.key);
  if (prior && prior.version === job.version && prior.status !== 'failed' && !job.errorId) {
    // Done at this version. Counted once: by the run that did it, or here as a skip.
    if (prior.status === 'succeeded' && (await isSameRunOutcome(stores.db, f.id, job))) return 'completed';
    await stores.runs.increment(job.runId, 'skipped');
    metrics.records.inc({ flow: f.id, outcome: 'skipped' });
    return 'completed';
  }
  const started = performance.now();
  try {
    const payload = f.payload ? f.payload.parse(job.payload) : job.payload;
    const outputs = await runSteps(f, payload, a, deps);
    await stores.db.transaction().execute(async (tx) => {
      await stores.outcomes.set(
        {
          flowId: f.id,
          recordKey: job.key,
          version: job.version,
          status: 'succeeded',
          runId: job.runId,
          targetId: f.targetId?.(outputs) ?? null,
          attempts: a.attempt,
        },
        tx,
      );
      await stores.runs.increment(job.runId, 'succeeded', 1, tx);
      await stores.errors.resolve({ flowId: f.id, recordKey: job.key }, 'succeeded', tx);
      await stores.outcomes.clearCheckpoints(f.id, job.key, tx);
    });
    metrics.records.inc({ flow: f.id, outcome: 'succeeded' });
    return 'completed';
  } catch (err) {
    return await onFailure(f, a, err, deps);
  } finally {
    metrics.duration.observe({ flow: f.id }, (performance.now() - started) / 1000);
  }
}

async function isSameRunOutcome(db: Kysely<Database>, flowId: string, job: RecordJob): Promise<boolean> {
  const row = await db
    .selectFrom('record_outcomes')
    .select('run_id')
    .where('flow_id', '=', flowId)
    .where('record_key', '=', job.key)
    .executeTakeFirst();
  return row?.run_id === job.runId;
}

async function runSteps(
  f: FlowDefinition<unknown, Record<string, unknown>>,
  payload: unknown,
  a: RecordAttempt,
  deps: RecordRunnerDeps,
): Promise<Outputs> {
  const { stores, log } = deps;
  const outputs: Outputs = {};
  for (const step of f.steps) {
    const key = { flowId: f.id, recordKey: a.job.key, version: a.job.version, stepId: step.id };
    const done = await stores.outcomes.getCheckpoint(key);
    if (done) {
      outputs[step.id] = done.output;
      continue;
    }
    const ctx = (db: Kysely<Database>): StepContext => ({
      flowId: f.id,
      recordKey: a.job.key,
      version: a.job.version,
      runId: a.job.runId,
      attempt: a.attempt,
      db,
      log: log.child({ flow: f.id, record: a.job.key, step: step.id }),
      signal: a.signal,
    });
    if (step.local) {
      outputs[step.id] = await stores.db.transaction().execute(async (tx) => {
        const out = await step.run({ payload, outputs }, ctx(tx));
        await stores.outcomes.putCheckpoint(key, out, tx);
        return out ?? null;
      });
    } else {
      const out = await step.run({ payload, outputs }, ctx(stores.db));
      await stores.outcomes.putCheckpoint(key, out);
      outputs[step.id] = out ?? null;
    }
  }
  return outputs;
}

async function onFailure(
  f: FlowDefinition<unknown, Record<string, unknown>>,
  a: RecordAttempt,
  err: unknown,
  deps: RecordRunnerDeps,
): Promise<JobVerdict> {
  const { stores, metrics, log } = deps;
  const c = classifyError(err);
  // Unknown failures are retried too: losing an order to a transient bug is worse than a retry.
  const retryable = c.retryable || c.errorClass === 'unknown';
  if (retryable && a.attempt < a.maxAttempts) {
    metrics.records.inc({ flow: f.id, outcome: 'retried' });
    log.warn(
      { flow: f.id, record: a.job.key, attempt: a.attempt, err: errorMessage(err) },
      'record failed; will retry',
    );
    return 'failed';
  }
  const message = describeFailure(err, retryable, a.attempt);
  await stores.db.transaction().execute(async (tx) => {
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
    await stores.runs.increment(a.job.runId, 'failed', 1, tx);
  });
  metrics.records.inc({ flow: f.id, outcome: 'failed' });
  metrics.errors.inc({ flow: f.id, error_class: c.errorClass });
  log.error({ flow: f.id, record: a.job.key, code: c.code, err: message }, 'record failed; error recorded');
  // Non-retryable: the job is done (the error store owns it now). Retryable: out of attempts.
  return retryable ? 'failed' : 'completed';
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
