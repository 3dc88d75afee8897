/**
 * Record outcomes and step checkpoints. An outcome is keyed by (flow, record key) and carries the
 * content version last processed, so a record already done at that version is skipped, never redone.
 * A checkpoint keeps a finished step's output so a retried or resumed record does not redo the step.
 */
import type { Kysely } from 'kysely';
import { storable, storableText } from '../shared/text.ts';
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
      target_id: input.targetId == null ? null : storableText(input.targetId),
      attempts: input.attempts,
      updated_at: now,
    };
    await db
      .insertInto('record_outcomes')
      .values({ flow_id: input.flowId, record_key: storableText(input.recordKey), ...values })
      .onConflict((oc) => oc.columns(['flow_id', 'record_key']).doUpdateSet(values))
      .execute();
  }

  /** Outcomes of many records at once (one query per job batch). */
  async getMany(flowId: string, keys: string[], db: Kysely<Database> = this.#db) {
    if (keys.length === 0) return new Map<string, Outcome & { runId: string | null }>();
    const rows = await db
      .selectFrom('record_outcomes')
      .selectAll()
      .where('flow_id', '=', flowId)
      .where('record_key', 'in', keys)
      .execute();
    return new Map(
      rows.map((r) => [
        r.record_key,
        {
          version: r.version,
          status: r.status,
          targetId: r.target_id,
          attempts: r.attempts,
          updatedAt: r.updated_at,
          runId: r.run_id,
        },
      ]),
    );
  }

  /** Succeeded outcomes of a batch in one statement. */
  async setSucceeded(
    flowId: string,
    rows: { recordKey: string; version: string; runId: string; targetId: string | null; attempts: number }[],
    db: Kysely<Database>,
  ): Promise<void> {
    if (rows.length === 0) return;
    const now = new Date();
    await db
      .insertInto('record_outcomes')
      .values(
        rows.map((r) => ({
          flow_id: flowId,
          record_key: storableText(r.recordKey),
          version: r.version,
          status: 'succeeded' as const,
          run_id: r.runId,
          target_id: r.targetId === null ? null : storableText(r.targetId),
          attempts: r.attempts,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['flow_id', 'record_key']).doUpdateSet((eb) => ({
          version: eb.ref('excluded.version'),
          status: eb.ref('excluded.status'),
          run_id: eb.ref('excluded.run_id'),
          target_id: eb.ref('excluded.target_id'),
          attempts: eb.ref('excluded.attempts'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }

  /** Checkpoints of many records at once: key -> version -> step -> output. */
  async checkpointsFor(flowId: string, keys: string[], db: Kysely<Database> = this.#db) {
    const out = new Map<string, Map<string, unknown>>();
    if (keys.length === 0) return out;
    const rows = await db
      .selectFrom('step_checkpoints')
      .select(['record_key', 'version', 'step_id', 'output'])
      .where('flow_id', '=', flowId)
      .where('record_key', 'in', keys)
      .execute();
    for (const r of rows) {
      const k = `${r.record_key}\u0000${r.version}`;
      if (!out.has(k)) out.set(k, new Map());
      out.get(k)!.set(r.step_id, r.output);
    }
    return out;
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
        record_key: storableText(key.recordKey),
        version: key.version,
        step_id: key.stepId,
        output: JSON.stringify(storable(output ?? null)),
        done_at: new Date(),
      })
      .onConflict((oc) => oc.columns(['flow_id', 'record_key', 'version', 'step_id']).doNothing())
      .execute();
  }

  /** Checkpoints of finished records are no longer needed. */
  async clearCheckpoints(
    flowId: string,
    recordKeys: string[],
    db: Kysely<Database> = this.#db,
  ): Promise<void> {
    if (recordKeys.length === 0) return;
    await db
      .deleteFrom('step_checkpoints')
      .where('flow_id', '=', flowId)
      .where('record_key', 'in', recordKeys)
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
