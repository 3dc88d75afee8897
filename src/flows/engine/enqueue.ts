/**
 * Queueing a run's records, so that one bad record never fails its neighbours. The jobs go in as one
 * pg-boss insert; when the database refuses that insert for something a single record carries
 * (SQLSTATE class 22 "data exception", class 54 "program limit exceeded", or a payload that cannot
 * be serialised), the batch is inserted again record by record, each under its own savepoint. A
 * record still refused becomes an error record (`record_unstorable`) and a failed outcome, counted
 * as failed in its run; the others are queued. Any other failure (connection lost, a lock timeout)
 * fails the whole call, as before, so the caller retries it.
 */
import { type Kysely, sql } from 'kysely';
import { fromKysely, type PgBoss } from 'pg-boss';
import { errorMessage, sqlState } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import type { Stores } from '../../store/index.ts';
import type { Database } from '../../store/schema.ts';
import type { FlowRecord } from './define.ts';
import { type RecordJob, recordJobId, recordQueue } from './jobs.ts';

export interface Prepared {
  fresh: Array<FlowRecord<unknown> & { version: string }>;
  skipped: number;
}

export interface EnqueueDeps {
  boss: PgBoss;
  stores: Stores;
  log: Logger;
}

interface Job {
  id: string;
  data: RecordJob;
}

interface Refused {
  job: Job;
  err: unknown;
}

/** Inserts the run's jobs and its counters in `tx`; returns how many jobs were new. */
export async function enqueueIn(
  deps: EnqueueDeps,
  tx: Kysely<Database>,
  flowId: string,
  runId: string,
  p: Prepared,
): Promise<number> {
  const jobs = dedupeById(
    p.fresh.map((r) => ({
      id: recordJobId(flowId, r.key, r.version),
      data: { flowId, runId, key: r.key, version: r.version, payload: r.payload },
    })),
  );
  const { inserted, refused } = await insertJobs(deps, tx, flowId, jobs);
  for (const r of refused) await recordRefused(deps, tx, r);
  const received = inserted + p.skipped + refused.length;
  if (received > 0) {
    await tx
      .updateTable('flow_runs')
      .set((eb) => ({
        received: eb('received', '+', received),
        skipped: eb('skipped', '+', p.skipped),
        failed: eb('failed', '+', refused.length),
      }))
      .where('id', '=', runId)
      .execute();
  }
  return inserted;
}

async function insertJobs(
  deps: EnqueueDeps,
  tx: Kysely<Database>,
  flowId: string,
  jobs: Job[],
): Promise<{ inserted: number; refused: Refused[] }> {
  if (jobs.length === 0) return { inserted: 0, refused: [] };
  try {
    return { inserted: await insertSaved(deps.boss, tx, flowId, jobs), refused: [] };
  } catch (err) {
    if (!isRecordFailure(err)) throw err;
    deps.log.warn(
      { flow: flowId, jobs: jobs.length, sqlstate: sqlState(err), err: errorMessage(err) },
      'the database refused a batch of record jobs; queueing them one by one',
    );
  }
  let inserted = 0;
  const refused: Refused[] = [];
  for (const job of jobs) {
    try {
      inserted += await insertSaved(deps.boss, tx, flowId, [job]);
    } catch (err) {
      if (!isRecordFailure(err)) throw err;
      refused.push({ job, err });
    }
  }
  return { inserted, refused };
}

/** One insert under a savepoint: a refusal leaves the surrounding transaction usable. */
async function insertSaved(boss: PgBoss, tx: Kysely<Database>, flowId: string, jobs: Job[]) {
  return savepoint(tx, async () => {
    const ids = await boss.insert(recordQueue(flowId), jobs, { returnId: true, db: fromKysely(tx) });
    return ids?.length ?? 0;
  });
}

async function savepoint<T>(tx: Kysely<Database>, fn: () => Promise<T>): Promise<T> {
  await sql`SAVEPOINT tiksuite_enqueue`.execute(tx);
  try {
    const out = await fn();
    await sql`RELEASE SAVEPOINT tiksuite_enqueue`.execute(tx);
    return out;
  } catch (err) {
    await sql`ROLLBACK TO SAVEPOINT tiksuite_enqueue`.execute(tx);
    throw err;
  }
}

/** The refused record as an error record and a failed outcome (its run counts it as failed). */
async function recordRefused(deps: EnqueueDeps, tx: Kysely<Database>, { job, err }: Refused) {
  const { flowId, runId, key, version, payload } = job.data;
  const state = sqlState(err);
  const why = `${state ? `SQLSTATE ${state}: ` : ''}${errorMessage(err)}`;
  const input = {
    flowId,
    recordKey: key,
    errorClass: 'validation' as const,
    code: 'record_unstorable',
    message: `record ${key} could not be queued, the database refused it (${why}): edit the payload and retry`,
    details: { sqlstate: state ?? null },
    payload,
    jobQueue: recordQueue(flowId),
    attempts: 1,
    runId,
  };
  // The payload itself may be what the database refuses even once escaped: keep the record then.
  await savepoint(tx, () => deps.stores.errors.record(input, tx)).catch(() =>
    deps.stores.errors.record({ ...input, payload: { unstorable: why } }, tx),
  );
  await deps.stores.outcomes.set(
    { flowId, recordKey: key, version, status: 'failed', runId, attempts: 1 },
    tx,
  );
  deps.log.error({ flow: flowId, run: runId, record: key, err: why }, 'record refused by the database');
}

/** Failures one record can cause: bad data (class 22), a limit (class 54), or an unserialisable payload. */
export function isRecordFailure(err: unknown): boolean {
  const state = sqlState(err);
  if (state) return state.startsWith('22') || state.startsWith('54');
  return err instanceof TypeError || err instanceof RangeError;
}

function dedupeById<T extends { id: string }>(jobs: T[]): T[] {
  const byId = new Map<string, T>();
  for (const j of jobs) if (!byId.has(j.id)) byId.set(j.id, j);
  return [...byId.values()];
}
