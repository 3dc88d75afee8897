/**
 * The aftersale poller: every `aftersale.pollIntervalSeconds` (default 15 s), and at once when a
 * cancellation (type 11) or return (type 12) push arrives, each shop's cancellations and returns
 * changed since the cursor minus the overlap are read and submitted, one record per cancellation or
 * return (the engine skips a version already done). The cursor is TikTok's own newest update_time,
 * saved after the records were queued. A shop that fails is reported and the others go on.
 */
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { Periodic } from '../../shared/periodic.ts';
import type { Stores } from '../../store/index.ts';
import type { FlowEngine } from '../engine/engine.ts';
import { pollEach, type SourceReporter } from '../watchdog/reporter.ts';
import type { AftersaleServices } from './deps.ts';
import { type AftersaleKind, FLOW_OF, findAftersale } from './discover.ts';

const KINDS: AftersaleKind[] = ['cancellations', 'returns'];

/** The cursor (and watchdog source) of one shop's search. */
export const aftersaleSource = (kind: AftersaleKind, shopId: string) => `${kind}.updated:${shopId}`;

export interface AftersalePollerDeps {
  stores: Stores;
  engine: FlowEngine;
  services: AftersaleServices;
  log: Logger;
  health?: SourceReporter | undefined;
}

export class AftersalePoller {
  readonly #deps: AftersalePollerDeps;
  readonly #loop: Periodic;

  constructor(deps: AftersalePollerDeps) {
    this.#deps = deps;
    this.#loop = new Periodic({
      round: () => this.pollOnce(),
      intervalMs: () => deps.services.settings.pollIntervalSeconds * 1000,
      backoff: true,
      onError: (err) => deps.log.error({ err: errorMessage(err) }, 'aftersale poll failed; retrying'),
    });
  }

  start(): void {
    this.#loop.start();
  }

  stop(graceMs = 5000): Promise<void> {
    return this.#loop.stop(graceMs);
  }

  /** Polls now, or right after the current round. */
  wake(): void {
    this.#loop.wake();
  }

  /** One poll of every shop and kind; returns how many records were submitted. Throws if any failed. */
  async pollOnce(): Promise<number> {
    const { services, health, engine } = this.#deps;
    const sources = services.shops.ids().flatMap((shopId) =>
      KINDS.map((kind) => {
        const source = aftersaleSource(kind, shopId);
        return { flowId: FLOW_OF[kind], source, poll: () => this.#pollShop(shopId, kind, source) };
      }),
    );
    try {
      return await pollEach(sources, health);
    } finally {
      await engine.closeIdleRuns();
    }
  }

  async #pollShop(shopId: string, kind: AftersaleKind, source: string): Promise<number> {
    const { stores, engine, services } = this.#deps;
    const s = services.settings;
    const flowId = FLOW_OF[kind];
    const saved = await stores.cursors.get(flowId, source);
    const since = saved
      ? Number.parseInt(saved, 10) - s.overlapSeconds
      : Math.floor(Date.now() / 1000) - Math.round(s.lookbackHours * 3600);
    const api = await services.shops.api(shopId);
    const found = await findAftersale(api, shopId, kind, { since: Math.max(0, since) });
    if (found.records.length)
      await engine.submit(flowId, found.records, 'schedule', {
        window: { idleSeconds: Math.ceil(2 * s.pollIntervalSeconds + 5), maxSeconds: s.pollRunMaxSeconds },
      });
    if (found.newest !== undefined && (!saved || found.newest > Number.parseInt(saved, 10)))
      await stores.cursors.set(flowId, source, String(found.newest));
    return found.records.length;
  }
}
