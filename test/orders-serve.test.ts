import { afterEach, expect, it } from 'vitest';
import { signWebhook } from '../src/connectors/tiktok-shop/index.ts';
import { type TestEnv, testEnv } from './support/env.ts';
import { serverUrl, startCli } from './support/proc.ts';
import { writeOrdersConfig } from './support/serve.ts';

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.cleanup();
  env = undefined;
});

it('`tiksuite serve` with tiktok:/netsuite:/shops: configured serves the signed webhook endpoint outside the admin token', async () => {
  env = testEnv('orders-serve');
  writeOrdersConfig(env.home);
  const server = startCli(['serve', '--port', '0'], { env: env.childEnv, cwd: env.home });
  try {
    const url = await serverUrl(env.home, server);
    const body = JSON.stringify({
      type: 1,
      tts_notification_id: 'serve-1',
      shop_id: '7001',
      timestamp: 1_800_000_000,
      data: { order_id: '42', order_status: 'AWAITING_SHIPMENT', update_time: 1_800_000_000 },
    });
    const post = (auth: string) =>
      fetch(`${url}/webhooks/tiktok`, { method: 'POST', headers: { authorization: auth }, body });
    expect((await post('bad')).status).toBe(401);
    const ok = await post(signWebhook('app-key', 'app-secret', body));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
    // The REST API stays behind the admin token.
    expect((await fetch(`${url}/api/flows`)).status).toBe(401);
  } finally {
    server.child.kill('SIGTERM');
    await server.done;
  }
});
