/**
 * The settlements poller: every `settlements.pollIntervalSeconds`, each shop's statements and
 * payments from its cursor minus `rereadDays` are read and submitted (the engine skips a version
 * already done). Statements go first; a PAID payment is submitted once the statements it pays (as
 * this poll lists them) have been processed at that version, and until then the poller comes back
 * within WAIT_SECONDS: a month of big statements takes longer to read than a payment's retries last
 * (bench/settlements.bench.ts), so a payment sent with them ran out of retries. The cursor is
 * TikTok's newest statement time, saved after the records were queued and only when no payout is
 * held back (the next poll reads the same window again to find it); a shop that fails is reported
 * and the others go on.
 */
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { Periodic } from '../../shared/periodic.ts';
import type { Stores } from '../../store/index.ts';
import type { FlowEngine } from '../engine/engine.ts';
import { pollEach, type SourceReporter } from '../watchdog/reporter.ts';
import { PAYMENT_FLOW, type SettlementServices, STATEMENT_FLOW } from './deps.ts';
import { type FoundFinance, findFinance } from './discover.ts';

/** The cursor (and watchdog source) of one shop's statements. */
export const settlementSource = (shopId: string) => `statements.time:${shopId}`;

const DAY = 86_400;
/** How soon the poller looks again while payouts wait for their statements. */
const WAIT_SECONDS = 5;

export interface SettlementPollerDeps {
  stores: Stores;
  engine: FlowEngine;
  services: SettlementServices;
  log: Logger;
  health?: SourceReporter | undefined;
}

export class SettlementPoller {
  readonly #deps: SettlementPollerDeps;
  readonly #loop: Periodic;
  /** Payouts the last poll held back until their statements are processed. */
  #waiting = 0;

  constructor(deps: SettlementPollerDeps) {
    this.#deps = deps;
    this.#loop = new Periodic({
      round: () => this.pollOnce(),
      intervalMs: () => {
        const every = deps.services.settings.pollIntervalSeconds;
        return (this.#waiting > 0 ? Math.min(every, WAIT_SECONDS) : every) * 1000;
      },
      backoff: true,
      onError: (err) => deps.log.error({ err: errorMessage(err) }, 'settlements poll failed; retrying'),
    });
  }

  start(): void {
    this.#loop.start();
  }

  stop(graceMs = 5000): Promise<void> {
    return this.#loop.stop(graceMs);
  }

  wake(): void {
    this.#loop.wake();
  }

  /** One poll of every shop; returns how many records were submitted. Throws if any shop failed. */
  async pollOnce(): Promise<number> {
    const { services, health, engine } = this.#deps;
    this.#waiting = 0;
    const sources = services.shops.ids().map((shopId) => {
      const source = settlementSource(shopId);
      return { flowId: STATEMENT_FLOW, source, poll: () => this.#pollShop(shopId, source) };
    });
    try {
      return await pollEach(sources, health);
    } finally {
      await engine.closeIdleRuns();
    }
  }

  async #pollShop(shopId: string, source: string): Promise<number> {
    const { stores, engine, services } = this.#deps;
    const s = services.settings;
    const saved = await stores.cursors.get(STATEMENT_FLOW, source);
    const now = Math.floor(Date.now() / 1000);
    const since = saved ? Number.parseInt(saved, 10) - s.rereadDays * DAY : now - s.lookbackDays * DAY;
    const api = await services.shops.api(shopId);
    const found = await findFinance(api, shopId, Math.max(0, since));
    const window = {
      idleSeconds: Math.ceil(2 * s.pollIntervalSeconds + 5),
      maxSeconds: Math.max(60, Math.ceil(4 * s.pollIntervalSeconds)),
    };
    if (found.statements.length)
      await engine.submit(STATEMENT_FLOW, found.statements, 'schedule', { window });
    const payments = await this.#ready(found);
    const held = found.payments.length - payments.length;
    if (held > 0)
      this.#deps.log.info(
        { shopId, waiting: held },
        'paid payouts wait for their statements to be processed',
      );
    this.#waiting += held;
    if (payments.length) await engine.submit(PAYMENT_FLOW, payments, 'schedule', { window });
    // While payouts wait, the next poll must read the same window again, or it would not see them.
    const newest = found.newestStatement;
    if (held === 0 && newest !== undefined && (!saved || newest > Number.parseInt(saved, 10)))
      await stores.cursors.set(STATEMENT_FLOW, source, String(newest));
    return found.statements.length + found.payments.length;
  }

  /**
   * The payments to submit now: all but the PAID ones paying a statement of this read that has no
   * outcome yet at the version read (queued, being read or booked, or retrying). A statement that
   * failed for good does not hold its payment back: the payment's own error then says what is missing.
   */
  async #ready(found: FoundFinance): Promise<FoundFinance['payments']> {
    if (!found.payments.some((p) => p.payload.payment.status === 'PAID')) return found.payments;
    const outcomes = await this.#deps.stores.outcomes.getMany(
      STATEMENT_FLOW,
      found.statements.map((r) => r.key),
    );
    const busy = new Set<string>();
    for (const r of found.statements) {
      const paymentId = r.payload.statement.payment_id;
      if (paymentId && outcomes.get(r.key)?.version !== r.version) busy.add(paymentId);
    }
    return found.payments.filter(
      (p) => p.payload.payment.status !== 'PAID' || !busy.has(p.payload.payment.id),
    );
  }
}
