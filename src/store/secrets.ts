/**
 * Secrets at rest (OAuth tokens, keys) sealed with AES-256-GCM. The key is TIKSUITE_SECRET_KEY; in
 * development mode without it, a random key is generated once into <home>/secret.key (0600), so the
 * demo needs no setup. Production mode without the key refuses to start.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { AppError } from '../shared/errors.ts';
import { generateSecretKey, open, parseSecretKey, seal } from '../shared/secret-box.ts';
import type { Database } from './schema.ts';

export interface SecretKeySource {
  mode: 'development' | 'production';
  secretKey: string | undefined;
  homeDir: string;
}

export function resolveSecretKey(src: SecretKeySource): { key: Buffer; origin: 'env' | 'file' } {
  if (src.secretKey) return { key: parseSecretKey(src.secretKey), origin: 'env' };
  if (src.mode === 'production') {
    throw new AppError(
      'secret_key_missing',
      'TIKSUITE_SECRET_KEY is not set: production mode needs it to encrypt stored tokens (generate one with `openssl rand -hex 32`)',
    );
  }
  const file = join(src.homeDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(src.homeDir, { recursive: true });
    writeFileSync(file, `${generateSecretKey()}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return { key: parseSecretKey(readFileSync(file, 'utf8')), origin: 'file' };
}

export class SecretStore {
  readonly #db: Kysely<Database>;
  readonly #key: Buffer;
  constructor(db: Kysely<Database>, key: Buffer) {
    this.#db = db;
    this.#key = key;
  }

  async put(name: string, value: string): Promise<void> {
    // The name is bound as associated data: a sealed value copied to another name will not open.
    const sealed = seal(value, this.#key, name);
    const now = new Date();
    await this.#db
      .insertInto('secrets')
      .values({ name, sealed, updated_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet({ sealed, updated_at: now }))
      .execute();
  }

  async get(name: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('secrets')
      .select('sealed')
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? open(row.sealed, this.#key, name) : undefined;
  }

  async delete(name: string): Promise<void> {
    await this.#db.deleteFrom('secrets').where('name', '=', name).execute();
  }

  async names(): Promise<string[]> {
    return (await this.#db.selectFrom('secrets').select('name').orderBy('name').execute()).map((r) => r.name);
  }
}
