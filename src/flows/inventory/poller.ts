/**
 * The stock poller: every `pollIntervalSeconds` it asks NetSuite which items' available quantity
 * changed since the cursor (`lastquantityavailablechange`, minus the overlap window), adds the SKUs
 * whose reservations changed, reads their stock and submits push records. The cursor is NetSuite's
 * own newest stamp, saved only after the records were queued. `wake()` runs a round at once (new
 * reservations). Several processes may poll: records of one product are serialised by its lease,
 * and a snapshot older than the one applied is ignored.
 */
import { nsStamp, shiftStamp } from '../../connectors/netsuite/index.ts';
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { Periodic } from '../../shared/periodic.ts';
import type { Stores } from '../../store/index.ts';
import type { FlowEngine } from '../engine/engine.ts';
import { eachSource } from '../engine/sources.ts';
import type { SourceReporter } from '../watchdog/reporter.ts';
import { collectRecords } from './collect.ts';
import { INVENTORY_FLOW, type InventoryServices } from './deps.ts';
import { changedItems } from './snapshot.ts';
import type { TargetCache } from './targets.ts';

/** The poll's cursor (and the source the stall watchdog watches). */
export const STOCK_POLL_SOURCE = 'netsuite:lastquantityavailablechange';
const CURSOR = STOCK_POLL_SOURCE;

export interface PollerDeps {
  stores: Stores;
  engine: FlowEngine;
  services: InventoryServices;
  targets: TargetCache;
  log: Logger;
  /** Tells the stall watchdog how each poll went. */
  health?: SourceReporter;
}

export class InventoryPoller {
  readonly #deps: PollerDeps;
  readonly #loop: Periodic;
  #pendingSkus = new Set<string>();
  /** Items of a round in which some shop failed: read again next round, while the cursor moves on. */
  #pendingItems = new Set<string>();
  #reservationsSince = new Date();
  /** Item -> the change stamp already queued: the overlap window re-reads it without re-pushing. */
  readonly #queued = new Map<string, string>();

  constructor(deps: PollerDeps) {
    this.#deps = deps;
    this.#loop = new Periodic({
      round: async () => {
        await this.pollOnce();
        deps.health?.ok(INVENTORY_FLOW, CURSOR);
      },
      intervalMs: () => deps.services.settings.pollIntervalSeconds * 1000,
      backoff: true,
      onError: (err) => {
        deps.health?.failed(INVENTORY_FLOW, CURSOR, err);
        deps.log.error({ err: errorMessage(err) }, 'stock poll failed; retrying');
      },
    });
  }

  start(): void {
    this.#loop.start();
  }

  stop(graceMs = 5000): Promise<void> {
    return this.#loop.stop(graceMs);
  }

  /** Re-evaluates these SKUs (and any NetSuite change) now, or right after the current round. */
  wake(skus: readonly string[] = []): void {
    for (const s of skus) this.#pendingSkus.add(s);
    this.#loop.wake();
  }

  /** Stamps older than the read window can never be re-read: drop them. */
  #forgetOld(since: string): void {
    for (const [id, at] of this.#queued) if (at <= since) this.#queued.delete(id);
  }

  /** One poll: returns how many push records were queued. */
  async pollOnce(): Promise<number> {
    const { stores, engine, services, targets } = this.#deps;
    const { overlapSeconds } = services.settings;
    const saved = await stores.cursors.get(INVENTORY_FLOW, CURSOR);
    // First poll: everything changed in the last day (a full resync covers older drift nightly).
    const since = saved ? shiftStamp(saved, -overlapSeconds) : shiftStamp(nsStamp(new Date()), -86_400);
    const reservedSince = new Date(this.#reservationsSince.getTime() - overlapSeconds * 1000);
    const roundStart = new Date();
    const skus = new Set(this.#pendingSkus);
    this.#pendingSkus.clear();
    const pendingItems = [...this.#pendingItems];
    try {
      const changed = await changedItems(services.netsuite, since);
      const fresh = [...changed.stamps].filter(([id, at]) => this.#queued.get(id) !== at).map(([id]) => id);
      const itemIds = [...new Set([...fresh, ...pendingItems])];
      this.#pendingItems.clear();
      if (services.settings.reservations)
        for (const s of await stores.reservations.changedSince(reservedSince)) skus.add(s);
      const failed: string[] = [];
      const records = await collectRecords(
        services,
        stores.db,
        targets,
        { itemIds, skus: [...skus] },
        // Each shop on its own: a failure is one open error record per shop (engine/sources.ts).
        (shops, fn) =>
          eachSource(
            { stores, log: this.#deps.log, flowId: INVENTORY_FLOW, runId: null, failures: { lines: failed } },
            shops,
            fn,
            () => ({}),
          ),
      );
      // Polls join one open run (ADR 5) while changes keep coming: one run per stretch of activity,
      // not one per 15 s poll; it closes two poll intervals after the last change.
      if (records.length)
        await engine.submit(INVENTORY_FLOW, records, 'schedule', {
          window: {
            idleSeconds: Math.ceil(2 * services.settings.pollIntervalSeconds + 5),
            maxSeconds: services.settings.pollRunMaxSeconds,
          },
        });
      await engine.closeIdleRuns();
      // The other shops' pushes are queued and the cursor moves on (no back-off for them); the failed
      // shop's items and SKUs are read again next round.
      if (failed.length) {
        for (const id of itemIds) this.#pendingItems.add(id);
        for (const s of skus) this.#pendingSkus.add(s);
      }
      // Stamps have one-second resolution: only a stamp older than the newest one seen is complete
      // (a later change in the same second would carry the same stamp and must be read again).
      for (const id of fresh) {
        const at = changed.stamps.get(id)!;
        if (changed.newest && at < changed.newest) this.#queued.set(id, at);
      }
      this.#forgetOld(since);
      if (changed.newest && (!saved || changed.newest > saved))
        await stores.cursors.set(INVENTORY_FLOW, CURSOR, changed.newest);
      this.#reservationsSince = roundStart;
      return records.length;
    } catch (err) {
      for (const s of skus) this.#pendingSkus.add(s);
      for (const id of pendingItems) this.#pendingItems.add(id);
      throw err;
    }
  }
}
