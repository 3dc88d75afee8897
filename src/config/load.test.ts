import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, substituteEnv } from './load.ts';

function dirWith(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tiksuite-config-'));
  writeFileSync(join(dir, 'tiksuite.yaml'), yaml);
  return dir;
}

describe('loadConfig', () => {
  it('runs on defaults with no file: embedded database under ./.tiksuite', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tiksuite-config-'));
    const c = loadConfig({ env: {}, cwd });
    expect(c.configPath).toBeNull();
    expect(c.homeDir).toBe(join(cwd, '.tiksuite'));
    expect(c.database.url).toBeUndefined();
    expect(c.server.port).toBe(7700);
    expect(Object.isFrozen(c.queue)).toBe(true);
  });

  it('substitutes ${ENV} and ${ENV:-default}, and names the line of an unset variable', () => {
    expect(substituteEnv('a: ${X}\nb: ${Y:-7}', { X: 'one' }, 'f.yaml')).toBe('a: one\nb: 7');
    expect(() => substituteEnv('a: 1\nb: ${MISSING}', {}, 'f.yaml')).toThrow(
      /f.yaml:2: environment variable MISSING/,
    );
  });

  it('reads tiksuite.yaml, lets the environment win, and validates everything', () => {
    const cwd = dirWith('server:\n  port: 8800\ntiktok:\n  appKey: ${TT_KEY}\n  appSecret: s3cret\n');
    const c = loadConfig({
      env: { TT_KEY: 'key1', DATABASE_URL: 'postgres://x@h/db', TIKSUITE_PORT: '9900' },
      cwd,
    });
    expect(c.tiktok?.appKey).toBe('key1');
    expect(c.server.port).toBe(9900);
    expect(c.database.url).toBe('postgres://x@h/db');
  });

  it('names the file, the path and what is expected for every invalid setting', () => {
    const cwd = dirWith('server:\n  port: "http"\nqueue:\n  batchSize: 2\nbogus: 1\n');
    let message = '';
    try {
      loadConfig({ env: {}, cwd });
    } catch (err) {
      message = (err as Error).message;
      expect((err as { code: string }).code).toBe('config_invalid');
    }
    expect(message).toContain(`${join(cwd, 'tiksuite.yaml')}: server.port: Invalid input: expected number`);
    expect(message).toMatch(/queue.batchSize: Too small: expected number to be >=10/);
    expect(message).toMatch(/\(root\): Unrecognized key: "bogus"/);
  });

  it('rejects a config path that does not exist and a file that is not a mapping', () => {
    expect(() => loadConfig({ env: {}, path: '/nonexistent/t.yaml' })).toThrow(/does not exist/);
    expect(() => loadConfig({ env: {}, cwd: dirWith('- a\n- b\n') })).toThrow(/expected a mapping/);
  });
});
