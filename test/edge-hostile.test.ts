/**
 * Hostile JSON at a real `tiksuite serve` process (issue #11 audit): a body nested 20,000 levels deep
 * (100 KB) is a 400 naming the problem, never a 500 from a stack overflow, and the server answers
 * on afterwards.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestEnv, testEnv } from './support/env.ts';
import { type Started, serverUrl, startCli } from './support/proc.ts';
import { writeOrdersConfig } from './support/serve.ts';

const TOKEN = 'edge-hostile-admin-token-0123456789';
let env: TestEnv;
let server: Started;
let url: string;
beforeAll(async () => {
  env = testEnv('edge-hostile');
  writeOrdersConfig(env.home);
  server = startCli(['serve', '--port', '0'], {
    env: { ...env.childEnv, TIKSUITE_ADMIN_TOKEN: TOKEN },
    cwd: env.home,
  });
  url = await serverUrl(env.home, server);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.done;
  await env.cleanup();
});

const nested = (depth: number) => `{"params":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;

it('`tiksuite serve` answers a JSON body nested 20,000 levels deep with a 400 naming the depth', async () => {
  for (const path of [
    '/api/flows/selftest/runs',
    '/api/errors/00000000-0000-4000-8000-000000000000/retry',
    '/api/errors/00000000-0000-4000-8000-000000000000/resolve',
  ]) {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: nested(20_000),
    });
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status, `${path}: ${JSON.stringify(body)}`).toBe(400);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toMatch(/nests deeper than 64 levels/);
  }
  const ok = await fetch(`${url}/api/flows/selftest/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ params: { records: 1 } }),
  });
  expect(ok.status).toBe(202);
});
