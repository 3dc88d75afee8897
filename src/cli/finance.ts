/**
 * `tiksuite finance sync`: a manual run of the settlement flows (TikTok statements, then payments)
 * since a time. `tiksuite finance reconcile`: the tie-out of every statement read (or one, or one
 * shop's), and the orders delivered but in no statement (docs/settlements.md). Both go through the
 * running server when it owns the database.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { PAYMENT_FLOW, type Reconciliation, STATEMENT_FLOW } from '../flows/settlements/index.ts';
import { AppError } from '../shared/errors.ts';
import { openOps, startRun } from './ops.ts';
import { type CliServices, globalOpts, printJson, printRows } from './services.ts';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const SyncOptions = z.object({
  since: z.iso
    .datetime({ offset: true, error: '--since must be an ISO 8601 time, e.g. 2026-11-01T00:00:00Z' })
    .optional(),
  shop: Id.optional(),
  payments: z.boolean().optional(),
  wait: z.boolean().optional(),
  json: z.boolean().optional(),
});
const ReconcileOptions = z.object({
  statement: z
    .string()
    .regex(/^\d{1,30}$/, '--statement must be a TikTok statement id (digits)')
    .optional(),
  shop: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, '--shop must be a TikTok shop id')
    .optional(),
  json: z.boolean().optional(),
});

export function financeCommand(s: CliServices): Command {
  return new Command('finance')
    .description('TikTok statements and payouts -> NetSuite, and the tie-out of order, statement and payout')
    .addCommand(syncCommand(s).exitOverride())
    .addCommand(reconcileCommand(s).exitOverride());
}

function parse<T>(schema: z.ZodType<T>, flags: unknown, what: string): T {
  const parsed = schema.safeParse(flags);
  if (!parsed.success)
    throw new AppError(
      'validation_failed',
      `${what}: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  return parsed.data;
}

function syncCommand(s: CliServices): Command {
  return new Command('sync')
    .description(
      'Read TikTok statements (or with --payments, payments) since a time (--since ISO, default settlements.lookbackDays) and book them now: a journal entry per statement, a deposit per paid payout. Entries are upserted by external id, so a statement read again updates its entry and nothing is booked twice',
    )
    .option('--since <iso>', 'statements from this time on, e.g. 2026-11-01T00:00:00Z')
    .option('--shop <id>', 'one TikTok shop (default every configured shop)')
    .option('--payments', 'sync payments (payout deposits) instead of statements')
    .option('--wait', 'wait for the run to finish, showing progress (needs a worker running)')
    .option('--json', 'print the run as JSON')
    .action(async (flags: Record<string, unknown>, cmd: Command) => {
      const { since, shop, payments, wait, json } = parse(SyncOptions, flags, 'finance sync');
      const noun = payments ? 'payments' : 'statements';
      await startRun(s, globalOpts(cmd), {
        flow: payments ? PAYMENT_FLOW : STATEMENT_FLOW,
        params: { ...(since ? { since } : {}), ...(shop ? { shop } : {}) },
        trigger: 'manual',
        notRunning:
          'set settlements.enabled: true with its accounts, and configure tiktok:, netsuite: and shops:',
        noun,
        summary: (run) => `${run.received} ${noun}, ${run.succeeded} booked, ${run.failed} failed`,
        wait,
        json,
      });
    });
}

function reconcileCommand(s: CliServices): Command {
  return new Command('reconcile')
    .description(
      "Tie out each statement read: every order it settles matched to its sales order, every refund to a credit, the payout to the statements it pays and to its deposit, and the variance by category (fees, shipping, refunds, adjustments, reserves, rounding; FX at the payout). Without --statement, also the orders TikTok shows delivered that are in no statement and not in TikTok's unsettled list. Exit code 1 when anything is unmatched, unexplained or a finding",
    )
    .option('--statement <id>', 'one TikTok statement')
    .option('--shop <id>', 'one TikTok shop')
    .option('--json', 'print the whole tie-out as JSON')
    .action(async (flags: Record<string, unknown>, cmd: Command) => {
      const { statement, shop, json } = parse(ReconcileOptions, flags, 'finance reconcile');
      const ops = await openOps(s, globalOpts(cmd));
      let out: Reconciliation;
      try {
        out = await ops.reconcile({ statement, shop });
      } finally {
        await ops.close();
      }
      print(out, !!json);
      if (out.summary.unexplainedMinor !== 0 || out.summary.unmatched !== 0 || out.summary.findings !== 0)
        process.exitCode = 1;
    });
}

function print(r: Reconciliation, json: boolean): void {
  if (json) {
    printJson(r);
    return;
  }
  const rows = r.statements.map((t) => ({
    shop: t.shopId,
    statement: t.statementId,
    day: new Date(t.statementTime * 1000).toISOString().slice(0, 10),
    settlement: `${t.settlement} ${t.currency}`,
    orders: `${t.orders.matched}/${t.orders.settled}`,
    refunds: `${t.refunds.matched}/${t.refunds.orders}`,
    fees: t.variance.fees,
    shipping: t.variance.shipping,
    adjustments: t.variance.adjustments,
    reserves: t.variance.reserves,
    payout: t.payout.paymentId ? `${t.payout.status}${t.payout.matched ? ' matched' : ''}` : '-',
    unexplained: t.variance.unexplained,
  }));
  printRows(rows, false, [
    'shop',
    'statement',
    'day',
    'settlement',
    'orders',
    'refunds',
    'fees',
    'shipping',
    'adjustments',
    'reserves',
    'payout',
    'unexplained',
  ]);
  const m = r.summary;
  console.log(
    `${m.statements} statements, ${m.booked} booked, ${m.payoutsMatched} payouts matched, ${m.ordersMatched} orders matched, ${m.unmatched} unmatched, unexplained ${m.unexplainedMinor} minor units, ${m.findings} findings`,
  );
  for (const f of r.findings.slice(0, 50)) console.log(`  ${f.kind}: ${f.message}`);
  if (r.findings.length > 50) console.log(`  ... and ${r.findings.length - 50} more (--json lists them all)`);
}
