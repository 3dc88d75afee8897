import { Command } from 'commander';
import { type CliServices, globalOpts, printJson } from './services.ts';

export function migrateCommand(s: CliServices): Command {
  return new Command('migrate')
    .description('Create or upgrade the database schema (also done automatically at start)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = s.loadConfig(globalOpts(cmd));
      const result = await s.migrate(config);
      if (opts.json) printJson(result);
      else
        process.stdout.write(
          result.applied.length
            ? `applied ${result.applied.join(', ')} on ${result.engine}\n`
            : `schema up to date on ${result.engine}\n`,
        );
    });
}
