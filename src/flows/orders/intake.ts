/**
 * Webhook intake. `receive` verifies the push on its raw bytes, parses it, and inserts it into the
 * tiktok_webhooks inbox whose primary key (the notification id) is also the replay guard; only then
 * is 200 answered, so an answered push is never lost. Inserts are group-committed: while one INSERT
 * is in flight the pushes that arrive meanwhile gather, and the next INSERT stores them all at once,
 * so a burst costs a few statements, not one per push; they go through the database's intake lane
 * (ADR 4). The pump (pump.ts) turns inbox rows into full-order records on the import queue.
 * Reference §9.3-9.5: TikTok retries a push that is not answered 2xx within 3 seconds.
 */
import type { Insertable, Kysely } from 'kysely';
import { parseWebhook, verifyWebhookSignature } from '../../connectors/tiktok-shop/index.ts';
import { isAppError } from '../../shared/errors.ts';
import type { Database, TikTokWebhooksTable } from '../../store/schema.ts';

export interface WebhookAnswer {
  status: 200 | 400 | 401;
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
  /** Called after a new order event is stored (wakes the pump). */
  onStored?: () => void;
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
      const data = parsed.event.data as Record<string, unknown>;
      const orderId =
        ORDER_EVENTS.has(parsed.event.type) && typeof data.order_id === 'string' ? data.order_id : null;
      const inserted = await store({
        notification_id: parsed.dedupeKey,
        shop_id: parsed.event.shop_id,
        event_type: parsed.event.type,
        order_id: orderId,
        // Events without an order are kept only for the replay guard.
        processed_at: orderId ? null : new Date(),
      });
      if (inserted && orderId) deps.onStored?.();
      return { status: 200, body: { ok: true, ...(inserted ? {} : { duplicate: true }) } };
    },
  };
}

type InboxRow = Insertable<TikTokWebhooksTable>;
interface Waiter {
  row: InboxRow;
  settle: (inserted: boolean) => void;
  fail: (err: unknown) => void;
}

/** Group commit: returns whether the row was new (false: a replay of a stored notification). */
function groupCommit(db: Kysely<Database>): (row: InboxRow) => Promise<boolean> {
  const pending: Waiter[] = [];
  let flushing = false;
  async function flush(): Promise<void> {
    flushing = true;
    while (pending.length) {
      // At most 1,000 rows per INSERT (5 parameters a row, well inside PostgreSQL's 65,535).
      const batch = pending.splice(0, 1000);
      try {
        const rows = [...new Map(batch.map((w) => [w.row.notification_id, w.row])).values()];
        const stored = await db
          .insertInto('tiktok_webhooks')
          .values(rows)
          .onConflict((oc) => oc.column('notification_id').doNothing())
          .returning('notification_id')
          .execute();
        const fresh = new Set(stored.map((r) => r.notification_id));
        // A notification twice in one batch: the first copy stored it, the second is a replay.
        for (const w of batch) w.settle(fresh.delete(w.row.notification_id));
      } catch (err) {
        for (const w of batch) w.fail(err);
      }
    }
    flushing = false;
  }
  return (row) =>
    new Promise<boolean>((settle, fail) => {
      pending.push({ row, settle, fail });
      if (!flushing) void flush();
    });
}

function fail(status: 400 | 401, code: string, message: string): WebhookAnswer {
  return { status, body: { ok: false, error: { code, message } } };
}
