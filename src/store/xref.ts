/** Cross-reference: source ids (e.g. a TikTok order id) <-> target ids (a NetSuite internal id). */
import type { Kysely } from 'kysely';
import { storableText } from '../shared/text.ts';
import type { Database } from './schema.ts';

export interface XrefKey {
  sourceSystem: string;
  sourceType: string;
  sourceId: string;
  targetSystem: string;
  targetType: string;
}

export class XrefStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async put(key: XrefKey, targetId: string, db: Kysely<Database> = this.#db): Promise<void> {
    const now = new Date();
    await db
      .insertInto('xref')
      .values({
        source_system: key.sourceSystem,
        source_type: key.sourceType,
        source_id: storableText(key.sourceId),
        target_system: key.targetSystem,
        target_type: key.targetType,
        target_id: storableText(targetId),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['source_system', 'source_type', 'source_id', 'target_system', 'target_type'])
          .doUpdateSet({ target_id: storableText(targetId), updated_at: now }),
      )
      .execute();
  }

  async get(key: XrefKey, db: Kysely<Database> = this.#db): Promise<string | undefined> {
    const row = await db
      .selectFrom('xref')
      .select('target_id')
      .where('source_system', '=', key.sourceSystem)
      .where('source_type', '=', key.sourceType)
      .where('source_id', '=', storableText(key.sourceId))
      .where('target_system', '=', key.targetSystem)
      .where('target_type', '=', key.targetType)
      .executeTakeFirst();
    return row?.target_id;
  }

  /** Reverse lookup: which source ids map to this target id. */
  async sourcesOf(targetSystem: string, targetType: string, targetId: string) {
    return this.#db
      .selectFrom('xref')
      .select(['source_system', 'source_type', 'source_id'])
      .where('target_system', '=', targetSystem)
      .where('target_type', '=', targetType)
      .where('target_id', '=', targetId)
      .execute();
  }
}
