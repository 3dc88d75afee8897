/**
 * Webhook pushes (reference §9.3-9.5): signed with HMAC(app_secret, app_key + body) in the
 * `Authorization` header, POSTed to the address subscribed for the event type. Switches for
 * delay, duplicates, out-of-order delivery and retries on failure (all UNCONFIRMED behaviour).
 */
import type { FetchFn } from '../../../shared/http.ts';
import { EVENT_TYPE_BY_NUMBER } from '../manifest.ts';
import { signWebhook } from '../signing.ts';
import type { Ctx } from './context.ts';
import { ID_PREFIX } from './rng.ts';

export interface DeliveryRecord {
  notificationId: string;
  shopId: string;
  type: number;
  address: string;
  attempt: number;
  status: number | null;
  error: string | null;
  at: number;
}

const MAX_LOG = 2000;

export class WebhookPusher {
  readonly #ctx: () => Ctx;
  readonly #fetch: FetchFn;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #inflight = new Set<Promise<void>>();
  readonly log: DeliveryRecord[] = [];
  /** Admin subscriptions: address for every shop and event type (the Partner Center setting). */
  appAddress: string | null = null;
  sent = 0;
  #closed = false;

  constructor(ctx: () => Ctx, fetchFn: FetchFn) {
    this.#ctx = ctx;
    this.#fetch = fetchFn;
  }

  emit(shopId: string, type: number, data: Record<string, unknown>): void {
    const ctx = this.#ctx();
    const shop = ctx.state.shops.get(shopId);
    const name = EVENT_TYPE_BY_NUMBER.get(type);
    const address = (name && shop?.webhooks.get(name)?.address) ?? this.appAddress;
    if (!address || this.#closed) return;
    const notificationId = ctx.ids.next(ID_PREFIX.notification);
    const body = JSON.stringify({
      type,
      tts_notification_id: notificationId,
      shop_id: shopId,
      timestamp: ctx.sim.nowSeconds(),
      data,
    });
    const w = ctx.settings.webhooks;
    const copies = ctx.random() < w.duplicateRate ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const jitter = w.outOfOrderWindowMs > 0 ? ctx.random() * w.outOfOrderWindowMs : 0;
      this.#schedule(w.delayMs + jitter, () =>
        this.#deliver({ notificationId, shopId, type, address, body }, 1),
      );
    }
  }

  #schedule(ms: number, run: () => Promise<void>): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const p = run().finally(() => this.#inflight.delete(p));
      this.#inflight.add(p);
    }, ms);
    this.#timers.add(timer);
  }

  async #deliver(
    d: { notificationId: string; shopId: string; type: number; address: string; body: string },
    attempt: number,
  ): Promise<void> {
    const ctx = this.#ctx();
    const rec: DeliveryRecord = {
      notificationId: d.notificationId,
      shopId: d.shopId,
      type: d.type,
      address: d.address,
      attempt,
      status: null,
      error: null,
      at: ctx.wall.now(),
    };
    try {
      const res = await this.#fetch(d.address, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: signWebhook(ctx.appKey, ctx.appSecret, d.body),
        },
        body: d.body,
        signal: AbortSignal.timeout(ctx.settings.webhooks.timeoutMs),
      });
      await res.arrayBuffer();
      rec.status = res.status;
    } catch (err) {
      rec.error = err instanceof Error ? err.message : String(err);
    }
    this.sent++;
    this.log.push(rec);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
    const ok = rec.status !== null && rec.status >= 200 && rec.status < 300;
    const wait = ctx.settings.webhooks.retryScheduleMs[attempt - 1];
    if (!ok && wait !== undefined) this.#schedule(wait, () => this.#deliver(d, attempt + 1));
  }

  /** Resolves once nothing is scheduled or in flight (tests, demo steps). */
  async idle(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while ((this.#timers.size > 0 || this.#inflight.size > 0) && Date.now() < until) {
      if (this.#inflight.size > 0)
        await Promise.race([...this.#inflight, new Promise((r) => setTimeout(r, 20))]);
      else await new Promise((r) => setTimeout(r, 5));
    }
  }

  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}
