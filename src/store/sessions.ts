/**
 * Dashboard sessions ended before their cookie expires (logout). The cookie itself is stateless
 * (src/api/auth.ts); this table only lists the session ids signed out, until the moment the cookie
 * would have expired anyway. Shared through the database, so a logout on one `serve` process ends
 * the session on every other process too.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export class SessionStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Ends a session for good; rows of sessions that expired by now are pruned on the way. */
  async revoke(id: string, expiresAt: Date): Promise<void> {
    await this.#db.deleteFrom('revoked_sessions').where('expires_at', '<', new Date()).execute();
    await this.#db
      .insertInto('revoked_sessions')
      .values({ id, expires_at: expiresAt })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async isRevoked(id: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('revoked_sessions')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    return row !== undefined;
  }
}
