/**
 * The fulfillment flow (NetSuite item fulfillments -> TikTok shipments and tracking) and its
 * poller. docs/fulfillment.md.
 */
import { nsStamp } from '../../connectors/netsuite/index.ts';
import type { Logger } from '../../shared/log.ts';
import type { Stores } from '../../store/index.ts';
import { defineFlow } from '../engine/define.ts';
import type { FlowEngine } from '../engine/engine.ts';
import type { SourceReporter } from '../watchdog/reporter.ts';
import { CarrierResolver } from './carriers.ts';
import { FULFILLMENT_FLOW, type FulfillmentServices } from './deps.ts';
import {
  changedFulfillments,
  FulfillmentPayload,
  FulfillmentSyncParams,
  namedFulfillments,
} from './discover.ts';
import { FULFILLMENT_POLL_SOURCE, FulfillmentPoller } from './poller.ts';
import { type ShipOutput, shipFulfillment } from './ship.ts';

export { FBT_FLOW, FULFILLMENT_FLOW, type FulfillmentServices, type ShipMeasure } from './deps.ts';
export { FulfillmentSyncParams } from './discover.ts';
export { fbtExternalId, recordFbtShipments } from './fbt.ts';
export type FbtInput = Parameters<typeof import('./fbt.ts').recordFbtShipments>[1];
export { FULFILLMENT_POLL_SOURCE, FulfillmentPoller } from './poller.ts';
export { type LateList, type LateOrder, type LateState, lateList, lateOrders } from './ship-by.ts';
export { SHIP_BY_CODE, ShipByCheck, type ShipByReport, shipByKey } from './ship-by-check.ts';

export function fulfillmentFlow(s: FulfillmentServices) {
  const carriers = new CarrierResolver(s.settings);
  return defineFlow<FulfillmentPayload, Record<string, unknown>>({
    id: FULFILLMENT_FLOW,
    version: 1,
    description:
      'NetSuite item fulfillments -> TikTok shipments and tracking (polled every few seconds; on demand by ids or since a time)',
    // The poller submits records every few seconds (cron cannot go below a minute); a manual run
    // re-reads named fulfillments or those changed since a time.
    triggers: [{ type: 'manual' }, { type: 'backfill' }],
    payload: FulfillmentPayload,
    params: FulfillmentSyncParams,
    async discover(ctx, raw) {
      const p = FulfillmentSyncParams.parse(raw);
      const since = p.since ? nsStamp(new Date(p.since)) : nsStamp(new Date(Date.now() - 86_400_000));
      const found = p.ids?.length
        ? await namedFulfillments(s.netsuite, s.salesOrderPrefix, p.ids)
        : await changedFulfillments(s.netsuite, s.salesOrderPrefix, since);
      // A manual sync looks again even at a version already done: TikTok is read before acting.
      const records = found.records.map((r) => ({ ...r, version: `${r.version}#${ctx.runId}` }));
      if (records.length) await ctx.emit(records);
      ctx.log.info({ fulfillments: records.length }, 'fulfillments discovered');
    },
    steps: [{ id: 'ship', run: ({ payload }, ctx) => shipFulfillment(s, carriers, payload, ctx) }],
    targetId: (outputs) => (outputs['ship'] as ShipOutput | null)?.packageId ?? null,
  });
}

export function fulfillmentPoller(deps: {
  stores: Stores;
  engine: FlowEngine;
  services: FulfillmentServices;
  log: Logger;
  health?: SourceReporter;
}): FulfillmentPoller {
  return new FulfillmentPoller({ ...deps, log: deps.log.child({ component: 'fulfillment-poller' }) });
}

export const FULFILLMENT_SOURCES = [FULFILLMENT_POLL_SOURCE];
