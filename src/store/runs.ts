/** Flow runs: one row per run with counts of records received / succeeded / failed / skipped. */
import { type Kysely, type Selectable, sql } from 'kysely';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { storable, storableText } from '../shared/text.ts';
import type { Database, FlowRunsTable } from './schema.ts';

export type RunTrigger = FlowRunsTable['trigger'];
export type RunStatus = FlowRunsTable['status'];
export type RunCounter = 'received' | 'succeeded' | 'failed' | 'skipped';

/** How long an open run takes records: until idle this long, and never longer than maxSeconds. */
export interface RunWindow {
  idleSeconds: number;
  maxSeconds: number;
}

export interface RunRow {
  id: string;
  flowId: string;
  flowVersion: number;
  trigger: RunTrigger;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  received: number;
  succeeded: number;
  failed: number;
  skipped: number;
  error: string | null;
  /** Open runs (webhook intake): the end of the window in which submitted records join this run. */
  acceptingUntil: Date | null;
}

export class RunStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async start(input: {
    flowId: string;
    flowVersion: number;
    trigger: RunTrigger;
    params?: unknown;
    id?: string;
  }) {
    const id = input.id ?? newId();
    await this.#db
      .insertInto('flow_runs')
      .values({
        id,
        flow_id: input.flowId,
        flow_version: input.flowVersion,
        trigger: input.trigger,
        status: 'running',
        params: JSON.stringify(storable(input.params ?? null)),
        started_at: new Date(),
        finished_at: null,
        error: null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return id;
  }

  /**
   * Inside the caller's transaction: the open run of (flow, trigger), row-locked until the caller
   * commits, with its window moved to now + idle (capped at start + max); or a new open run. An
   * expired open run is closed first. Concurrent callers meet on the flow_runs_open unique index.
   */
  async joinOpenRun(
    tx: Kysely<Database>,
    input: { flowId: string; flowVersion: number; trigger: RunTrigger; window: RunWindow },
  ): Promise<{ id: string; created: boolean }> {
    const { flowId, trigger, window: w } = input;
    await this.closeExpired(tx, { flowId, trigger });
    const until = sql<Date>`least(started_at + make_interval(secs => ${w.maxSeconds}),
                                  now() + make_interval(secs => ${w.idleSeconds}))`;
    for (let attempt = 0; attempt < 3; attempt++) {
      const open = await sql<{ id: string }>`
        UPDATE flow_runs SET accepting_until = ${until}
        WHERE id = (SELECT id FROM flow_runs
                    WHERE flow_id = ${flowId} AND trigger = ${trigger}
                      AND accepting_until IS NOT NULL AND NOT discovery_done AND accepting_until > now()
                    FOR UPDATE)
        RETURNING id`.execute(tx);
      if (open.rows[0]) return { id: open.rows[0].id, created: false };
      const id = newId();
      const inserted = await sql<{ id: string }>`
        INSERT INTO flow_runs (id, flow_id, flow_version, trigger, status, params, started_at, accepting_until)
        VALUES (${id}, ${flowId}, ${input.flowVersion}, ${trigger}, 'running', 'null'::jsonb, now(),
                now() + make_interval(secs => ${Math.min(w.idleSeconds, w.maxSeconds)}))
        ON CONFLICT (flow_id, trigger) WHERE accepting_until IS NOT NULL AND NOT discovery_done DO NOTHING
        RETURNING id`.execute(tx);
      if (inserted.rows[0]) return { id, created: true };
      // Another process opened one (or its expired run is still uncommitted-open): look again.
    }
    throw new AppError('internal', `could not open or join a ${trigger} run of ${flowId} after 3 tries`);
  }

  /** Closes open runs whose window has passed; each then finishes once its records have outcomes. */
  async closeExpired(
    db: Kysely<Database> = this.#db,
    filter: { flowId?: string; trigger?: RunTrigger } = {},
  ): Promise<number> {
    let q = db
      .updateTable('flow_runs')
      .set({ discovery_done: true })
      .where('accepting_until', 'is not', null)
      .where('discovery_done', '=', false)
      .where('accepting_until', '<=', sql<Date>`now()`);
    if (filter.flowId) q = q.where('flow_id', '=', filter.flowId);
    if (filter.trigger) q = q.where('trigger', '=', filter.trigger);
    const closed = await q.returning('id').execute();
    for (const r of closed) await this.#maybeFinish(r.id, db);
    return closed.length;
  }

  async increment(
    runId: string,
    counter: RunCounter,
    by = 1,
    db: Kysely<Database> = this.#db,
  ): Promise<void> {
    await this.incrementMany(runId, { [counter]: by }, db);
  }

  /** Adds to several counters at once (one row update per run and batch keeps contention low). */
  async incrementMany(
    runId: string,
    by: Partial<Record<RunCounter, number>>,
    db: Kysely<Database> = this.#db,
  ): Promise<void> {
    const entries = Object.entries(by).filter(([, n]) => n !== undefined && n !== 0) as [
      RunCounter,
      number,
    ][];
    if (entries.length === 0) return;
    await db
      .updateTable('flow_runs')
      .set(Object.fromEntries(entries.map(([c, n]) => [c, sql`${sql.ref(c)} + ${n}`])))
      .where('id', '=', runId)
      .execute();
    await this.#maybeFinish(runId, db);
  }

  /** Discovery has enqueued everything it will: the run ends once every record has an outcome. */
  async discoveryDone(runId: string, error?: string): Promise<void> {
    await this.#db
      .updateTable('flow_runs')
      .set({ discovery_done: true, error: error === undefined ? null : storableText(error) })
      .where('id', '=', runId)
      .execute();
    await this.#maybeFinish(runId, this.#db);
  }

  async #maybeFinish(runId: string, db: Kysely<Database>): Promise<void> {
    await db
      .updateTable('flow_runs')
      .set({
        finished_at: new Date(),
        status: sql`CASE WHEN error IS NOT NULL AND received = 0 THEN 'failed'
                         WHEN failed > 0 OR error IS NOT NULL THEN 'partial'
                         ELSE 'succeeded' END`,
      })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .where('discovery_done', '=', true)
      .where(sql<boolean>`succeeded + failed + skipped >= received`)
      .execute();
  }

  async get(runId: string): Promise<RunRow | undefined> {
    const row = await this.#db.selectFrom('flow_runs').selectAll().where('id', '=', runId).executeTakeFirst();
    return row ? toRun(row) : undefined;
  }

  async list(opts: { flowId?: string | undefined; limit?: number } = {}): Promise<RunRow[]> {
    let q = this.#db
      .selectFrom('flow_runs')
      .selectAll()
      .orderBy('started_at', 'desc')
      .limit(opts.limit ?? 50);
    if (opts.flowId) q = q.where('flow_id', '=', opts.flowId);
    return (await q.execute()).map(toRun);
  }
}

function toRun(r: Selectable<FlowRunsTable>): RunRow {
  return {
    id: r.id,
    flowId: r.flow_id,
    flowVersion: r.flow_version,
    trigger: r.trigger,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    received: r.received,
    succeeded: r.succeeded,
    failed: r.failed,
    skipped: r.skipped,
    error: r.error,
    acceptingUntil: r.accepting_until,
  };
}
