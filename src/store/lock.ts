/**
 * One process owns a PGlite data directory: two processes on one directory corrupt it silently.
 * The lock is a file created with O_EXCL holding the owner's pid and host; a lock left by a dead
 * process on this host is taken over, a live one makes the second process fail at once.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { AppError } from '../shared/errors.ts';

export interface DirLock {
  readonly path: string;
  release(): void;
}

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (parsed && typeof parsed === 'object' && 'pid' in parsed && typeof parsed.pid === 'number') {
      const p = parsed as Partial<LockInfo>;
      return { pid: parsed.pid, host: String(p.host ?? ''), startedAt: String(p.startedAt ?? '') };
    }
  } catch {
    // unreadable or half-written: treated as stale below
  }
  return null;
}

export function acquireDirLock(path: string, what: string): DirLock {
  const info: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      return {
        path,
        release: () => {
          if (released) return;
          released = true;
          const cur = readLock(path);
          if (cur?.pid === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readLock(path);
      const sameHost = !owner || owner.host === info.host;
      if (owner && (!sameHost || isAlive(owner.pid))) {
        throw new AppError(
          'data_dir_locked',
          `the embedded database ${what} is in use by process ${owner.pid} on ${owner.host} (since ${owner.startedAt}): stop that process, or set DATABASE_URL to share PostgreSQL between processes`,
          { details: { lockFile: path, pid: owner.pid, host: owner.host } },
        );
      }
      // Stale lock from a dead process (e.g. SIGKILL): take it over.
      rmSync(path, { force: true });
    }
  }
  throw new AppError('data_dir_locked', `could not lock ${what}: remove ${path} if no TikSuite process runs`);
}
