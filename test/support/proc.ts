/** Runs the real `tiksuite` CLI in child processes (on the project's Node 24). */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');

/**
 * How long a test waits for something before it calls it hung. Not a speed claim (figures live in
 * bench/): a loaded machine can stall for tens of seconds, so this only bounds a test that would
 * otherwise wait forever. Keep it under vitest's testTimeout (300 s) so the failure says what it
 * waited for.
 */
export const PATIENCE_MS = 180_000;
const CLI = join(ROOT, 'src/main/cli.ts');

export interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion. */
export function runCli(
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs?: number },
): Promise<Done> {
  const child = startCli(args, opts);
  return child.done;
}

export interface Started {
  child: ChildProcess;
  done: Promise<Done>;
  output(): string;
}

// Children still running when the test process ends (a failed or timed-out test) are killed.
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export function startCli(
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs?: number },
): Started {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: opts.env,
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 270_000);
  const done = new Promise<Done>((res) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      res({ code, signal, stdout, stderr });
    }),
  );
  return { child, done, output: () => stdout + stderr };
}

/** Waits for `tiksuite serve` to write its URL into the home directory. */
export async function serverUrl(home: string, started: Started, ms = PATIENCE_MS): Promise<string> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const info = JSON.parse(readFileSync(join(home, 'server.json'), 'utf8')) as {
        url: string;
        pid: number;
      };
      if (info.pid === started.child.pid) return info.url;
    } catch {
      // not written yet
    }
    if (started.child.exitCode !== null) throw new Error(`server exited early: ${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start: ${started.output()}`);
}

/** Headers for the REST API of a server run in `home` (development mode: its admin.token file). */
export function adminHeaders(home: string): Record<string, string> {
  return { authorization: `Bearer ${readFileSync(join(home, 'admin.token'), 'utf8').trim()}` };
}

/** Polls `fn` every `step` ms until `ok` holds; throws with the last value after `ms` (a hung test). */
export async function waitFor<T>(
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = PATIENCE_MS,
  step = 100,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, step));
  }
}

/** Bad input ends the process non-zero with one line on stderr that says what to do. */
export function oneClearLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  return lines[0]!;
}
