import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDirLock } from './lock.ts';

describe('data dir lock', () => {
  it('lets one owner in and refuses a second with a message that says what to do', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tiksuite-lock-')), 'data.lock');
    const lock = acquireDirLock(path, '/x/data');
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    expect(() => acquireDirLock(path, '/x/data')).toThrow(
      /in use by process \d+ .*stop that process, or set DATABASE_URL/,
    );
    lock.release();
    expect(existsSync(path)).toBe(false);
    acquireDirLock(path, '/x/data').release();
  });

  it('takes over a lock left by a process that died', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tiksuite-lock-')), 'data.lock');
    // A real pid that has exited: a finished child.
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(path, JSON.stringify({ pid: Number(dead), host: hostname(), startedAt: 'then' }));
    const lock = acquireDirLock(path, '/x/data');
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
});
