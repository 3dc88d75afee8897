/**
 * `orders.import`: every TikTok Shop order becomes exactly one NetSuite sales order.
 *
 * Records come from webhooks (intake.ts, through the inbox) and from this flow's discovery (the
 * polling backstop every 2 minutes, a backfill by date, a re-sync by ids); all carry the full
 * order. One step per record, under the order's lease: skip a stale version, decide (policy.ts),
 * then create or update the sales order by upsert on its external id, or leave it alone. Once
 * NetSuite has started to fulfil the sales order, only new cancellations reach it (cancel.ts).
 */

import { compileOrderMapping, type OrderMapping } from '../../mappings/index.ts';
import { AppError } from '../../shared/errors.ts';
import { describeTextProblem, escapedProblems } from '../../shared/text.ts';
import type { StepContext } from '../engine/define.ts';
import { defineFlow } from '../engine/define.ts';
import { applyCancellations } from './cancel.ts';
import type { OrderServices } from './deps.ts';
import { ORDER_IMPORT_FLOW, OrderPayload } from './fetch.ts';
import { ItemResolver, lookupColumn } from './items.ts';
import { decide, isStale, type SyncState } from './policy.ts';
import { discoverOrders, pollSource, SyncParams } from './poll.ts';
import {
  type DesiredSalesOrder,
  desiredSalesOrder,
  startedSalesOrder,
  writeSalesOrder,
} from './sales-order.ts';
import { acquireLease, type OrderRef, releaseLease, saveState, shipByOf } from './sync-state.ts';

export interface SyncOutput {
  action: string;
  /** FBT orders: the NetSuite item fulfillments recorded for TikTok's shipments (fulfillment flow). */
  shipments?: unknown;
  reason?: string;
  salesOrderId: string | null;
}

const LEASE_SECONDS = 120;

/** The lease holder: this record version (a re-delivered job of the same version may take it over). */
const owner = (ctx: StepContext) => `${ctx.recordKey}@${ctx.version}`;

interface Mapping {
  mapping: OrderMapping;
  items: ItemResolver;
  overrides: ItemResolver;
}

export function orderImportFlow(services: OrderServices) {
  // Compiled once: a bad `mappings:` block fails at start (mapping_invalid_spec), not per order.
  const mapping = compileOrderMapping(services.mappings);
  const m: Mapping = {
    mapping,
    items: new ItemResolver(services.netsuite, { field: lookupColumn(mapping.settings.items.lookup) }),
    overrides: new ItemResolver(services.netsuite, { field: 'id' }),
  };
  return defineFlow<OrderPayload, Record<string, unknown>>({
    id: ORDER_IMPORT_FLOW,
    version: 1,
    description:
      'TikTok Shop orders -> NetSuite sales orders (webhooks, 2-minute polling backstop, backfill)',
    triggers: [
      { type: 'schedule', cron: '*/2 * * * *' },
      { type: 'webhook' },
      { type: 'manual' },
      { type: 'backfill' },
    ],
    payload: OrderPayload,
    params: SyncParams,
    discover: (ctx, params) => discoverOrders(ctx, params, services),
    polledSources: () => services.shops.ids().map(pollSource),
    steps: [
      {
        id: 'sync',
        async run({ payload }, ctx): Promise<SyncOutput> {
          assertStorableText(payload);
          const ref = { shopId: payload.shopId, orderId: payload.order.id };
          const state = await acquireLease(ctx.db, ref, owner(ctx), LEASE_SECONDS);
          try {
            // saveState releases the lease; a failure releases it here so a retry need not wait.
            const out = await syncOrder(services, m, payload, ref, state, ctx);
            // TikTok's own (FBT) shipments follow the sales order into NetSuite; a failure retries the
            // step, whose sync then finds the order unchanged. No extra step: no extra checkpoint.
            const shipped = await services.shipments?.(
              { shopId: ref.shopId, order: payload.order, salesOrderId: out.salesOrderId },
              ctx,
            );
            return shipped === undefined ? out : { ...out, shipments: shipped };
          } catch (err) {
            await releaseLease(ctx.db, ref, owner(ctx));
            throw err;
          }
        },
      },
    ],
    targetId: (outputs) => (outputs.sync as SyncOutput | null)?.salesOrderId ?? null,
  });
}

async function syncOrder(
  services: OrderServices,
  m: Mapping,
  { order }: OrderPayload,
  ref: OrderRef,
  state: SyncState | undefined,
  ctx: StepContext,
): Promise<SyncOutput> {
  const kept = state?.salesOrderId ?? null;
  if (isStale(order, state)) {
    // Every other path releases the lease when it saves the state; this one saves nothing.
    await releaseLease(ctx.db, ref, owner(ctx));
    return { action: 'stale', reason: 'a newer version was applied', salesOrderId: kept };
  }
  const action = decide(order, state, services.settings, m.mapping.settings);
  const base = { updateTime: order.update_time, status: order.status, shipBy: shipByOf(order) };
  if (action.kind !== 'write') {
    if (kept) await services.stock?.imported(ref.shopId, order.id);
    await saveState(ctx.db, ref, owner(ctx), {
      ...base,
      action: action.kind,
      salesOrderId: kept,
      hash: state?.appliedHash ?? null,
      baseHash: state?.appliedBaseHash ?? null,
    });
    return { action: action.kind, reason: action.reason, salesOrderId: kept };
  }
  // A retry may follow a fix in NetSuite (item reactivated): look the SKUs up afresh.
  if (ctx.attempt > 1) m.items.forget(order.line_items.map((l) => l.seller_sku ?? ''));
  const shop = { id: ref.shopId, region: await services.shops.region(ref.shopId) };
  const desired = await desiredSalesOrder({ shop, order, ...m });
  const { action: done, salesOrderId } = await applyDesired(services, desired, { ref, order, state }, ctx);
  // After the write answered: a stock snapshot started from now on shows the commitment.
  await services.stock?.imported(ref.shopId, order.id);
  await saveState(ctx.db, ref, owner(ctx), {
    ...base,
    action: done,
    salesOrderId,
    hash: desired.hash,
    baseHash: desired.baseHash,
  });
  if (done !== 'unchanged')
    ctx.log.debug({ order: order.id, salesOrderId, action: done }, 'sales order written');
  return { action: done, salesOrderId };
}

/**
 * Brings NetSuite to the desired sales order: nothing when it was applied already; once NetSuite
 * has started to fulfil the order, its new cancellations only (cancel.ts); otherwise the upsert,
 * then the cross-reference.
 */
async function applyDesired(
  services: OrderServices,
  desired: DesiredSalesOrder,
  { ref, order, state }: { ref: OrderRef; order: OrderPayload['order']; state: SyncState | undefined },
  ctx: StepContext,
): Promise<{ action: string; salesOrderId: string }> {
  const kept = state?.salesOrderId ?? null;
  if (kept && desired.hash === state?.appliedHash) return { action: 'unchanged', salesOrderId: kept };
  const started = kept ? await startedSalesOrder(services.netsuite, kept) : undefined;
  if (kept && started) {
    const appliedBaseHash = state?.appliedBaseHash ?? null;
    const changed = await applyCancellations(services.netsuite, {
      so: started,
      desired,
      appliedBaseHash,
      orderId: order.id,
    });
    return { action: changed > 0 ? 'lines_cancelled' : 'unchanged', salesOrderId: kept };
  }
  const salesOrderId = await writeSalesOrder(services.netsuite, desired);
  const xrefKey = {
    sourceSystem: 'tiktok',
    sourceType: 'order',
    sourceId: `${ref.shopId}:${order.id}`,
    targetSystem: 'netsuite',
    targetType: 'salesOrder',
  };
  await ctx.xref.put(xrefKey, salesOrderId);
  return { action: kept ? 'updated' : 'created', salesOrderId };
}

/**
 * An order that came with a NUL or half a surrogate pair in its text was kept, escaped, at the
 * boundary (shared/json.ts); it is not written on to NetSuite. Final: a retry reads the same text
 * until someone corrects the order in TikTok or edits the payload (removing the escape).
 */
function assertStorableText({ order }: OrderPayload): void {
  const problems = escapedProblems(order);
  if (problems.length === 0) return;
  const fields = problems.map(
    (p) => `${describeTextProblem(p)}, kept as the text ${p.problem === 'nul' ? '\\u0000' : '\\uXXXX'}`,
  );
  throw new AppError(
    'order_text_invalid',
    `order ${order.id}: ${fields.join('; ')}: correct the order in TikTok Shop and re-sync it, or edit the payload and retry`,
    { details: { fields: problems.map((p) => ({ path: p.path, problem: p.problem })) } },
  );
}
