import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestEnv, testEnv, usePostgres } from '../../../test/support/env.ts';
import { signWebhook } from '../../connectors/tiktok-shop/index.ts';
import { type DbHandle, migrateToLatest, openDatabase } from '../../store/index.ts';
import { createWebhookReceiver } from './intake.ts';

let env: TestEnv | undefined;
let handle: DbHandle | undefined;
afterEach(async () => {
  await handle?.close();
  await env?.cleanup();
  handle = undefined;
});

const app = { appKey: 'k', appSecret: 's' };
const push = (id: string, orderId: string) => {
  const body = JSON.stringify({
    type: 1,
    tts_notification_id: id,
    shop_id: '7001',
    timestamp: 1_800_000_000,
    data: { order_id: orderId, order_status: 'AWAITING_SHIPMENT', update_time: 1_800_000_000 },
  });
  return { raw: new TextEncoder().encode(body), sig: signWebhook(app.appKey, app.appSecret, body) };
};

describe(`webhook intake (${usePostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('stores a burst of concurrent pushes once each, replays (also within one group commit) answered as duplicates', async () => {
    env = testEnv('intake');
    const c = env.config();
    handle = await openDatabase({ url: c.database.url, dataDir: join(env.home, 'data'), schema: env.schema });
    await migrateToLatest(handle);
    let wakes = 0;
    const receiver = createWebhookReceiver({ db: handle.intake, app, onStored: () => wakes++ });
    // 300 distinct notifications, a third of them sent twice in the same burst.
    const sends = Array.from({ length: 300 }, (_, i) => push(`n-${i}`, `${100 + (i % 250)}`));
    const burst = [...sends, ...sends.filter((_, i) => i % 3 === 0)];
    const answers = await Promise.all(burst.map((p) => receiver.receive(p.raw, p.sig)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => !a.body.duplicate)).toHaveLength(300);
    expect(answers.filter((a) => a.body.duplicate)).toHaveLength(100);
    expect(wakes).toBe(300);
    const rows = await handle.db
      .selectFrom('tiktok_webhooks')
      .select(['notification_id', 'order_id'])
      .execute();
    expect(new Set(rows.map((r) => r.notification_id)).size).toBe(300);
    // A later replay of a stored push is still a duplicate; a bad signature stores nothing.
    const again = await receiver.receive(sends[7]!.raw, sends[7]!.sig);
    expect(again.body).toEqual({ ok: true, duplicate: true });
    expect((await receiver.receive(sends[8]!.raw, 'forged')).status).toBe(401);
  });
});
