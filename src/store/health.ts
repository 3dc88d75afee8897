/**
 * The watchdog's tables: `flow_health` (per flow and source: last success, failures in a row) and
 * its error records, one open `flow_stalled` record per flow and condition. Several processes may
 * run the watchdog on one PostgreSQL: every write is an upsert, and the record meets the
 * errors_open_record unique index, so two processes seeing the same stall bump one record.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import { newId } from '../shared/ids.ts';
import { errorFingerprint } from './errors.ts';
import type { Database, FlowHealthTable } from './schema.ts';

export type FlowHealthRow = Selectable<FlowHealthTable>;

/** The error code of a stall record (src/shared/errors.ts). */
export const STALL_CODE = 'flow_stalled';
const STALL_KEY_PREFIX = 'stall:';

/** A condition the watchdog found: the flow, what is stuck (`reason` + `source`), since when. */
export interface StallRecord {
  flow: string;
  reason: string;
  source: string | null;
  since: Date;
  message: string;
  details: Record<string, unknown>;
}

/** One open record per flow and condition: the record key names the condition. */
export function stallKey(s: Pick<StallRecord, 'reason' | 'source'>): string {
  return `${STALL_KEY_PREFIX}${s.reason}${s.source ? `:${s.source}` : ''}`;
}

export class HealthStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Starts watching sources (idempotent): a source that never succeeds is stale from now on. */
  async watch(flowId: string, sources: readonly string[]): Promise<void> {
    if (sources.length === 0) return;
    await this.#db
      .insertInto('flow_health')
      .values(sources.map((source) => ({ flow_id: flowId, source })))
      .onConflict((oc) => oc.columns(['flow_id', 'source']).doNothing())
      .execute();
  }

  async succeeded(flowId: string, source: string): Promise<void> {
    const now = new Date();
    const set = { last_success_at: now, failing_since: null, failures: 0, last_error: null, updated_at: now };
    await this.#db
      .insertInto('flow_health')
      .values({ flow_id: flowId, source, ...set })
      .onConflict((oc) => oc.columns(['flow_id', 'source']).doUpdateSet(set))
      .execute();
  }

  async failed(flowId: string, source: string, error: string): Promise<void> {
    const now = new Date();
    await this.#db
      .insertInto('flow_health')
      .values({
        flow_id: flowId,
        source,
        failing_since: now,
        failures: 1,
        last_error: error,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['flow_id', 'source']).doUpdateSet({
          failing_since: sql`coalesce(flow_health.failing_since, excluded.failing_since)`,
          failures: sql`flow_health.failures + 1`,
          last_error: error,
          updated_at: now,
        }),
      )
      .execute();
  }

  list(): Promise<FlowHealthRow[]> {
    return this.#db.selectFrom('flow_health').selectAll().orderBy('flow_id').orderBy('source').execute();
  }

  /** Opens the stall's record, or bumps the open one (any process, any number of times). */
  async openStall(s: StallRecord): Promise<void> {
    const now = new Date();
    await this.#db
      .insertInto('errors')
      .values({
        id: newId(),
        flow_id: s.flow,
        record_key: stallKey(s),
        fingerprint: errorFingerprint(s.flow, STALL_CODE, s.reason),
        error_class: 'transient',
        code: STALL_CODE,
        message: s.message,
        details: JSON.stringify({ reason: s.reason, source: s.source, since: s.since, ...s.details }),
        payload: JSON.stringify(null),
        edited_payload: null,
        job_queue: null,
        status: 'open',
        attempts: 0,
        run_id: null,
        first_seen: s.since,
        last_seen: now,
        resolved_at: null,
        resolution: null,
      })
      .onConflict((oc) =>
        oc
          .columns(['flow_id', 'record_key'])
          .where('status', '<>', 'resolved')
          .where('record_key', 'is not', null)
          .doUpdateSet({
            message: s.message,
            details: sql`excluded.details`,
            last_seen: now,
            occurrences: sql`errors.occurrences + 1`,
          }),
      )
      .execute();
  }

  /** Resolves open stall records whose condition is over (`current`: the record keys still stalled). */
  async resolveStalls(current: ReadonlyArray<{ flow: string; key: string }>): Promise<number> {
    const still = new Set(current.map((c) => `${c.flow}\u0000${c.key}`));
    const open = await this.#db
      .selectFrom('errors')
      .select(['id', 'flow_id', 'record_key', 'first_seen'])
      .where('code', '=', STALL_CODE)
      .where('status', '<>', 'resolved')
      .execute();
    const over = open.filter((r) => !still.has(`${r.flow_id}\u0000${r.record_key}`));
    const now = new Date();
    for (const r of over) {
      const minutes = Math.max(0, Math.round((now.getTime() - r.first_seen.getTime()) / 60_000));
      await this.#db
        .updateTable('errors')
        .set({
          status: 'resolved',
          resolved_at: now,
          resolution: `recovered: the flow made progress again (watchdog, stalled about ${minutes} min)`,
        })
        .where('id', '=', r.id)
        .where('status', '<>', 'resolved')
        .execute();
    }
    return over.length;
  }
}
