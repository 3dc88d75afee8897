/**
 * The intake pump: claims pending inbox rows (a lease, FOR UPDATE SKIP LOCKED, so several
 * processes can pump), reads the orders in full in batches of 50, submits them to the import flow,
 * then marks the rows done. A crash between claim and done leaves the claim to expire and the rows
 * are pumped again; the records de-duplicate by version. Rounds join the flow's open webhook run
 * (one run per burst, ADR 5) and the pump closes it once idle. Also purges rows past the retention.
 */
import { sql } from 'kysely';
import { isOrderId } from '../../connectors/tiktok-shop/index.ts';
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import type { Stores } from '../../store/index.ts';
import type { RunWindow } from '../../store/runs.ts';
import type { FlowEngine } from '../engine/engine.ts';
import { type SourceReporter, WEBHOOK_INTAKE } from '../watchdog/reporter.ts';
import type { OrderServices } from './deps.ts';
import { ORDER_IMPORT_FLOW, type OrderRecords, orderRecords } from './fetch.ts';
import { decide } from './policy.ts';

export interface PumpOptions {
  /** Idle poll of the inbox (a stored webhook wakes the pump at once). */
  intervalMs?: number;
  /** Rows claimed per round. */
  batch?: number;
  /**
   * During a burst (a round found 50 rows or more, but less than a full batch) the next round waits
   * this long, so the pushes are read and queued in a few large rounds instead of one small round per
   * push (each round costs TikTok calls and an enqueue transaction however few rows it carries).
   */
  gatherMs?: number;
  claimSeconds?: number;
  /** Rounds join one open run per burst (ADR 5): closed after this long without pushes, or at most. */
  runWindow?: RunWindow;
}

export interface PumpDeps {
  stores: Stores;
  engine: FlowEngine;
  services: OrderServices;
  log: Logger;
  /** Tells the stall watchdog how each round went. */
  health?: SourceReporter;
}

/** Rows a round must find before the next round waits `gatherMs` for more (a burst is under way). */
const GATHER_FROM_ROWS = 50;

export class OrderIntakePump {
  readonly #deps: PumpDeps;
  readonly #opts: Required<PumpOptions>;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  #lastPurge = 0;
  /** After a failed round, wake-ups wait until then (doubling back-off), so a broken shop can't spin. */
  #backoffUntil = 0;
  #failures = 0;

  constructor(deps: PumpDeps, opts: PumpOptions = {}) {
    this.#deps = deps;
    this.#opts = {
      intervalMs: 1000,
      batch: 500,
      claimSeconds: 60,
      gatherMs: 100,
      runWindow: { idleSeconds: 10, maxSeconds: 300 },
      ...opts,
    };
  }

  start(): void {
    this.#stopped = false;
    this.wake();
  }

  /** Stops; a round still waiting on TikTok gets `graceMs`, then its claimed rows simply expire and are pumped again. */
  async stop(graceMs = 5000): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => {
      timer = setTimeout(r, graceMs);
    });
    await Promise.race([this.#running, grace]);
    clearTimeout(timer);
  }

  /** Runs a round now (or right after the current one). */
  wake(): void {
    if (this.#stopped) return;
    const backoff = this.#backoffUntil - Date.now();
    if (backoff > 0) {
      // A timer may fire a millisecond before Date.now() says the back-off is over: re-arm it, or
      // the pump would never run again and the inbox would stall for good.
      if (!this.#running) {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.wake(), backoff);
      }
      return;
    }
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
      const wait = Math.max(this.#again ? 0 : this.#opts.intervalMs, this.#backoffUntil - Date.now());
      if (!this.#stopped) this.#timer = setTimeout(() => this.wake(), wait);
      this.#again = false;
    });
  }

  async #loop(): Promise<void> {
    let handled = 0;
    try {
      for (;;) {
        const n = this.#stopped ? 0 : await this.drainOnce();
        handled += n;
        if (n === 0) break;
        // Only in a burst (a round that found many rows): a trickle is read at once, so a reservation
        // (docs/inventory.md) is taken as soon as the order is known.
        if (n >= GATHER_FROM_ROWS && n < this.#opts.batch)
          await new Promise((r) => setTimeout(r, this.#opts.gatherMs));
      }
      // Also on the idle tick, so the burst's run closes once the pushes stop.
      await this.#deps.engine.closeIdleRuns();
      await this.#purge();
      this.#failures = 0;
      // Progress is rows handled: a round finding only rows a failed round still holds proves nothing.
      if (handled > 0) this.#deps.health?.ok(ORDER_IMPORT_FLOW, WEBHOOK_INTAKE);
    } catch (err) {
      this.#failures++;
      this.#deps.health?.failed(ORDER_IMPORT_FLOW, WEBHOOK_INTAKE, err);
      const ms = Math.min(30_000, 500 * 2 ** Math.min(this.#failures, 6));
      this.#backoffUntil = Date.now() + ms;
      this.#deps.log.error(
        { err: errorMessage(err), retryInMs: ms },
        'webhook intake pump failed; rows will be retried',
      );
    }
  }

  /** One round: returns how many inbox rows it handled. */
  async drainOnce(): Promise<number> {
    const { stores, engine, services } = this.#deps;
    const rows = await this.#claim();
    if (rows.length === 0) return 0;
    const byShop = Map.groupBy(rows, (r) => r.shop_id);
    const records: OrderRecords['records'] = [];
    const unread: OrderRecords['unread'] = [];
    const done: string[] = [];
    let failure: unknown;
    for (const [shopId, list] of byShop) {
      try {
        if (services.shops.has(shopId)) {
          // A row stored before the intake checked order ids ("1,2", 20,000 digits) is marked done
          // unread, so it cannot fail its shop's round again and again.
          const ids = list.map((r) => r.order_id ?? '').filter(isOrderId);
          const read = await orderRecords(services, shopId, ids);
          records.push(...read.records);
          unread.push(...read.unread);
        }
        done.push(...list.map((r) => r.notification_id));
      } catch (err) {
        // This shop's rows stay claimed until the claim expires; the other shops go on.
        failure = err;
      }
    }
    // An unreadable order is queued too: it becomes its own error record (fetch.ts).
    const queued = [...(await this.#importable(records)), ...unread];
    if (queued.length)
      await engine.submit(ORDER_IMPORT_FLOW, queued, 'webhook', { window: this.#opts.runWindow });
    if (done.length)
      await stores.db
        .updateTable('tiktok_webhooks')
        .set({ processed_at: new Date(), claimed_until: null })
        .where('notification_id', 'in', done)
        .execute();
    if (failure) throw failure;
    return rows.length;
  }

  /**
   * Leaves out orders the import flow could only mark "wait" (still ON_HOLD or UNPAID, never
   * imported). During a live event that is nearly every order for an hour, and queueing each one
   * only to decide "not yet" would take the CPU the webhook answers need. Nothing is lost: the
   * status change that ends the wait is pushed again, and the polling backstop finds it otherwise.
   */
  async #importable(records: OrderRecords['records']) {
    const { services, stores } = this.#deps;
    const waiting = records.filter(
      (r) => decide(r.payload.order, undefined, services.settings, services.mappings).kind === 'wait',
    );
    if (waiting.length === 0) return records;
    const imported = await stores.db
      .selectFrom('order_sync')
      .select(['shop_id', 'order_id'])
      .where('sales_order_id', 'is not', null)
      .where(
        'order_id',
        'in',
        waiting.map((r) => r.payload.order.id),
      )
      .execute();
    const keep = new Set(imported.map((r) => `${r.shop_id}:${r.order_id}`));
    const skip = new Set(waiting.filter((r) => !keep.has(`${r.payload.shopId}:${r.payload.order.id}`)));
    return records.filter((r) => !skip.has(r));
  }

  async #claim() {
    const { batch, claimSeconds } = this.#opts;
    const res = await sql<{ notification_id: string; shop_id: string; order_id: string | null }>`
      UPDATE tiktok_webhooks SET claimed_until = now() + make_interval(secs => ${claimSeconds})
      WHERE notification_id IN (
        SELECT notification_id FROM tiktok_webhooks
        WHERE processed_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
        ORDER BY received_at LIMIT ${batch} FOR UPDATE SKIP LOCKED)
      RETURNING notification_id, shop_id, order_id`.execute(this.#deps.stores.db);
    return res.rows;
  }

  async #purge(): Promise<void> {
    if (Date.now() - this.#lastPurge < 10 * 60_000) return;
    this.#lastPurge = Date.now();
    const hours = this.#deps.services.settings.webhookRetentionHours;
    await this.#deps.stores.db
      .deleteFrom('tiktok_webhooks')
      .where('processed_at', 'is not', null)
      .where('received_at', '<', sql<Date>`now() - make_interval(hours => ${hours})`)
      .execute();
  }
}
