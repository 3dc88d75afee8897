/**
 * `tiksuite` entry point: parses the command line, loads config once, wires the services the
 * command files use, and turns failures into one clear line on stderr and a non-zero exit code
 * (2 for bad input or configuration, 1 for anything else).
 */

import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { catalogCommand } from '../cli/catalog.ts';
import { configCommand } from '../cli/config-check.ts';
import { demoCommand } from '../cli/demo.ts';
import { errorsCommand } from '../cli/errors.ts';
import { financeCommand } from '../cli/finance.ts';
import { fulfillmentCommand } from '../cli/fulfillment.ts';
import { wireGlobalOptions } from '../cli/globals.ts';
import { inventoryCommand } from '../cli/inventory.ts';
import { migrateCommand } from '../cli/migrate.ts';
import { refuseBadText } from '../cli/options.ts';
import { ordersCommand } from '../cli/orders.ts';
import { returnsCommand } from '../cli/returns.ts';
import { runCommand, runsCommand } from '../cli/runs.ts';
import { sandboxCommand } from '../cli/sandbox.ts';
import { serveCommand, workerCommand } from '../cli/serve.ts';
import type { CliServices } from '../cli/services.ts';
import { loadConfig } from '../config/load.ts';
import { AppError, errorMessage, isAppError } from '../shared/errors.ts';
import { createLogger } from '../shared/log.ts';

const services: CliServices = {
  loadConfig: (g, overrides) => loadConfig({ path: g.config, overrides: overrides ?? {} }),
  logger: (config, g) => createLogger({ level: config.log.level, pretty: g.pretty ?? config.log.pretty }),
  // The database, queue and server modules load on first use, so `--help` and `config check` start fast.
  async openRuntime(config, log, opts) {
    const { openRuntime } = await import('./runtime.ts');
    const rt = await openRuntime(config, { log, schedule: opts.work });
    if (opts.work) await rt.engine.work();
    return rt;
  },
  probeDatabase: async (url, timeoutMs) => (await import('../store/index.ts')).probePostgres(url, timeoutMs),
  serve: async (config, log, opts) => (await import('./server.ts')).runServer(config, log, opts),
  async migrate(config) {
    const { migrateToLatest, openDatabase, resolveSecretKey } = await import('../store/index.ts');
    resolveSecretKey(config);
    const handle = await openDatabase({
      url: config.database.url,
      dataDir: join(config.homeDir, 'data'),
      schema: config.database.schema,
      connectTimeoutMs: config.database.connectTimeoutMs,
    });
    try {
      const r = await migrateToLatest(handle);
      return { applied: r.applied, engine: handle.engine };
    } finally {
      await handle.close();
    }
  },
};

export function buildProgram(s: CliServices): Command {
  const program = new Command('tiksuite')
    .description('TikSuite: TikTok Shop <-> Oracle NetSuite integration (self-hosted)')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    // Text a person typed (ids, notes, parameters) is refused before any command runs with it.
    .hook('preAction', (_program, action) => {
      for (let c: Command | null = action; c; c = c.parent) refuseBadText(c);
    });
  for (const cmd of [
    serveCommand(s),
    workerCommand(s),
    migrateCommand(s),
    configCommand(s),
    runsCommand(s),
    runCommand(s),
    errorsCommand(s),
    ordersCommand(s),
    catalogCommand(s),
    inventoryCommand(s),
    fulfillmentCommand(s),
    returnsCommand(s),
    financeCommand(s),
    demoCommand(
      async (o) => (await import('./demo/demo.ts')).runDemo(o),
      async (o) =>
        (await import('./demo/demo-scarce.ts')).runScarceDemo({
          ...o,
          skus: 3,
          buyers: 6,
          eventSeconds: 6,
          pollSeconds: 1,
        }),
      async (o) => (await import('./demo/demo-lifecycle.ts')).runLifecycleDemo(o),
    ),
    sandboxCommand(),
  ]) {
    program.addCommand(cmd);
  }
  wireGlobalOptions(program);
  exitOverrideAll(program);
  return program;
}

/** Commander exits the process itself (code 1) unless told not to, for each nested command. */
function exitOverrideAll(cmd: Command): void {
  cmd.exitOverride();
  for (const sub of cmd.commands) exitOverrideAll(sub);
}

const BAD_INPUT = new Set([
  'config_invalid',
  'config_not_found',
  'secret_key_missing',
  'secret_key_invalid',
  'admin_token_missing',
  'validation_failed',
  'flow_not_found',
  'error_not_found',
]);

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram(services).parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const code = isAppError(err) && BAD_INPUT.has(err.code) ? 2 : 1;
    const text = isAppError(err) ? err.message : `unexpected failure: ${errorMessage(err)}`;
    process.stderr.write(`error: ${text}\n`);
    // A non-AppError is a bug: keep its stack for the report.
    if (!(err instanceof AppError) && err instanceof Error && err.stack)
      process.stderr.write(`${err.stack}\n`);
    return code;
  }
}

const code = await main(process.argv);
// Let stdout drain, then leave even if a library left a handle open.
process.exitCode = code;
setImmediate(() => process.exit(code));
