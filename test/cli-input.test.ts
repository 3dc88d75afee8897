/**
 * Bad values given to the real `tiksuite` process: each exits 2 with one line naming the option or
 * parameter and what is expected, and nothing is started or stored. The same rule holds through a
 * running server's API (run parameters, an edited payload to retry).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRuntime } from '../src/main/runtime.ts';
import { silentLogger } from '../src/shared/log.ts';
import { type TestEnv, testEnv, usePostgres } from './support/env.ts';
import { adminHeaders, oneClearLine, runCli, serverUrl, startCli, waitFor } from './support/proc.ts';

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
});

const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  runCli(args, { env: { ...env!.childEnv, ...extra }, cwd: env!.home });

describe('tiksuite: bad option and parameter values exit 2 with the option named', () => {
  it('--limit, -p key=value, and options that would be ignored', async () => {
    env = testEnv('cli-values');
    const cases: [string[], RegExp][] = [
      [['run', 'selftest', '-p', 'noequals'], /--param "noequals" must look like key=value/],
      [['runs', '--limit', '-5'], /--limit must be an integer between 1 and 500/],
      [['runs', '--limit', 'abc'], /--limit must be an integer between 1 and 500/],
      [['errors', 'list', '--limit', '-1'], /--limit must be an integer between 1 and 1000/],
      [['errors', 'list', '--limit', 'abc'], /--limit must be an integer between 1 and 1000/],
      [['errors', 'list', '--grouped', '--limit', '5'], /--limit cannot be used with --grouped/],
      [['errors', 'retry', 'x', '--group', '--payload', 'p.json'], /--payload cannot be used with --group/],
      [['--pretty', 'runs'], /--pretty does not apply to `tiksuite runs`/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneClearLine(r.stderr), args.join(' ')).toMatch(message);
    }
  });

  it('run parameters the flow refuses: exit 2 naming the parameter, and no run is started', async () => {
    env = testEnv('cli-params');
    for (const [args, message] of [
      [['run', 'selftest', '-p', 'records=abc'], /flow selftest: parameter records: .*expected number/],
      [['run', 'selftest', '-p', 'recods=5'], /unknown parameter recods \(known: records, workMs/],
    ] as const) {
      const r = await cli([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneClearLine(r.stderr), args.join(' ')).toMatch(message);
    }
    const runs = await cli(['runs', '--json']);
    expect(JSON.parse(runs.stdout)).toEqual([]);
    const good = await cli(['run', 'selftest', '-p', 'records=3', '-p', 'workMs=0']);
    expect(good.code, good.stderr).toBe(0);
  });
});

describe('tiksuite config check', () => {
  it('checks the DATABASE_URL syntax, the secret key format and a real connection', async () => {
    env = testEnv('cli-config-check');
    const unreachable = await cli(['config', 'check'], {
      DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/nothing',
    });
    expect(unreachable.code).toBe(1);
    const line = oneClearLine(unreachable.stderr);
    expect(line).toMatch(
      /cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nothing/,
    );
    expect(line).not.toContain('hunter2');
    expect(unreachable.stdout).toMatch(/^configuration OK, but the database is UNREACHABLE/);

    const skipped = await cli(['config', 'check', '--no-connect'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing',
    });
    expect(skipped.code, skipped.stderr).toBe(0);

    for (const [extra, message] of [
      [
        { DATABASE_URL: 'not a url' },
        /DATABASE_URL \(database\.url\) is not a valid URL: expected postgres:\/\//,
      ],
      [{ DATABASE_URL: 'mysql://h/db' }, /DATABASE_URL \(database\.url\) must start with postgres:\/\//],
      [{ TIKSUITE_SECRET_KEY: 'abc' }, /TIKSUITE_SECRET_KEY must be 32 random bytes as 64 hex characters/],
    ] as const) {
      const r = await cli(['config', 'check'], extra);
      expect(r.code, JSON.stringify(extra)).toBe(2);
      expect(oneClearLine(r.stderr)).toMatch(message);
    }
  });

  it.runIf(usePostgres)('says OK when PostgreSQL answers', async () => {
    env = testEnv('cli-config-ok');
    const r = await cli(['config', 'check']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^configuration OK\n/);
  });
});

/** An open error record of the selftest flow whose payload fails the flow's payload schema. */
async function invalidSelftestError(e: TestEnv): Promise<string> {
  const rt = await openRuntime(e.config(), { log: silentLogger() });
  try {
    await rt.engine.work();
    const { runId } = await rt.engine.submit('selftest', [{ key: 'selftest:t:1', payload: { n: 'one' } }]);
    await waitFor(
      () => rt.stores.runs.get(runId),
      (r) => r?.status !== 'running',
    );
    const [err] = await rt.stores.errors.list();
    return err!.id;
  } finally {
    await rt.close({ graceMs: 0 });
  }
}

describe('tiksuite errors retry --payload', () => {
  it('refuses a payload that fails the schema, holds a NUL or an unpaired surrogate, or is not JSON, and stores none of them', async () => {
    env = testEnv('cli-retry');
    const id = await invalidSelftestError(env);
    const files: [string, string, RegExp][] = [
      ['schema.json', '{"n":"two","workMs":0}', /payload to retry is still invalid: n: /],
      ['nul.json', '{"n":1,"workMs":0,"note":"a\\u0000b"}', /note contains a NUL character/],
      ['half.json', '{"n":1,"workMs":0,"note":"\\ud83d"}', /note contains half of a UTF-16 surrogate pair/],
      ['text.json', 'n=1', /--payload text\.json must be a readable JSON file/],
    ];
    for (const [file, text, message] of files) {
      writeFileSync(join(env.home, file), text);
      const r = await cli(['errors', 'retry', id, '--payload', file]);
      expect(r.code, `${file}: ${r.stderr}`).toBe(2);
      expect(oneClearLine(r.stderr), file).toMatch(message);
    }
    const shown = await cli(['errors', 'show', id, '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ status: 'open', editedPayload: null });
  });

  it('through a running server: run parameters and a bad payload are 400 and nothing is stored', async () => {
    env = testEnv('api-retry');
    const id = await invalidSelftestError(env);
    const server = startCli(['serve', '--port', '0'], { env: env.childEnv, cwd: env.home });
    try {
      const url = await serverUrl(env.home, server);
      const post = (path: string, body: unknown) =>
        fetch(`${url}/api${path}`, {
          method: 'POST',
          headers: { ...adminHeaders(env!.home), 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const run = await post('/flows/selftest/runs', { params: { records: 'abc' } });
      expect(run.status).toBe(400);
      expect(JSON.stringify(await run.json())).toMatch(/parameter records/);
      const retry = await post(`/errors/${id}/retry`, { payload: { n: 'two', workMs: 0 } });
      expect(retry.status).toBe(400);
      const nul = await post(`/errors/${id}/retry`, { payload: { n: 1, workMs: 0, note: 'a\u0000b' } });
      expect(nul.status).toBe(400);
      const got = await fetch(`${url}/api/errors/${id}`, { headers: adminHeaders(env.home) });
      expect(((await got.json()) as { error: unknown }).error).toMatchObject({ editedPayload: null });
      const runs = await fetch(`${url}/api/runs?flow=selftest`, { headers: adminHeaders(env.home) });
      // Only the run the submit made: the refused parameters started none.
      expect(((await runs.json()) as { runs: unknown[] }).runs).toHaveLength(1);
    } finally {
      server.child.kill('SIGTERM');
      expect((await server.done).code).toBe(0);
    }
  });
});
