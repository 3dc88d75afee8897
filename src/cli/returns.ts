/**
 * `tiksuite returns sync`: a manual run of the aftersale flows (TikTok returns and refunds, or with
 * --cancellations the cancellations) by ids or since a time (docs/returns.md). TikTok is read
 * afresh and every NetSuite document is found by external id first, so nothing is booked twice.
 * Goes through the running server when it owns the database.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { CANCELLATION_FLOW, RETURN_FLOW } from '../flows/aftersale/index.ts';
import { AppError } from '../shared/errors.ts';
import { startRun } from './ops.ts';
import { type CliServices, globalOpts } from './services.ts';

const SyncOptions = z
  .object({
    since: z.iso
      .datetime({ offset: true, error: '--since must be an ISO 8601 time, e.g. 2026-11-20T00:00:00Z' })
      .optional(),
    ids: z
      .string()
      .regex(
        /^\s*\d{1,30}\s*(,\s*\d{1,30}\s*)*$/,
        '--ids must be TikTok return or cancellation ids (digits), comma-separated',
      )
      .optional(),
    shop: z.string().min(1, '--shop must name a TikTok shop id').optional(),
    cancellations: z.boolean().optional(),
    wait: z.boolean().optional(),
    json: z.boolean().optional(),
  })
  .refine((o) => !(o.since && o.ids), 'give --since or --ids, not both');

export function returnsCommand(s: CliServices): Command {
  return new Command('returns')
    .description('TikTok cancellations, returns and refunds -> NetSuite: on-demand syncs')
    .addCommand(syncCommand(s).exitOverride());
}

function syncCommand(s: CliServices): Command {
  return new Command('sync')
    .description(
      'Book TikTok returns and refunds into NetSuite now (return authorizations, receipts, credit memos, refunds): those updated since a time (--since ISO, default the last 24 hours) or given ones (--ids a,b); with --cancellations, the cancellations instead. Documents are found by external id first, so nothing is booked twice',
    )
    .option('--since <iso>', 'updated after this time, e.g. 2026-11-20T00:00:00Z')
    .option('--ids <ids>', 'comma-separated TikTok return (or cancellation) ids')
    .option('--shop <id>', 'one TikTok shop (default every configured shop)')
    .option('--cancellations', 'sync cancellations instead of returns')
    .option('--wait', 'wait for the run to finish, showing progress (needs a worker running)')
    .option('--json', 'print the run as JSON')
    .action(async (flags: Record<string, unknown>, cmd: Command) => {
      const parsed = SyncOptions.safeParse(flags);
      if (!parsed.success)
        throw new AppError(
          'validation_failed',
          `returns sync: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
        );
      const { since, ids, shop, cancellations, wait, json } = parsed.data;
      const params = { ...(since ? { since } : {}), ...(ids ? { ids } : {}), ...(shop ? { shop } : {}) };
      const noun = cancellations ? 'cancellations' : 'returns';
      await startRun(s, globalOpts(cmd), {
        flow: cancellations ? CANCELLATION_FLOW : RETURN_FLOW,
        params,
        trigger: 'manual',
        notRunning: 'set aftersale.enabled: true and configure tiktok:, netsuite: and shops:',
        noun,
        summary: (run) => `${run.received} ${noun}, ${run.succeeded} done, ${run.failed} failed`,
        wait,
        json,
      });
    });
}
