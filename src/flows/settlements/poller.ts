/**
 * The settlements poller: every `settlements.pollIntervalSeconds`, each shop's statements and
 * payments from its cursor minus `rereadDays` are read and submitted (the engine skips a version
 * already done). Statements go first, so a payment usually finds the statements it pays booked. The
 * cursor is TikTok's newest statement time, saved after the records were queued; a shop that fails
 * is reported and the others go on.
 */
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { Periodic } from '../../shared/periodic.ts';
import type { Stores } from '../../store/index.ts';
import type { FlowEngine } from '../engine/engine.ts';
import type { SourceReporter } from '../watchdog/reporter.ts';
import { PAYMENT_FLOW, type SettlementServices, STATEMENT_FLOW } from './deps.ts';
import { findFinance } from './discover.ts';

/** The cursor (and watchdog source) of one shop's statements. */
export const settlementSource = (shopId: string) => `statements.time:${shopId}`;

const DAY = 86_400;

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

  constructor(deps: SettlementPollerDeps) {
    this.#deps = deps;
    this.#loop = new Periodic({
      round: () => this.pollOnce(),
      intervalMs: () => deps.services.settings.pollIntervalSeconds * 1000,
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
    const { services, health } = this.#deps;
    let submitted = 0;
    let failure: unknown;
    for (const shopId of services.shops.ids()) {
      const source = settlementSource(shopId);
      try {
        submitted += await this.#pollShop(shopId, source);
        health?.ok(STATEMENT_FLOW, source);
      } catch (err) {
        failure = err;
        health?.failed(STATEMENT_FLOW, source, err);
      }
    }
    await this.#deps.engine.closeIdleRuns();
    if (failure) throw failure;
    return submitted;
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
    if (found.payments.length) await engine.submit(PAYMENT_FLOW, found.payments, 'schedule', { window });
    const newest = found.newestStatement;
    if (newest !== undefined && (!saved || newest > Number.parseInt(saved, 10)))
      await stores.cursors.set(STATEMENT_FLOW, source, String(newest));
    return found.statements.length + found.payments.length;
  }
}
