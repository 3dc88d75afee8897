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
        adminToken: c.server.adminToken
          ? 'set'
          : c.mode === 'production'
            ? 'MISSING'
            : `generated in ${c.homeDir}/admin.token`,
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
      const problems: string[] = [];
      if (c.mode === 'production' && !c.secretKey) {
        problems.push('TIKSUITE_SECRET_KEY is not set: production mode needs it (openssl rand -hex 32)');
      }
      if (c.mode === 'production' && !c.server.adminToken) {
        problems.push('TIKSUITE_ADMIN_TOKEN is not set: production mode needs it (openssl rand -hex 24)');
      }
      for (const p of problems) process.stderr.write(`error: ${p}\n`);
      if (problems.length) process.exitCode = 2;
      if (opts.json) printJson(summary);
      else {
        const verdict = problems.length ? 'configuration INCOMPLETE' : 'configuration OK';
        process.stdout.write(`${verdict}\n${JSON.stringify(summary, null, 2)}\n`);
      }
    });
  return config;
}
