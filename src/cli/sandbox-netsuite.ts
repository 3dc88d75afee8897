/**
 * `tiksuite sandbox netsuite`: runs the NetSuite sandbox (src/connectors/netsuite/sandbox) on one
 * port, prints its base URL and credentials (TBA and M2M), and runs until SIGINT/SIGTERM. The
 * composition root attaches it under the `sandbox` command group. See docs/sandbox-netsuite.md.
 */
import { Command } from 'commander';
import { type RunningSandbox, startNetSuiteSandbox } from '../connectors/netsuite/index.ts';
import { intOption, nonNegative } from './options.ts';

export interface SandboxNetsuiteOptions {
  port: number;
  host: string;
  seed: number;
  concurrency: number;
  latencyMs: number;
  timeScale: number;
  accountId: string;
  json?: boolean;
}

/** Human-readable summary of where the sandbox listens and what to connect with. */
export function describeNetsuiteSandbox(sb: RunningSandbox): string {
  const c = sb.credentials();
  return [
    `NetSuite sandbox listening on ${sb.url}   (account ${c.account_id}, realm ${c.realm})`,
    `  admin API:       ${sb.url}/_sandbox/credentials, /_sandbox/stats, /_sandbox/settings`,
    '  TBA (OAuth 1.0a, HMAC-SHA256):',
    `    consumer_key:    ${c.consumer_key}`,
    `    consumer_secret: ${c.consumer_secret}`,
    `    token_id:        ${c.token_id}`,
    `    token_secret:    ${c.token_secret}`,
    '  OAuth 2.0 M2M (client credentials, ES256):',
    `    client_id:       ${c.client_id}`,
    `    certificate_id:  ${c.certificate_id}`,
    `    token_url:       ${c.token_url}`,
    '    private_key:     GET /_sandbox/credentials (or --json)',
  ].join('\n');
}

/** Starts the sandbox, prints it, waits for `until` (default: SIGINT/SIGTERM), then closes it. */
export async function runSandboxNetsuite(
  o: SandboxNetsuiteOptions,
  io: { print: (text: string) => void; until?: Promise<unknown> } = { print: (t) => console.log(t) },
): Promise<void> {
  const sb = await startNetSuiteSandbox({
    port: o.port,
    host: o.host,
    settings: {
      accountId: o.accountId,
      seed: o.seed,
      concurrency: o.concurrency,
      latency: { baseMs: o.latencyMs, timeScale: o.timeScale },
    },
  });
  io.print(
    o.json ? JSON.stringify({ url: sb.url, ...sb.credentials() }, null, 2) : describeNetsuiteSandbox(sb),
  );
  const until =
    io.until ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  await until;
  await sb.close();
}

export function sandboxNetsuiteCommand(): Command {
  return new Command('netsuite')
    .description(
      'Run a local NetSuite REST emulator (records, SuiteQL, TBA + OAuth 2.0 M2M, /_sandbox admin API) until Ctrl-C; see docs/sandbox-netsuite.md',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one)', intOption('--port', 0, 65535), 7702)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option(
      '--seed <n>',
      'seed for credentials, jitter and fault choices (same seed, same sandbox)',
      intOption('--seed', 0, 2 ** 31),
      1,
    )
    .option(
      '--concurrency <n>',
      'requests in flight before 429 CONCURRENCY_LIMIT_EXCEEDED',
      intOption('--concurrency', 1, 1000),
      15,
    )
    .option(
      '--latency-ms <ms>',
      'base time of a sales-order save; other operations are fractions of it',
      nonNegative('--latency-ms'),
      0,
    )
    .option(
      '--time-scale <x>',
      'multiplier on every latency (0.01 runs a 2 s save in 20 ms)',
      nonNegative('--time-scale'),
      1,
    )
    .option(
      '--account-id <id>',
      'account id the sandbox answers for (realm is its upper-case form)',
      '1234567_SB1',
    )
    .option('--json', 'print the URL and credentials (including the M2M private key) as JSON')
    .action(async (o: SandboxNetsuiteOptions) => {
      await runSandboxNetsuite(o);
    });
}
