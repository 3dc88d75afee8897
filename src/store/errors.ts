/**
 * The error store: every record that failed for good becomes an error row with its class, a message
 * that names the fix, the source payload and the attempts made. One open row per record (a repeat
 * failure bumps `occurrences`); identical errors across records share a fingerprint so they can be
 * listed as one group.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { ErrorClass } from '../shared/errors.ts';
import { contentHash, newId } from '../shared/ids.ts';
import { storable, storableText } from '../shared/text.ts';
import type { Database, ErrorsTable } from './schema.ts';

export type ErrorStatus = ErrorsTable['status'];

export interface ErrorInput {
  flowId: string;
  recordKey: string | null;
  errorClass: ErrorClass;
  code: string;
  message: string;
  details?: Record<string, unknown>;
  payload: unknown;
  jobQueue: string | null;
  attempts: number;
  runId: string | null;
}

export interface ErrorRecord {
  id: string;
  flowId: string;
  recordKey: string | null;
  fingerprint: string;
  errorClass: string;
  code: string;
  message: string;
  details: unknown;
  payload: unknown;
  editedPayload: unknown;
  jobQueue: string | null;
  status: ErrorStatus;
  attempts: number;
  occurrences: number;
  runId: string | null;
  firstSeen: Date;
  lastSeen: Date;
  resolvedAt: Date | null;
  resolution: string | null;
}

/** Same flow, code and message shape (numbers and quoted values blanked) => same group. */
export function errorFingerprint(flowId: string, code: string, message: string): string {
  const shape = message
    .replace(/"[^"]*"|'[^']*'/g, '?')
    .replace(/\b[0-9a-f]{8}-[0-9a-f-]{27}\b/gi, '?')
    .replace(/\d+/g, '#');
  return contentHash([flowId, code, shape]).slice(0, 16);
}

export class ErrorStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Records a failure; returns the error id (the existing open one for this record, if any). */
  async record(e: ErrorInput, db: Kysely<Database> = this.#db): Promise<string> {
    const now = new Date();
    const values = {
      flow_id: e.flowId,
      record_key: e.recordKey,
      fingerprint: errorFingerprint(e.flowId, e.code, storableText(e.message)),
      error_class: e.errorClass,
      code: e.code,
      // Outside text ends up here (a buyer's name in the message, the payload): never fail on it.
      message: storableText(e.message),
      details: JSON.stringify(storable(e.details ?? {})),
      payload: JSON.stringify(storable(e.payload ?? null)),
      job_queue: e.jobQueue,
      attempts: e.attempts,
      run_id: e.runId,
      last_seen: now,
    };
    if (e.recordKey !== null) {
      const updated = await db
        .updateTable('errors')
        .set({ ...values, status: 'open', occurrences: sql`occurrences + 1` })
        .where('flow_id', '=', e.flowId)
        .where('record_key', '=', e.recordKey)
        .where('status', '<>', 'resolved')
        .returning('id')
        .executeTakeFirst();
      if (updated) return updated.id;
    }
    const id = newId();
    await db
      .insertInto('errors')
      .values({
        ...values,
        id,
        status: 'open',
        edited_payload: null,
        first_seen: now,
        resolved_at: null,
        resolution: null,
      })
      .execute();
    return id;
  }

  /**
   * A condition found by a periodic check (not a failed job): opens one record per flow and record
   * key, unless one is open. The open one is not bumped by the next check finding the same: only a
   * changed message (the condition got worse) updates it. Several processes may check at once: the errors_open_record unique index keeps it to one.
   */
  async raiseOnce(
    e: Pick<ErrorInput, 'flowId' | 'errorClass' | 'code' | 'message' | 'details'> & { recordKey: string },
  ): Promise<void> {
    const now = new Date();
    const message = storableText(e.message);
    await this.#db
      .insertInto('errors')
      .values({
        id: newId(),
        flow_id: e.flowId,
        record_key: e.recordKey,
        fingerprint: errorFingerprint(e.flowId, e.code, message),
        error_class: e.errorClass,
        code: e.code,
        message,
        details: JSON.stringify(storable(e.details ?? {})),
        payload: JSON.stringify(null),
        edited_payload: null,
        job_queue: null,
        status: 'open',
        attempts: 0,
        run_id: null,
        first_seen: now,
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
            message: sql`excluded.message`,
            fingerprint: sql`excluded.fingerprint`,
            details: sql`excluded.details`,
            last_seen: now,
          })
          .where('errors.message', '<>', message),
      )
      .execute();
  }

  /** The open records of one code in a flow (a periodic check resolves those no longer found). */
  async openOf(flowId: string, code: string): Promise<Array<{ id: string; recordKey: string | null }>> {
    const rows = await this.#db
      .selectFrom('errors')
      .select(['id', 'record_key'])
      .where('flow_id', '=', flowId)
      .where('code', '=', code)
      .where('status', '<>', 'resolved')
      .execute();
    return rows.map((r) => ({ id: r.id, recordKey: r.record_key }));
  }

  async get(id: string): Promise<ErrorRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await this.#db.selectFrom('errors').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async list(
    opts: { status?: ErrorStatus | 'all'; flowId?: string; errorClass?: string; limit?: number } = {},
  ): Promise<ErrorRecord[]> {
    let q = this.#db
      .selectFrom('errors')
      .selectAll()
      .orderBy('last_seen', 'desc')
      .limit(opts.limit ?? 100);
    const status = opts.status ?? 'open';
    if (status !== 'all') q = q.where('status', '=', status);
    if (opts.flowId) q = q.where('flow_id', '=', opts.flowId);
    if (opts.errorClass) q = q.where('error_class', '=', opts.errorClass);
    return (await q.execute()).map(toRecord);
  }

  /** Open errors grouped by fingerprint, largest group first. */
  async groups(opts: { flowId?: string } = {}) {
    let q = this.#db
      .selectFrom('errors')
      .select((eb) => [
        'fingerprint',
        'flow_id',
        'code',
        'error_class',
        eb.fn.max('message').as('message'),
        eb.fn.countAll<number>().as('count'),
        eb.fn.max('last_seen').as('last_seen'),
      ])
      .where('status', '<>', 'resolved')
      .groupBy(['fingerprint', 'flow_id', 'code', 'error_class'])
      .orderBy('count', 'desc');
    if (opts.flowId) q = q.where('flow_id', '=', opts.flowId);
    return q.execute();
  }

  async countsByClass(): Promise<Record<string, number>> {
    const rows = await this.#db
      .selectFrom('errors')
      .select((eb) => ['error_class', eb.fn.countAll<number>().as('n')])
      .where('status', '<>', 'resolved')
      .groupBy('error_class')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.error_class, Number(r.n)]));
  }

  async setEditedPayload(id: string, payload: unknown): Promise<void> {
    await this.#db
      .updateTable('errors')
      .set({ edited_payload: JSON.stringify(storable(payload)) })
      .where('id', '=', id)
      .execute();
  }

  async markRetrying(id: string): Promise<void> {
    await this.#db.updateTable('errors').set({ status: 'retrying' }).where('id', '=', id).execute();
  }

  /** Resolves open errors of records that have now succeeded (one statement per batch). */
  async resolveRecords(flowId: string, recordKeys: string[], db: Kysely<Database>): Promise<void> {
    if (recordKeys.length === 0) return;
    await db
      .updateTable('errors')
      .set({ status: 'resolved', resolved_at: new Date(), resolution: 'succeeded' })
      .where('flow_id', '=', flowId)
      .where('record_key', 'in', recordKeys)
      .where('status', '<>', 'resolved')
      .execute();
  }

  /** Resolves open errors of a record (after it succeeded) or one error by id (a human's decision). */
  async resolve(
    target: { id: string } | { flowId: string; recordKey: string },
    resolution: string,
    db: Kysely<Database> = this.#db,
  ): Promise<number> {
    let q = db.updateTable('errors').set({ status: 'resolved', resolved_at: new Date(), resolution });
    q =
      'id' in target
        ? q.where('id', '=', target.id)
        : q.where('flow_id', '=', target.flowId).where('record_key', '=', target.recordKey);
    const res = await q.where('status', '<>', 'resolved').executeTakeFirst();
    return Number(res.numUpdatedRows);
  }
}

export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

function toRecord(r: Selectable<ErrorsTable>): ErrorRecord {
  return {
    id: r.id,
    flowId: r.flow_id,
    recordKey: r.record_key,
    fingerprint: r.fingerprint,
    errorClass: r.error_class,
    code: r.code,
    message: r.message,
    details: r.details,
    payload: r.payload,
    editedPayload: r.edited_payload,
    jobQueue: r.job_queue,
    status: r.status,
    attempts: r.attempts,
    occurrences: r.occurrences,
    runId: r.run_id,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    resolvedAt: r.resolved_at,
    resolution: r.resolution,
  };
}
