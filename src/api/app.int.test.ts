import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEnv, testEnv } from '../../test/support/env.ts';
import { waitFor } from '../../test/support/proc.ts';
import { selftestFlow } from '../flows/selftest.ts';
import { openRuntime, type Runtime } from '../main/runtime.ts';
import { silentLogger } from '../shared/log.ts';
import { pingDatabase } from '../store/index.ts';
import { createApp } from './app.ts';

let env: TestEnv;
let rt: Runtime;
let app: ReturnType<typeof createApp>;
const TOKEN = 'test-admin-token-0123456789';
const req = (path: string, init: RequestInit = {}) =>
  app.request(path, { ...init, headers: { authorization: `Bearer ${TOKEN}`, ...init.headers } });

beforeAll(async () => {
  env = testEnv('api');
  rt = await openRuntime(env.config(), { log: silentLogger(), flows: [selftestFlow as never] });
  await rt.engine.work();
  app = createApp({
    stores: rt.stores,
    engine: rt.engine,
    registry: rt.registry,
    log: silentLogger(),
    readiness: { database: () => pingDatabase(rt.handle), queue: () => rt.boss.getQueues() },
    auth: { token: TOKEN, metricsPublic: true },
  });
});
afterAll(async () => {
  await rt.close({ graceMs: 0 });
  await env.cleanup();
});

const post = (path: string, body: string) =>
  req(path, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

describe('HTTP API', () => {
  it('answers health, readiness and metrics', async () => {
    expect(await (await req('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await req('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', queue: 'ok' } });
    const metrics = await (await req('/metrics')).text();
    expect(metrics).toContain('tiksuite_records_total');
    expect(metrics).toContain('tiksuite_queue_jobs');
  });

  it('starts a run, reports it, and counts it in the metrics', async () => {
    const res = await post('/api/flows/selftest/runs', JSON.stringify({ params: { records: 25 } }));
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    type Run = { status: string; succeeded: number } | undefined;
    const run = await waitFor(
      async () => ((await (await req(`/api/runs/${runId}`)).json()) as { run: Run }).run,
      (r) => r !== undefined && r.status !== 'running',
    );
    expect(run).toMatchObject({ status: 'succeeded', succeeded: 25 });
    const list = (await (await req('/api/runs?flow=selftest')).json()) as { runs: { id: string }[] };
    expect(list.runs.map((r) => r.id)).toContain(runId);
    expect(await (await req('/metrics')).text()).toMatch(
      /tiksuite_records_total\{flow="selftest",outcome="succeeded"\} 25/,
    );
  });

  it('answers bad requests with a 4xx that names the field, never a 500', async () => {
    const badJson = await post('/api/flows/selftest/runs', '{nope');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({
      error: { code: 'validation_failed', message: /not valid JSON/ },
    });
    const badField = await post('/api/flows/selftest/runs', JSON.stringify({ trigger: 'sometimes' }));
    expect(badField.status).toBe(400);
    expect(((await badField.json()) as { error: { message: string } }).error.message).toMatch(/^trigger: /);
    expect((await post('/api/flows/nope/runs', '{}')).status).toBe(404);
    expect((await req('/api/runs?limit=0')).status).toBe(400);
    expect((await req('/api/runs/not-a-uuid')).status).toBe(404);
    expect((await req('/api/errors/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await post('/api/errors/00000000-0000-4000-8000-000000000000/retry', '{}')).status).toBe(404);
    expect((await post('/api/errors/x/resolve', JSON.stringify({ note: 5 }))).status).toBe(400);
    expect((await req('/api/errors?status=weird')).status).toBe(400);
    expect((await req('/nowhere')).status).toBe(404);
  });
});
