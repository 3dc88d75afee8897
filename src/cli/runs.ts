import { Command } from 'commander';
import { openOps } from './ops.ts';
import { intOption, keyValue } from './options.ts';
import { type CliServices, globalOpts, printJson, printRows } from './services.ts';

export function runsCommand(s: CliServices): Command {
  return new Command('runs')
    .description('List recent flow runs with their record counts')
    .option('--flow <id>', 'only runs of this flow')
    .option('--limit <n>', 'how many, 1 to 500', intOption('--limit', 1, 500), 20)
    .option('--json', 'print as JSON')
    .action(async (opts: { flow?: string; limit: number; json?: boolean }, cmd: Command) => {
      const ops = await openOps(s, globalOpts(cmd));
      try {
        const runs = await ops.listRuns({ flow: opts.flow, limit: opts.limit });
        printRows(runs as unknown as Record<string, unknown>[], !!opts.json, [
          'id',
          'flowId',
          'trigger',
          'status',
          'startedAt',
          'received',
          'succeeded',
          'failed',
          'skipped',
        ]);
      } finally {
        await ops.close();
      }
    });
}

/** `tiksuite run <flow> [-p key=value ...] [--wait]`: start a manual run (e.g. the selftest flow). */
export function runCommand(s: CliServices): Command {
  return new Command('run')
    .description('Start a manual run of a flow, e.g. `tiksuite run selftest -p records=2000 --wait`')
    .argument('<flow>', 'flow id (see GET /api/flows)')
    .option(
      '-p, --param <key=value>',
      'a run parameter, checked against the flow before the run starts (repeat for more)',
      keyValue('--param'),
      {},
    )
    .option('--wait', 'wait for the run to finish, showing progress (needs a worker running)')
    .option('--json', 'print the run as JSON')
    .action(
      async (
        flow: string,
        opts: { param: Record<string, string>; wait?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const params = opts.param;
        const ops = await openOps(s, globalOpts(cmd));
        try {
          const runId = await ops.trigger(flow, params);
          let run = await ops.getRun(runId);
          while (opts.wait && run?.status === 'running') {
            if (!opts.json)
              process.stderr.write(`\r${run.succeeded + run.failed + run.skipped}/${run.received} records`);
            await new Promise((r) => setTimeout(r, 500));
            run = await ops.getRun(runId);
          }
          if (opts.wait && !opts.json) process.stderr.write('\n');
          if (opts.json) printJson(run);
          else process.stdout.write(`run ${runId} ${run?.status ?? 'queued'}\n`);
        } finally {
          await ops.close();
        }
      },
    );
}
