/**
 * `tiksuite orders sync`: backfill by date range or re-sync given order ids. Starts a run of the
 * orders.import flow (through the running server when it owns the database), optionally waits.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import { startRun } from './ops.ts';
import { type CliServices, globalOpts } from './services.ts';

const FLOW = 'orders.import';

const SyncOptions = z
  .object({
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    ids: z.string().optional(),
    shop: z.string().optional(),
  })
  .refine((o) => !!o.since !== !!o.ids, 'give either --since (with an optional --until) or --ids')
  .refine((o) => !o.until || !!o.since, '--until needs --since');

interface Flags {
  since?: string;
  until?: string;
  ids?: string;
  shop?: string;
  wait?: boolean;
  json?: boolean;
}

export function ordersCommand(s: CliServices): Command {
  const sync = new Command('sync')
    .description(
      'Import TikTok orders again: by update time (--since ISO [--until ISO]) or by id (--ids a,b,c); orders already imported at their current version are skipped',
    )
    .option('--since <iso>', 'orders updated at or after this time, e.g. 2026-11-20T00:00:00Z')
    .option('--until <iso>', 'and before this time')
    .option('--ids <ids>', 'comma-separated TikTok order ids')
    .option('--shop <id>', 'only this shop (default: every configured shop)')
    .option('--wait', 'wait for the run to finish, showing progress (needs a worker running)')
    .option('--json', 'print the run as JSON')
    .action(async (flags: Flags, cmd: Command) => {
      const parsed = SyncOptions.safeParse(flags);
      if (!parsed.success) {
        throw new AppError(
          'validation_failed',
          `orders sync: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
        );
      }
      const { since, until, ids, shop } = parsed.data;
      const params = {
        ...(since ? { since } : {}),
        ...(until ? { until } : {}),
        ...(ids ? { ids } : {}),
        ...(shop ? { shop } : {}),
      };
      // A date range is a backfill; re-syncing named orders is a manual run.
      await startRun(s, globalOpts(cmd), {
        flow: FLOW,
        params,
        trigger: ids ? 'manual' : 'backfill',
        notRunning: 'configure tiktok:, netsuite: and shops:',
        noun: 'orders',
        summary: (run) =>
          `${run.received} orders, ${run.succeeded} imported or updated, ${run.skipped} unchanged, ${run.failed} failed`,
        wait: flags.wait,
        json: flags.json,
      });
    });
  return new Command('orders')
    .description('TikTok Shop orders -> NetSuite sales orders')
    .addCommand(sync.exitOverride());
}
