/**
 * The `returns` section of the lifecycle demo's summary: what the buyers and the seller did (from
 * the demo's own plan) next to the verdict read from the sandboxes (returns-summary.ts), its text
 * lines, and whether it passes.
 */

import type { DemoEnv } from './demo-env.ts';
import type { LifecycleOrder } from './lifecycle-event.ts';
import type { ReturnsPlay } from './lifecycle-returns.ts';
import { type ReturnsVerdict, returnsVerdict } from './returns-summary.ts';

export interface ReturnsSection extends Omit<ReturnsVerdict, 'examples'> {
  /** What the buyers and the seller did, as the demo planned and TikTok accepted it. */
  actions: {
    cancelledBeforeImport: { whole: number; partial: number };
    cancelledAfterImport: { whole: number; partial: number };
    returns: { refundOnly: number; returnAndRefund: number; partialRefund: number; leftToDeadlines: number };
  };
}

export function returnsSection(
  world: Pick<DemoEnv, 'tiktok' | 'netsuite'>,
  placed: ReadonlyMap<string, string>,
  week: { orders: readonly LifecycleOrder[] },
  after: ReturnsPlay,
): ReturnsSection & { examples: ReturnsVerdict['examples'] } {
  const cancelled = (when: 'before_import' | 'after_import', whole: boolean) =>
    week.orders.filter((x) => x.cancelId && x.cancel?.when === when && x.cancel.whole === whole).length;
  const opened = after.returns.filter((r) => r.returnId);
  const kind = (k: string) => opened.filter((r) => r.kind === k).length;
  return {
    actions: {
      cancelledBeforeImport: {
        whole: cancelled('before_import', true),
        partial: cancelled('before_import', false),
      },
      cancelledAfterImport: {
        whole: cancelled('after_import', true),
        partial: cancelled('after_import', false),
      },
      returns: {
        refundOnly: kind('refund'),
        returnAndRefund: kind('return'),
        partialRefund: kind('partial'),
        leftToDeadlines: opened.filter((r) => r.byDeadline).length,
      },
    },
    ...returnsVerdict(world, placed),
  };
}

export function returnsPassed(r: Omit<ReturnsVerdict, 'examples'>): boolean {
  return (
    r.missing === 0 &&
    r.duplicated === 0 &&
    r.amountMismatchCents === 0 &&
    r.unexpected === 0 &&
    r.cancelledOrdersWithOpenLines === 0
  );
}

/** The section's lines of the text summary. */
export function renderReturns(r: ReturnsSection): string[] {
  const a = r.actions;
  const x = a.returns;
  return [
    `  cancellations on TikTok        ${r.cancellations} (orders ${r.cancelledOrders.whole} whole, ${r.cancelledOrders.partial} in part; before import ${a.cancelledBeforeImport.whole} whole, ${a.cancelledBeforeImport.partial} in part; after import ${a.cancelledAfterImport.whole} whole, ${a.cancelledAfterImport.partial} in part)`,
    `  returns on TikTok              ${r.returns} (${x.refundOnly} refund only, ${x.returnAndRefund} return and refund, ${x.partialRefund} partial refund; ${x.leftToDeadlines} left to TikTok's deadlines)`,
    `  refunds completed on TikTok    ${r.refundsCompleted}`,
    `  NetSuite credit documents      ${r.netsuiteCredits} credit memos, ${r.customerRefunds} customer refunds`,
    `  refunds missing in NetSuite    ${r.missing}`,
    `  credit documents duplicated    ${r.duplicated}`,
    `  refund amount mismatches       ${r.amountMismatchCents} cents`,
    ...(r.unexpected ? [`  credits TikTok did not refund  ${r.unexpected}`] : []),
    `  cancelled units still open     ${r.cancelledOrdersWithOpenLines} orders`,
  ];
}
