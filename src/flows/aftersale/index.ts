/**
 * The aftersale flows (docs/returns.md): TikTok cancellations (`aftersale.cancellations`) and
 * returns and refunds (`aftersale.returns`) into NetSuite, and their poller.
 */
import type { Logger } from '../../shared/log.ts';
import type { Stores } from '../../store/index.ts';
import { type DiscoverContext, defineFlow } from '../engine/define.ts';
import type { FlowEngine } from '../engine/engine.ts';
import type { SourceReporter } from '../watchdog/reporter.ts';
import { applyCancellation, type CancellationOutput } from './cancellations.ts';
import {
  type AftersaleServices,
  CANCELLATION_FLOW,
  CancellationPayload,
  RETURN_FLOW,
  ReturnPayload,
} from './deps.ts';
import { type AftersaleKind, AftersaleSyncParams, findAftersale } from './discover.ts';
import { AftersalePoller } from './poller.ts';
import { bookReturn, type ReturnOutput } from './returns.ts';

export {
  type AftersaleServices,
  type BookedMeasure,
  CANCELLATION_FLOW,
  cancellationKey,
  RETURN_FLOW,
  returnExternalId,
  returnKey,
} from './deps.ts';
export { AftersaleSyncParams } from './discover.ts';
export { AftersalePoller, aftersaleSource } from './poller.ts';
export type { ReturnOutput } from './returns.ts';

/** A manual run: named ids or everything updated since a time, looked at again even if done. */
function discoverer(s: AftersaleServices, kind: AftersaleKind) {
  return async (ctx: DiscoverContext<unknown>, raw: Record<string, unknown>): Promise<void> => {
    const p = AftersaleSyncParams.parse(raw);
    const shops = p.shop ? [p.shop] : s.shops.ids();
    const since = p.since ? Math.floor(Date.parse(p.since) / 1000) : Math.floor(Date.now() / 1000) - 86_400;
    await ctx.eachSource(
      shops,
      async (shopId) => {
        const api = await s.shops.api(shopId);
        const found = await findAftersale(api, shopId, kind, p.ids?.length ? { ids: p.ids } : { since });
        const records = found.records.map((r) => ({ ...r, version: `${r.version}#${ctx.runId}` }));
        if (records.length) await ctx.emit(records);
        ctx.log.info({ shopId, kind, found: records.length }, 'aftersale discovered');
      },
      (shopId) => ({ ...raw, shop: shopId }),
    );
  };
}

export function returnsFlow(s: AftersaleServices) {
  return defineFlow<ReturnPayload, Record<string, unknown>>({
    id: RETURN_FLOW,
    version: 1,
    description:
      'TikTok returns and refunds -> NetSuite return authorizations, item receipts, credit memos and refunds (polled every few seconds; on demand by ids or since a time)',
    triggers: [{ type: 'manual' }, { type: 'backfill' }],
    payload: ReturnPayload,
    params: AftersaleSyncParams,
    discover: (ctx, raw) => discoverer(s, 'returns')(ctx, raw),
    steps: [{ id: 'book', run: ({ payload }, ctx) => bookReturn(s, payload, ctx) }],
    targetId: (o) => {
      const d = (o['book'] as ReturnOutput | null)?.documents;
      return d?.credit ?? d?.returnAuthorization ?? null;
    },
  });
}

export function cancellationsFlow(s: AftersaleServices) {
  return defineFlow<CancellationPayload, Record<string, unknown>>({
    id: CANCELLATION_FLOW,
    version: 1,
    description:
      'TikTok cancellations: requests answered by policy, cancelled lines closed on the NetSuite sales order (through the import flow)',
    triggers: [{ type: 'manual' }, { type: 'backfill' }],
    payload: CancellationPayload,
    params: AftersaleSyncParams,
    discover: (ctx, raw) => discoverer(s, 'cancellations')(ctx, raw),
    steps: [{ id: 'apply', run: ({ payload }, ctx) => applyCancellation(s, payload, ctx) }],
    targetId: (o) => (o['apply'] as CancellationOutput | null)?.salesOrderId ?? null,
  });
}

export function aftersalePoller(deps: {
  stores: Stores;
  engine: FlowEngine;
  services: AftersaleServices;
  log: Logger;
  health?: SourceReporter;
}): AftersalePoller {
  return new AftersalePoller({ ...deps, log: deps.log.child({ component: 'aftersale-poller' }) });
}
