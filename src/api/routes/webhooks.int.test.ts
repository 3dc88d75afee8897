/**
 * Hostile pushes against POST /webhooks/tiktok of the real app (signed like TikTok signs them, the
 * real intake and database): whatever a push carries, the answer is 200 (stored, or a true replay),
 * 400 naming the field, 413 or 503, never a 500, and distinct notification ids stay distinct.
 */
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEnv, testEnv, usePostgres } from '../../../test/support/env.ts';
import { signWebhook } from '../../connectors/tiktok-shop/index.ts';
import { createWebhookReceiver } from '../../flows/orders/intake.ts';
import { openRuntime, type Runtime } from '../../main/runtime.ts';
import { silentLogger } from '../../shared/log.ts';
import { migrateToLatest, openDatabase } from '../../store/index.ts';
import type { Database } from '../../store/schema.ts';
import { createApp } from '../app.ts';

let env: TestEnv;
let rt: Runtime;
let app: ReturnType<typeof createApp>;
const APP = { appKey: 'app-key', appSecret: 'app-secret' };
const appWith = (webhooks: ReturnType<typeof createWebhookReceiver>) =>
  createApp({
    stores: rt.stores,
    engine: rt.engine,
    registry: rt.registry,
    log: silentLogger(),
    readiness: {},
    auth: { token: 'test-admin-token-0123456789', metricsPublic: true },
    webhooks,
  });

beforeAll(async () => {
  env = testEnv('edge-webhook');
  rt = await openRuntime(env.config(), { log: silentLogger() });
  app = appWith(createWebhookReceiver({ db: rt.handle.intake, app: APP }));
});
afterAll(async () => {
  await rt.close({ graceMs: 0 });
  await env.cleanup();
});

let seq = 0;
/** A type-1 push (reference §9.3 sample) with fields overridden; a fresh notification id each. */
function body(envelope: Record<string, unknown> = {}, data: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 1,
    tts_notification_id: `7327112393057${String(++seq).padStart(6, '0')}`,
    shop_id: '7494049642642441621',
    timestamp: 1_800_000_000,
    data: {
      order_id: '576486316948490001',
      order_status: 'AWAITING_SHIPMENT',
      update_time: 1_800_000_000,
      ...data,
    },
    ...envelope,
  });
}

async function send(text: string, app_ = app) {
  const res = await app_.request('/webhooks/tiktok', {
    method: 'POST',
    body: text,
    headers: {
      authorization: signWebhook(APP.appKey, APP.appSecret, text),
      'content-type': 'application/json',
    },
  });
  const json = (await res.json()) as {
    ok: boolean;
    duplicate?: boolean;
    error?: { code: string; message: string };
  };
  return { status: res.status, ...json };
}

const stored = (id: string) =>
  rt.stores.db.selectFrom('tiktok_webhooks').selectAll().where('notification_id', '=', id).executeTakeFirst();

describe('POST /webhooks/tiktok with hostile pushes', () => {
  it('refuses a NUL or half a surrogate in shop_id or order_id with 400 naming the field', async () => {
    for (const [envelope, data, field] of [
      [{ shop_id: '749\u0000' }, {}, /shop_id contains a NUL/],
      [{ shop_id: '749\ud83d' }, {}, /shop_id contains half of a UTF-16 surrogate pair/],
      [{}, { order_id: '5764\u0000' }, /data\.order_id must be one TikTok order id/],
      [{}, { order_id: '\udc00' }, /data\.order_id must be one TikTok order id/],
    ] as const) {
      const res = await send(body(envelope, data));
      expect(res).toMatchObject({ status: 400, ok: false, error: { code: 'tiktok_webhook_invalid' } });
      expect(res.error?.message).toMatch(field);
    }
  });

  it('refuses a type outside 1..2^31-1 (or not an integer) with 400 naming type', async () => {
    for (const type of ['2147483648', '1e20', '-1', '0', '1.5', '99999999999999999999', '"1"']) {
      const text = body().replace('"type":1,', `"type":${type},`);
      const res = await send(text);
      expect(res, type).toMatchObject({ status: 400, error: { code: 'tiktok_webhook_invalid' } });
      expect(res.error?.message, type).toMatch(/type/);
    }
    // An unknown but storable type is kept for the replay guard.
    expect(await send(body({ type: 2147483647 }))).toMatchObject({ status: 200, ok: true });
  });

  it('refuses an unusable order id (comma-joined, 20,000 digits, empty, not numeric) with 400', async () => {
    for (const orderId of ['1,2', '9'.repeat(20_000), '', 'abc', '-5', ' 576486316948490001']) {
      const res = await send(body({}, { order_id: orderId }));
      expect(res, orderId.slice(0, 20)).toMatchObject({
        status: 400,
        error: { code: 'tiktok_webhook_invalid' },
      });
      expect(res.error?.message).toMatch(
        orderId ? /data\.order_id must be one TikTok order id, a numeric string/ : /data\.order_id/,
      );
    }
    // A 20,000-digit bare number too; an 18-digit bare number keeps its exact digits.
    const bare = (n: string) => body().replace('"order_id":"576486316948490001"', `"order_id":${n}`);
    expect(await send(bare('9'.repeat(20_000)))).toMatchObject({ status: 400 });
    const exact = bare('576486316948490001').replace(
      /"tts_notification_id":"\d+"/,
      '"tts_notification_id":"exact-1"',
    );
    expect(await send(exact)).toMatchObject({ status: 200, ok: true });
    expect((await stored('tts:exact-1'))?.order_id).toBe('576486316948490001');
  });

  it('accepts a long number inside a text field (it is text, not an id to quote)', async () => {
    const text = body(
      {},
      { order_status: 'AWAITING_SHIPMENT', note: 'call me :12345678901234567, or [98765432109876543]' },
    );
    expect(await send(text)).toMatchObject({ status: 200, ok: true });
  });

  it('stores notification ids with a NUL or half a surrogate losslessly: distinct ids stay distinct, a replay is a duplicate', async () => {
    const ids = ['n-\u0000', 'n-\ud800', 'n-\udbff', 'n-\\u0000', 'n-\ud83d\ude00'];
    const pushes = ids.map((id) => body({ tts_notification_id: id }));
    for (const p of pushes) expect(await send(p)).toEqual({ status: 200, ok: true });
    for (const p of pushes) expect(await send(p)).toEqual({ status: 200, ok: true, duplicate: true });
    expect(await stored('esc:tts:n-\\u0000')).toBeDefined();
    expect(await stored('esc:tts:n-\\ud800')).toBeDefined();
    expect(await stored('tts:n-\\u0000')).toBeDefined();
    expect(await stored('tts:n-\ud83d\ude00')).toBeDefined();
  });

  it('refuses ids too long to key on with 400 naming the field', async () => {
    const long = await send(body({ tts_notification_id: 'z'.repeat(20_000) }));
    expect(long).toMatchObject({ status: 400, error: { code: 'tiktok_webhook_invalid' } });
    expect(long.error?.message).toMatch(/tts_notification_id is 20000 characters long/);
    const shop = await send(body({ shop_id: '7'.repeat(65) }));
    expect(shop.error?.message).toMatch(/shop_id is 65 characters long/);
  });

  it('stores the good pushes of a batch when the database refuses one row (400 for that one only)', async () => {
    // The database refuses one shop's rows (a constraint injected into the real table).
    await sql`ALTER TABLE tiktok_webhooks ADD CONSTRAINT refuse_shop CHECK (shop_id <> '666')`.execute(
      rt.stores.db,
    );
    try {
      const pushes = Array.from({ length: 40 }, (_, i) => body(i === 17 ? { shop_id: '666' } : {}));
      const answers = await Promise.all(pushes.map((p) => send(p)));
      expect(answers[17]).toMatchObject({ status: 400, error: { code: 'tiktok_webhook_invalid' } });
      expect(answers[17]?.error?.message).toMatch(/^the push cannot be stored: /);
      expect(answers.filter((a) => a.status === 200 && !a.duplicate)).toHaveLength(39);
    } finally {
      await sql`ALTER TABLE tiktok_webhooks DROP CONSTRAINT refuse_shop`.execute(rt.stores.db);
    }
  });

  it('answers 503 (TikTok delivers again), never 500 or 200, when PostgreSQL cannot be reached', async () => {
    // A real PostgreSQL client pointed at a port where no server listens.
    const pool = new pg.Pool({
      connectionString: 'postgres://postgres@127.0.0.1:9/none',
      connectionTimeoutMillis: 5000,
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      const res = await send(body(), appWith(createWebhookReceiver({ db, app: APP })));
      expect(res).toMatchObject({ status: 503, ok: false, error: { code: 'database_unreachable' } });
      expect(res.error?.message).toMatch(/deliver it again/);
    } finally {
      await db.destroy();
    }
  });

  it.skipIf(usePostgres)('answers 503 when the embedded database is closed', async () => {
    const other = testEnv('edge-webhook-down');
    try {
      const c = other.config();
      const handle = await openDatabase({
        url: c.database.url,
        dataDir: join(other.home, 'data'),
        schema: other.schema,
      });
      await migrateToLatest(handle);
      const down = appWith(createWebhookReceiver({ db: handle.intake, app: APP }));
      await handle.close();
      expect(await send(body(), down)).toMatchObject({
        status: 503,
        error: { code: 'database_unreachable' },
      });
    } finally {
      await other.cleanup();
    }
  });
});

/** A 200 MB body produced on demand in 64 KiB chunks; `pulled()` says how much was asked for. */
function bigStream(total = 200 * 1024 * 1024) {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => sent };
}

describe('body limits of the endpoints open to the internet', () => {
  for (const [path, limit] of [
    ['/webhooks/tiktok', 256 * 1024],
    ['/login', 16 * 1024],
  ] as const) {
    it(`${path}: 413 from the Content-Length, and for a chunked body before it is read whole`, async () => {
      const declared = await app.request(path, {
        method: 'POST',
        body: 'x'.repeat(limit + 1),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(declared.status).toBe(413);
      expect(await declared.json()).toMatchObject({
        error: { code: 'request_too_large', message: /larger than/ },
      });
      const big = bigStream();
      const chunked = await app.request(path, {
        method: 'POST',
        body: big.stream,
        duplex: 'half',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      } as RequestInit);
      expect(chunked.status).toBe(413);
      expect(await chunked.json()).toMatchObject({ error: { code: 'request_too_large' } });
      // Refused after the limit plus at most a few chunks of read-ahead, not 200 MB.
      expect(big.pulled()).toBeLessThan(limit + 1024 * 1024);
    });
  }

  it('a push just under the webhook limit is still read and answered', async () => {
    const text = body({}, { note: 'y'.repeat(200 * 1024) });
    expect(await send(text)).toMatchObject({ status: 200, ok: true });
  });
});
