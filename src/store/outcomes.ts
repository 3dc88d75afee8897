/**
 * Record outcomes and step checkpoints. An outcome is keyed by (flow, record key) and carries the
 * content version last processed, so a record already done at that version is skipped, never redone.
 * A checkpoint keeps a finished step's output so a retried or resumed record does not redo the step.
 */
import type { Kysely } from 'kysely';
import type { Database, RecordOutcomesTable } from './schema.ts';

export type OutcomeStatus = RecordOutcomesTable['status'];

export interface Outcome {
  version: string;
  status: OutcomeStatus;
  targetId: string | null;
  attempts: number;
  updatedAt: Date;
}

export class OutcomeStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async get(
    flowId: string,
    recordKey: string,
    db: Kysely<Database> = this.#db,
  ): Promise<Outcome | undefined> {
    const r = await db
      .selectFrom('record_outcomes')
      .selectAll()
      .where('flow_id', '=', flowId)
      .where('record_key', '=', recordKey)
      .executeTakeFirst();
    return r
      ? {
          version: r.version,
          status: r.status,
          targetId: r.target_id,
          attempts: r.attempts,
          updatedAt: r.updated_at,
        }
      : undefined;
  }

  async set(
    input: {
      flowId: string;
      recordKey: string;
      version: string;
      status: OutcomeStatus;
      runId: string | null;
      targetId?: string | null;
      attempts: number;
    },
    db: Kysely<Database> = this.#db,
  ): Promise<void> {
    const now = new Date();
    const values = {
      version: input.version,
      status: input.status,
      run_id: input.runId,
      target_id: input.targetId ?? null,
      attempts: input.attempts,
      updated_at: now,
    };
    await db
      .insertInto('record_outcomes')
      .values({ flow_id: input.flowId, record_key: input.recordKey, ...values })
      .onConflict((oc) => oc.columns(['flow_id', 'record_key']).doUpdateSet(values))
      .execute();
  }

  async getCheckpoint(
    key: { flowId: string; recordKey: string; version: string; stepId: string },
    db: Kysely<Database> = this.#db,
  ): Promise<{ output: unknown } | undefined> {
    const r = await db
      .selectFrom('step_checkpoints')
      .select('output')
      .where('flow_id', '=', key.flowId)
      .where('record_key', '=', key.recordKey)
      .where('version', '=', key.version)
      .where('step_id', '=', key.stepId)
      .executeTakeFirst();
    return r ? { output: r.output } : undefined;
  }

  async putCheckpoint(
    key: { flowId: string; recordKey: string; version: string; stepId: string },
    output: unknown,
    db: Kysely<Database> = this.#db,
  ): Promise<void> {
    await db
      .insertInto('step_checkpoints')
      .values({
        flow_id: key.flowId,
        record_key: key.recordKey,
        version: key.version,
        step_id: key.stepId,
        output: JSON.stringify(output ?? null),
        done_at: new Date(),
      })
      .onConflict((oc) => oc.columns(['flow_id', 'record_key', 'version', 'step_id']).doNothing())
      .execute();
  }

  /** Checkpoints of a finished record are no longer needed. */
  async clearCheckpoints(flowId: string, recordKey: string, db: Kysely<Database> = this.#db): Promise<void> {
    await db
      .deleteFrom('step_checkpoints')
      .where('flow_id', '=', flowId)
      .where('record_key', '=', recordKey)
      .execute();
  }

  async countByStatus(flowId: string): Promise<Record<string, number>> {
    const rows = await this.#db
      .selectFrom('record_outcomes')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where('flow_id', '=', flowId)
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
