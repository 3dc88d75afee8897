import { Command } from 'commander';
import { redactUrl } from '../shared/url.ts';
import { type CliServices, globalOpts, printJson } from './services.ts';

export function configCommand(s: CliServices): Command {
  const config = new Command('config').description('Inspect the configuration');
  config
    .command('check')
    .description('Validate tiksuite.yaml and the environment; print the effective settings without secrets')
    .option('--json', 'print the effective configuration as JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const c = s.loadConfig(globalOpts(cmd));
      const summary = {
        configFile: c.configPath ?? '(none: defaults and environment)',
        mode: c.mode,
        home: c.homeDir,
        database: c.database.url ? `postgres ${redactUrl(c.database.url)}` : 'embedded PGlite',
        schema: c.database.schema,
        server: `${c.server.host}:${c.server.port}`,
        secretKey: c.secretKey
          ? 'set (TIKSUITE_SECRET_KEY)'
          : c.mode === 'production'
            ? 'MISSING'
            : 'local key file',
        tiktok: c.tiktok ? { baseUrl: c.tiktok.baseUrl, appKey: c.tiktok.appKey } : 'not configured',
        netsuite: c.netsuite
          ? {
              accountId: c.netsuite.accountId,
              auth: c.netsuite.auth.type,
              concurrency: c.netsuite.concurrency,
            }
          : 'not configured',
        flows: c.flows,
      };
      if (c.mode === 'production' && !c.secretKey) {
        process.stderr.write(
          'error: TIKSUITE_SECRET_KEY is not set: production mode needs it (openssl rand -hex 32)\n',
        );
        process.exitCode = 2;
      }
      if (opts.json) printJson(summary);
      else process.stdout.write(`configuration OK\n${JSON.stringify(summary, null, 2)}\n`);
    });
  return config;
}
