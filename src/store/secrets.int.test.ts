import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestEnv, testEnv } from '../../test/support/env.ts';
import { generateSecretKey, parseSecretKey } from '../shared/secret-box.ts';
import { type DbHandle, migrateToLatest, openDatabase } from './index.ts';
import { resolveSecretKey, SecretStore } from './secrets.ts';

let env: TestEnv | undefined;
let handle: DbHandle | undefined;
afterEach(async () => {
  await handle?.close();
  await env?.cleanup();
});

describe('secrets', () => {
  it('requires TIKSUITE_SECRET_KEY in production and creates a 0600 key file in development', () => {
    const homeDir = mkdtempSync(join(tmpdir(), 'tiksuite-sec-'));
    expect(() => resolveSecretKey({ mode: 'production', secretKey: undefined, homeDir })).toThrow(
      /TIKSUITE_SECRET_KEY is not set/,
    );
    expect(() => resolveSecretKey({ mode: 'production', secretKey: 'short', homeDir })).toThrow(
      /64 hex characters/,
    );
    const a = resolveSecretKey({ mode: 'development', secretKey: undefined, homeDir });
    const b = resolveSecretKey({ mode: 'development', secretKey: undefined, homeDir });
    expect(a.key.equals(b.key)).toBe(true);
    expect(statSync(join(homeDir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('stores secrets sealed, never in clear, and refuses the wrong key', async () => {
    env = testEnv('secrets');
    const c = env.config();
    handle = await openDatabase({ url: c.database.url, dataDir: join(env.home, 'data'), schema: env.schema });
    await migrateToLatest(handle);
    const key = parseSecretKey(generateSecretKey());
    const store = new SecretStore(handle.db, key);
    await store.put('tiktok:shop1:refresh_token', 'ROFTOKEN-123');
    expect(await store.get('tiktok:shop1:refresh_token')).toBe('ROFTOKEN-123');
    const raw = await handle.db.selectFrom('secrets').select('sealed').executeTakeFirstOrThrow();
    expect(raw.sealed).not.toContain('ROFTOKEN');
    const other = new SecretStore(handle.db, parseSecretKey(generateSecretKey()));
    await expect(other.get('tiktok:shop1:refresh_token')).rejects.toThrow(/not the key it was stored with/);
  });
});
