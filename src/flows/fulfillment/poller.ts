/**
 * The fulfillment poller: every `fulfillment.pollIntervalSeconds` (default 10 s) it asks NetSuite
 * which item fulfillments of TikSuite's sales orders changed since the cursor (minus the overlap
 * window) and which were deleted, and submits one record per fulfillment. The engine skips a
 * version already done, so the overlap re-reads cost nothing on TikTok. The cursors are NetSuite's
 * own newest stamps, saved after the records were queued. `wake()` polls at once.
 */
import { nsStamp, shiftStamp } from '../../connectors/netsuite/index.ts';
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { Periodic } from '../../shared/periodic.ts';
import type { Stores } from '../../store/index.ts';
import type { FlowRecord } from '../engine/define.ts';
import type { FlowEngine } from '../engine/engine.ts';
import type { SourceReporter } from '../watchdog/reporter.ts';
import { FULFILLMENT_FLOW, type FulfillmentServices } from './deps.ts';
import {
  changedFulfillments,
  deletedFulfillments,
  type FulfillmentPayload,
  fulfillmentKey,
} from './discover.ts';

/** The poll's cursors (the first is the source the stall watchdog watches). */
export const FULFILLMENT_POLL_SOURCE = 'netsuite:itemfulfillment.lastmodifieddate';
const DELETED_CURSOR = 'netsuite:deletedrecord.itemfulfillment';

export interface PollerDeps {
  stores: Stores;
  engine: FlowEngine;
  services: FulfillmentServices;
  log: Logger;
  /** Tells the stall watchdog how each poll went. */
  health?: SourceReporter | undefined;
}

export class FulfillmentPoller {
  readonly #deps: PollerDeps;
  readonly #loop: Periodic;
  #deletedUnavailable = false;

  constructor(deps: PollerDeps) {
    this.#deps = deps;
    this.#loop = new Periodic({
      round: async () => {
        await this.pollOnce();
        deps.health?.ok(FULFILLMENT_FLOW, FULFILLMENT_POLL_SOURCE);
      },
      intervalMs: () => deps.services.settings.pollIntervalSeconds * 1000,
      backoff: true,
      onError: (err) => {
        deps.health?.failed(FULFILLMENT_FLOW, FULFILLMENT_POLL_SOURCE, err);
        deps.log.error({ err: errorMessage(err) }, 'fulfillment poll failed; retrying');
      },
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

  /** One poll: returns how many records were submitted (new or not). */
  async pollOnce(): Promise<number> {
    const { stores, engine, services, log } = this.#deps;
    const { overlapSeconds, pollIntervalSeconds, pollRunMaxSeconds } = services.settings;
    const firstSince = shiftStamp(nsStamp(new Date()), -86_400);
    const saved = await stores.cursors.get(FULFILLMENT_FLOW, FULFILLMENT_POLL_SOURCE);
    const since = saved ? shiftStamp(saved, -overlapSeconds) : firstSince;
    const changed = await changedFulfillments(services.netsuite, services.salesOrderPrefix, since);
    const records: FlowRecord<FulfillmentPayload>[] = [...changed.records];
    const savedDeleted = await stores.cursors.get(FULFILLMENT_FLOW, DELETED_CURSOR);
    let deletedNewest: string | undefined;
    try {
      const deleted = await deletedFulfillments(
        services.netsuite,
        services.settings.deletedRecordType,
        savedDeleted ? shiftStamp(savedDeleted, -overlapSeconds) : firstSince,
      );
      records.push(...(await this.#deletionRecords(deleted.rows)));
      deletedNewest = deleted.newest;
      this.#deletedUnavailable = false;
    } catch (err) {
      // An account whose role cannot read deletedrecord still ships; the deletions go unnoticed (logged).
      if (!this.#deletedUnavailable)
        log.warn({ err: errorMessage(err) }, 'deleted fulfillments cannot be read; deletions go unnoticed');
      this.#deletedUnavailable = true;
    }
    if (records.length)
      await engine.submit(FULFILLMENT_FLOW, records, 'schedule', {
        window: { idleSeconds: Math.ceil(2 * pollIntervalSeconds + 5), maxSeconds: pollRunMaxSeconds },
      });
    await engine.closeIdleRuns();
    if (changed.newest && (!saved || changed.newest > saved))
      await stores.cursors.set(FULFILLMENT_FLOW, FULFILLMENT_POLL_SOURCE, changed.newest);
    if (deletedNewest && (!savedDeleted || deletedNewest > savedDeleted))
      await stores.cursors.set(FULFILLMENT_FLOW, DELETED_CURSOR, deletedNewest);
    return records.length;
  }

  /** Only a deleted fulfillment TikSuite shipped matters: it is in the cross-reference with its order. */
  async #deletionRecords(rows: Array<{ id: string; deleted: string }>) {
    if (rows.length === 0) return [];
    const db = this.#deps.stores.db;
    const refs = await db
      .selectFrom('xref')
      .select(['source_id', 'target_system', 'target_id'])
      .where('source_system', '=', 'netsuite')
      .where('source_type', '=', 'itemFulfillment')
      .where('target_type', '=', 'order')
      .where(
        'source_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    const out: FlowRecord<FulfillmentPayload>[] = [];
    for (const r of rows) {
      const ref = refs.find((x) => x.source_id === r.id);
      if (!ref) continue;
      out.push({
        key: fulfillmentKey(r.id),
        version: `deleted@${r.deleted}`,
        payload: {
          fulfillmentId: r.id,
          shopId: ref.target_system.replace(/^tiktok:/, ''),
          orderId: ref.target_id,
          modified: r.deleted,
          deleted: true,
        },
      });
    }
    return out;
  }
}
