/**
 * `tiksuite catalog sync`: NetSuite items -> TikTok products and prices now, instead of at the next
 * poll. Starts a run of catalog.products and one of catalog.prices (through the running server when
 * it owns the database), optionally waits for both.
 */
import { Command } from 'commander';
import { CATALOG_PRICES_FLOW, CATALOG_PRODUCTS_FLOW } from '../flows/catalog/index.ts';
import { AppError, isAppError } from '../shared/errors.ts';
import type { RunRow } from '../store/runs.ts';
import { openOps } from './ops.ts';
import { type CliServices, globalOpts, printJson } from './services.ts';

interface Flags {
  full?: boolean;
  items?: string;
  shop?: string;
  wait?: boolean;
  json?: boolean;
}

const done = (r: RunRow | undefined) => r !== undefined && r.status !== 'running';

export function catalogCommand(s: CliServices): Command {
  const sync = new Command('sync')
    .description(
      'List NetSuite items on TikTok now: items changed since the last poll (default), every item (--full) or named items (--items); products whose body and price are unchanged are not written',
    )
    .option('--full', 'every item of the synced types, not only those changed since the last poll')
    .option('--items <ids>', 'comma-separated NetSuite item internal ids or Item Names/Numbers')
    .option('--shop <id>', 'only this shop (default: every shop in catalog.shops)')
    .option('--wait', 'wait for both runs to finish, showing progress (needs a worker running)')
    .option('--json', 'print the runs as JSON')
    .action(async (flags: Flags, cmd: Command) => {
      if (flags.full && flags.items)
        throw new AppError('validation_failed', 'catalog sync: give --full or --items, not both');
      const params = {
        ...(flags.full ? { full: true } : {}),
        ...(flags.items ? { items: flags.items } : {}),
        ...(flags.shop ? { shop: flags.shop } : {}),
      };
      const trigger = flags.full ? 'backfill' : 'manual';
      const ops = await openOps(s, globalOpts(cmd));
      try {
        const ids: string[] = [];
        for (const flow of [CATALOG_PRODUCTS_FLOW, CATALOG_PRICES_FLOW]) {
          ids.push(
            await ops.trigger(flow, params, trigger).catch((err: unknown) => {
              if (isAppError(err) && err.code === 'flow_not_found')
                throw new AppError(
                  'flow_not_found',
                  `${flow} is not running: set catalog.enabled and configure tiktok:, netsuite:, shops: and catalog.shops in tiksuite.yaml`,
                );
              throw err;
            }),
          );
        }
        let runs = await Promise.all(ids.map((id) => ops.getRun(id)));
        while (flags.wait && !runs.every(done)) {
          if (!flags.json) {
            const [p, q] = runs;
            process.stderr.write(
              `\rproducts ${(p?.succeeded ?? 0) + (p?.failed ?? 0) + (p?.skipped ?? 0)}/${p?.received ?? 0}, prices ${(q?.succeeded ?? 0) + (q?.failed ?? 0) + (q?.skipped ?? 0)}/${q?.received ?? 0}`,
            );
          }
          await new Promise((r) => setTimeout(r, 500));
          runs = await Promise.all(ids.map((id) => ops.getRun(id)));
        }
        if (flags.wait && !flags.json) process.stderr.write('\n');
        if (flags.json) printJson(runs);
        else
          for (const [i, run] of runs.entries())
            process.stdout.write(
              `${i === 0 ? 'products' : 'prices'}: run ${ids[i]} ${run?.status ?? 'queued'}${run ? `: ${run.received} items, ${run.succeeded} written or unchanged, ${run.skipped} skipped, ${run.failed} failed` : ''}\n`,
            );
      } finally {
        await ops.close();
      }
    });
  return new Command('catalog')
    .description('NetSuite items -> TikTok Shop products and prices (docs/catalog.md)')
    .addCommand(sync.exitOverride());
}
