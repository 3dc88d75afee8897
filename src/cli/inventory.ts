/**
 * `tiksuite inventory sync`: re-evaluates TikTok stock from NetSuite now, for every SKU (--full, the
 * nightly resync) or given seller SKUs (--skus a,b). Starts a run of the inventory.push flow (through
 * the running server when it owns the database), optionally waits for it.
 */
import { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import { startRun } from './ops.ts';
import { type CliServices, globalOpts } from './services.ts';

const FLOW = 'inventory.push';

const SyncOptions = z
  .object({ full: z.boolean().optional(), skus: z.string().optional() })
  .refine((o) => !!o.full !== !!o.skus, 'give either --full or --skus a,b,c');

interface Flags {
  full?: boolean;
  skus?: string;
  wait?: boolean;
  json?: boolean;
}

export function inventoryCommand(s: CliServices): Command {
  const sync = new Command('sync')
    .description(
      'Push NetSuite stock to TikTok now: every SKU (--full, like the nightly resync) or some (--skus a,b,c); SKUs TikTok already shows right are skipped',
    )
    .option('--full', 'every SKU listed on TikTok')
    .option('--skus <skus>', 'comma-separated seller SKUs (= NetSuite item names)')
    .option('--wait', 'wait for the run to finish, showing progress (needs a worker running)')
    .option('--json', 'print the run as JSON')
    .action(async (flags: Flags, cmd: Command) => {
      const parsed = SyncOptions.safeParse(flags);
      if (!parsed.success)
        throw new AppError(
          'validation_failed',
          `inventory sync: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
        );
      const params = parsed.data.skus ? { skus: parsed.data.skus } : { full: true };
      await startRun(s, globalOpts(cmd), {
        flow: FLOW,
        params,
        trigger: 'manual',
        notRunning: 'set inventory.enabled: true and configure tiktok:, netsuite: and shops:',
        noun: 'products',
        summary: (run) => `${run.received} product batches, ${run.succeeded} evaluated, ${run.failed} failed`,
        wait: flags.wait,
        json: flags.json,
        pollMs: 300,
      });
    });
  return new Command('inventory')
    .description('NetSuite stock -> TikTok listed quantities (docs/inventory.md)')
    .addCommand(sync.exitOverride());
}
