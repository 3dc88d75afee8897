/**
 * The settlement flows (docs/settlements.md): TikTok statements (`finance.statements`: read, book,
 * apply) and payments (`finance.payments`: book) into NetSuite, their poller, and the tie-out.
 */
import type { Logger } from '../../shared/log.ts';
import type { Stores } from '../../store/index.ts';
import { type DiscoverContext, defineFlow } from '../engine/define.ts';
import type { FlowEngine } from '../engine/engine.ts';
import type { SourceReporter } from '../watchdog/reporter.ts';
import { type ApplyOutput, applyPayments } from './apply.ts';
import { type BookOutput, bookPayment, bookStatement, type PaymentOutput, readStatement } from './book.ts';
import {
  PAYMENT_FLOW,
  PaymentPayload,
  type SettlementServices,
  STATEMENT_FLOW,
  StatementPayload,
} from './deps.ts';
import { findFinance, SettlementSyncParams } from './discover.ts';
import { SettlementPoller } from './poller.ts';

export {
  financeExternalId,
  PAYMENT_FLOW,
  paymentKey,
  type SettlementServices,
  STATEMENT_FLOW,
  statementKey,
} from './deps.ts';
export { SettlementSyncParams } from './discover.ts';
export { SettlementPoller, settlementSource } from './poller.ts';
export { type Reconciliation, reconcile } from './reconcile.ts';
export { type Finding, type TieOut, tieOutStatement } from './tieout.ts';

/** A manual run: every statement and payment since a time, looked at again even if done. */
function discoverer(s: SettlementServices, which: 'statements' | 'payments') {
  return async (ctx: DiscoverContext<unknown>, raw: Record<string, unknown>): Promise<void> => {
    const p = SettlementSyncParams.parse(raw);
    const shops = p.shop ? [p.shop] : s.shops.ids();
    const since = p.since
      ? Math.floor(Date.parse(p.since) / 1000)
      : Math.floor(Date.now() / 1000) - s.settings.lookbackDays * 86_400;
    await ctx.eachSource(
      shops,
      async (shopId) => {
        const found = await findFinance(await s.shops.api(shopId), shopId, since);
        const records = found[which].map((r) => ({ ...r, version: `${r.version}#${ctx.runId}` }));
        if (records.length) await ctx.emit(records);
        ctx.log.info({ shopId, which, found: records.length }, 'settlements discovered');
      },
      (shopId) => ({ ...raw, shop: shopId }),
    );
  };
}

export function statementsFlow(s: SettlementServices) {
  return defineFlow<StatementPayload, Record<string, unknown>>({
    id: STATEMENT_FLOW,
    version: 1,
    description:
      'TikTok statements -> NetSuite journal entries, every fee key on its own account (read again while TikTok may republish)',
    triggers: [{ type: 'manual' }, { type: 'backfill' }],
    payload: StatementPayload,
    params: SettlementSyncParams,
    discover: (ctx, raw) => discoverer(s, 'statements')(ctx, raw),
    steps: [
      { id: 'read', run: ({ payload }) => readStatement(s, payload) },
      { id: 'book', run: ({ payload }, ctx) => bookStatement(s, payload, ctx) },
      { id: 'apply', run: ({ payload }, ctx) => applyPayments(s, payload, ctx) },
    ],
    targetId: (o) => (o['book'] as BookOutput | null)?.entryId ?? null,
  });
}

export function paymentsFlow(s: SettlementServices) {
  return defineFlow<PaymentPayload, Record<string, unknown>>({
    id: PAYMENT_FLOW,
    version: 1,
    description:
      'TikTok payouts -> NetSuite deposits into the bank (once PAID), matched to the statements they pay',
    triggers: [{ type: 'manual' }, { type: 'backfill' }],
    payload: PaymentPayload,
    params: SettlementSyncParams,
    discover: (ctx, raw) => discoverer(s, 'payments')(ctx, raw),
    steps: [{ id: 'book', run: ({ payload }, ctx) => bookPayment(s, payload, ctx) }],
    targetId: (o) => (o['book'] as PaymentOutput | null)?.depositId ?? null,
  });
}

export type { ApplyOutput };

export function settlementPoller(deps: {
  stores: Stores;
  engine: FlowEngine;
  services: SettlementServices;
  log: Logger;
  health?: SourceReporter;
}): SettlementPoller {
  return new SettlementPoller({ ...deps, log: deps.log.child({ component: 'settlement-poller' }) });
}
