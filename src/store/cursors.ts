/**
 * Cursors per flow and source for incremental pulls. A flow notes the run's start before pulling,
 * saves every page durably, and only then advances the cursor; readers subtract the overlap window
 * so a record updated during the previous pull is read again (and skipped if unchanged).
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export class CursorStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async get(flowId: string, source: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('cursors')
      .select('value')
      .where('flow_id', '=', flowId)
      .where('source', '=', source)
      .executeTakeFirst();
    return row?.value;
  }

  async set(flowId: string, source: string, value: string, db: Kysely<Database> = this.#db): Promise<void> {
    const now = new Date();
    await db
      .insertInto('cursors')
      .values({ flow_id: flowId, source, value, updated_at: now })
      .onConflict((oc) => oc.columns(['flow_id', 'source']).doUpdateSet({ value, updated_at: now }))
      .execute();
  }

  async list(flowId?: string) {
    let q = this.#db.selectFrom('cursors').selectAll().orderBy('flow_id').orderBy('source');
    if (flowId) q = q.where('flow_id', '=', flowId);
    return q.execute();
  }
}

/** A time cursor read back with the overlap applied: start the next pull at cursor - overlap. */
export function timeCursorWithOverlap(
  value: string | undefined,
  overlapSeconds: number,
  fallback: Date,
): Date {
  if (!value) return fallback;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return fallback;
  return new Date(at - overlapSeconds * 1000);
}
