/** Reads what the built-in selftest flow wrote: one row per record execution. */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.ts';

export interface EffectCounts {
  /** Rows written (executions). */
  rows: number;
  /** Distinct record keys. */
  keys: number;
  /** Distinct worker processes that wrote them. */
  workers: number;
}

export async function effectCounts(db: Kysely<Database>, runId: string): Promise<EffectCounts> {
  const r = await db
    .selectFrom('selftest_effects')
    .select((eb) => [
      eb.fn.countAll<number>().as('rows'),
      eb.fn.count<number>('record_key').distinct().as('keys'),
      eb.fn.count<number>('worker').distinct().as('workers'),
    ])
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
  return { rows: Number(r.rows), keys: Number(r.keys), workers: Number(r.workers) };
}
