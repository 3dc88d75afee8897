import { Command } from 'commander';
import type { LoadedConfig } from '../config/load.ts';
import { errorMessage, isAppError } from '../shared/errors.ts';
import { parseSecretKey } from '../shared/secret-box.ts';
import { redactUrl } from '../shared/url.ts';
import { type CliServices, globalOpts, printJson } from './services.ts';

/** The longest `config check` waits for PostgreSQL to answer. */
const PROBE_MS = 3000;

export function configCommand(s: CliServices): Command {
  const config = new Command('config').description('Inspect the configuration');
  config
    .command('check')
    .description(
      'Validate tiksuite.yaml and the environment (DATABASE_URL syntax, TIKSUITE_SECRET_KEY format) and connect to PostgreSQL once; print the effective settings without secrets. Exit 2: a bad setting; exit 1: PostgreSQL unreachable',
    )
    .option('--no-connect', 'skip the test connection to PostgreSQL (check the settings only)')
    .option('--json', 'print the effective configuration as JSON')
    .action(async (opts: { json?: boolean; connect: boolean }, cmd: Command) => {
      const c = s.loadConfig(globalOpts(cmd));
      const problems = settingProblems(c);
      let unreachable: string | undefined;
      if (problems.length === 0 && c.database.url && opts.connect) {
        unreachable = await s
          .probeDatabase(c.database.url, Math.min(PROBE_MS, c.database.connectTimeoutMs))
          .then(
            () => undefined,
            (err: unknown) => (isAppError(err) ? err.message : errorMessage(err)),
          );
      }
      for (const p of [...problems, ...(unreachable ? [unreachable] : [])])
        process.stderr.write(`error: ${p}\n`);
      if (problems.length) process.exitCode = 2;
      else if (unreachable) process.exitCode = 1;
      const summary = summarize(c, opts.connect);
      if (opts.json) printJson(summary);
      else {
        const verdict = problems.length
          ? 'configuration INCOMPLETE or INVALID'
          : unreachable
            ? 'configuration OK, but the database is UNREACHABLE'
            : 'configuration OK';
        process.stdout.write(`${verdict}\n${JSON.stringify(summary, null, 2)}\n`);
      }
    });
  return config;
}

/** Settings that are missing or malformed, each naming the setting and the fix. */
function settingProblems(c: LoadedConfig): string[] {
  const problems: string[] = [];
  if (c.database.url) {
    const bad = databaseUrlProblem(c.database.url);
    if (bad) problems.push(bad);
  }
  if (c.secretKey) {
    try {
      parseSecretKey(c.secretKey);
    } catch (err) {
      problems.push(errorMessage(err));
    }
  } else if (c.mode === 'production') {
    problems.push('TIKSUITE_SECRET_KEY is not set: production mode needs it (openssl rand -hex 32)');
  }
  if (c.mode === 'production' && !c.server.adminToken) {
    problems.push('TIKSUITE_ADMIN_TOKEN is not set: production mode needs it (openssl rand -hex 24)');
  }
  return problems;
}

const URL_FORM = 'expected postgres://user:password@host:5432/database';

function databaseUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `DATABASE_URL (database.url) is not a valid URL: ${URL_FORM}`;
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    return `DATABASE_URL (database.url) must start with postgres:// or postgresql://, not ${u.protocol}//: ${URL_FORM}`;
  if (!u.hostname && !u.searchParams.get('host'))
    return `DATABASE_URL (database.url) names no host: ${URL_FORM}`;
  return undefined;
}

function summarize(c: LoadedConfig, connect: boolean) {
  return {
    configFile: c.configPath ?? '(none: defaults and environment)',
    mode: c.mode,
    home: c.homeDir,
    database: c.database.url
      ? `postgres ${redactUrl(c.database.url)}${connect ? '' : ' (connection not tested: --no-connect)'}`
      : 'embedded PGlite',
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
      ? { accountId: c.netsuite.accountId, auth: c.netsuite.auth.type, concurrency: c.netsuite.concurrency }
      : 'not configured',
    flows: c.flows,
  };
}
