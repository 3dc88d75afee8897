/**
 * Webhook intake. `receive` verifies the push on its raw bytes, parses it, and inserts it into the
 * tiktok_webhooks inbox whose primary key (the notification id) is also the replay guard; only then
 * is 200 answered, so an answered push is never lost. Inserts are group-committed: while one INSERT
 * is in flight the pushes that arrive meanwhile gather, and the next INSERT stores them all at once,
 * so a burst costs a few statements, not one per push; they go through the database's intake lane
 * (ADR 4). A batch the database refuses for one row's data is inserted again row by row, so one bad
 * push cannot fail its neighbours: that push is answered 400, and a database that cannot be reached
 * is answered 503 so TikTok delivers again. The pump (pump.ts) turns inbox rows into full-order
 * records on the import queue.
 * Reference §9.3-9.5: TikTok retries a push that is not answered 2xx within 3 seconds.
 */
import type { Insertable, Kysely } from 'kysely';
import { parseWebhook, verifyWebhookSignature } from '../../connectors/tiktok-shop/index.ts';
import { errorMessage, isAppError, sqlState } from '../../shared/errors.ts';
import type { Database, TikTokWebhooksTable } from '../../store/schema.ts';

export interface WebhookAnswer {
  status: 200 | 400 | 401 | 503;
  body: { ok: boolean; duplicate?: boolean; error?: { code: string; message: string } };
}

export interface WebhookReceiver {
  receive(rawBody: Uint8Array, signature: string | undefined): Promise<WebhookAnswer>;
}

/** Push types that carry an order id: status change (1), address update (3), cancellation (11), return (12). */
const ORDER_EVENTS = new Set([1, 3, 11, 12]);

export function createWebhookReceiver(deps: {
  db: Kysely<Database>;
  app: { appKey: string; appSecret: string };
  /** Called after a new order event is stored, with its push type (wakes the pump and the aftersale poller). */
  onStored?: (eventType: number) => void;
}): WebhookReceiver {
  const store = groupCommit(deps.db);
  return {
    async receive(rawBody, signature) {
      if (!verifyWebhookSignature({ ...deps.app, rawBody, signature })) {
        return fail(401, 'tiktok_webhook_signature_invalid', 'Authorization does not sign this body');
      }
      let parsed: ReturnType<typeof parseWebhook>;
      try {
        parsed = parseWebhook(rawBody);
      } catch (err) {
        if (isAppError(err)) return fail(400, err.code, err.message);
        return fail(400, 'tiktok_webhook_invalid', 'the body is not a TikTok Shop push');
      }
      const orderId = ORDER_EVENTS.has(parsed.event.type) ? stringField(parsed.event.data, 'order_id') : null;
      const outcome = await store({
        notification_id: parsed.dedupeKey,
        shop_id: parsed.event.shop_id,
        event_type: parsed.event.type,
        order_id: orderId,
        // Events without an order are kept only for the replay guard.
        processed_at: orderId ? null : new Date(),
      });
      if (outcome.kind === 'unstorable')
        return fail(400, 'tiktok_webhook_invalid', `the push cannot be stored: ${outcome.reason}`);
      if (outcome.kind === 'unavailable')
        return fail(
          503,
          'database_unreachable',
          `the push was not stored (the database did not answer: ${outcome.reason}); deliver it again`,
        );
      if (outcome.kind === 'stored' && orderId) deps.onStored?.(parsed.event.type);
      return { status: 200, body: { ok: true, ...(outcome.kind === 'stored' ? {} : { duplicate: true }) } };
    },
  };
}

function stringField(data: Record<string, unknown>, key: string): string | null {
  const value = data[key];
  return typeof value === 'string' ? value : null;
}

type InboxRow = Insertable<TikTokWebhooksTable>;
/** stored: new; duplicate: a replay of a stored notification; the others were not stored. */
type StoreOutcome = { kind: 'stored' | 'duplicate' } | { kind: 'unstorable' | 'unavailable'; reason: string };
interface Waiter {
  row: InboxRow;
  settle: (outcome: StoreOutcome) => void;
}

/** Group commit: every waiter is settled with an outcome, never rejected. */
function groupCommit(db: Kysely<Database>): (row: InboxRow) => Promise<StoreOutcome> {
  const pending: Waiter[] = [];
  let flushing = false;
  async function flush(): Promise<void> {
    flushing = true;
    while (pending.length) {
      // At most 1,000 rows per INSERT (5 parameters a row, well inside PostgreSQL's 65,535).
      const batch = pending.splice(0, 1000);
      try {
        const fresh = await insert(
          db,
          batch.map((w) => w.row),
        );
        // A notification twice in one batch: the first copy stored it, the second is a replay.
        for (const w of batch)
          w.settle({ kind: fresh.delete(w.row.notification_id) ? 'stored' : 'duplicate' });
      } catch (err) {
        if (!isDataError(err)) {
          for (const w of batch) w.settle({ kind: 'unavailable', reason: errorMessage(err) });
          continue;
        }
        // One row's data failed the whole statement: store the rows one by one.
        for (const w of batch) w.settle(await insertOne(db, w.row));
      }
    }
    flushing = false;
  }
  return (row) =>
    new Promise<StoreOutcome>((settle) => {
      pending.push({ row, settle });
      if (!flushing) void flush();
    });
}

/** Inserts the rows (replays insert nothing); returns the notification ids that were new. */
async function insert(db: Kysely<Database>, batch: InboxRow[]): Promise<Set<string>> {
  const rows = [...new Map(batch.map((r) => [r.notification_id, r])).values()];
  const stored = await db
    .insertInto('tiktok_webhooks')
    .values(rows)
    .onConflict((oc) => oc.column('notification_id').doNothing())
    .returning('notification_id')
    .execute();
  return new Set(stored.map((r) => r.notification_id));
}

async function insertOne(db: Kysely<Database>, row: InboxRow): Promise<StoreOutcome> {
  try {
    return { kind: (await insert(db, [row])).size ? 'stored' : 'duplicate' };
  } catch (err) {
    return { kind: isDataError(err) ? 'unstorable' : 'unavailable', reason: errorMessage(err) };
  }
}

/**
 * The database refused the data itself (SQLSTATE class 22 data exception, 23 integrity constraint,
 * 54 program limit such as an index row too large), not the connection: retrying will not help.
 */
function isDataError(err: unknown): boolean {
  return /^(22|23|54)/.test(sqlState(err) ?? '');
}

function fail(status: 400 | 401 | 503, code: string, message: string): WebhookAnswer {
  return { status, body: { ok: false, error: { code, message } } };
}
