/**
 * `tiksuite sandbox tiktok`: runs the TikTok Shop sandbox (src/connectors/tiktok-shop/sandbox) on
 * one port, prints its base URL and credentials, and runs until SIGINT/SIGTERM. The composition
 * root attaches it under a `sandbox` command group.
 */
import { Command } from 'commander';
import { startTikTokSandbox, type TikTokSandbox } from '../connectors/tiktok-shop/index.ts';
import { intOption, nonNegative } from './options.ts';

export interface SandboxTiktokOptions {
  port: number;
  host: string;
  seed: number;
  appKey?: string;
  appSecret?: string;
  speed: number;
  redirectUrl?: string;
  json?: boolean;
}

/** Human-readable summary of where the sandbox listens and what to connect with. */
export function describeSandbox(sb: TikTokSandbox): string {
  const c = sb.credentials();
  const lines = [
    `TikTok Shop sandbox listening on ${sb.url}`,
    `  API and auth host: ${sb.url}   admin: ${sb.url}/_sandbox/credentials`,
    `  app_key:    ${c.app_key}`,
    `  app_secret: ${c.app_secret}`,
  ];
  for (const s of c.shops) {
    lines.push(`  shop ${s.id} (${s.region}, ${s.name})`);
    lines.push(`    cipher:        ${s.cipher}`);
    lines.push(`    access_token:  ${s.access_token}`);
    lines.push(`    refresh_token: ${s.refresh_token}`);
  }
  return lines.join('\n');
}

/** Starts the sandbox, prints it, waits for `until` (default: SIGINT/SIGTERM), then closes it. */
export async function runSandboxTiktok(
  o: SandboxTiktokOptions,
  io: { print: (text: string) => void; until?: Promise<unknown> } = { print: (t) => console.log(t) },
): Promise<void> {
  const sb = await startTikTokSandbox({
    port: o.port,
    host: o.host,
    seed: o.seed,
    appKey: o.appKey,
    appSecret: o.appSecret,
    speed: o.speed,
    redirectUrl: o.redirectUrl,
  });
  io.print(o.json ? JSON.stringify({ url: sb.url, ...sb.credentials() }, null, 2) : describeSandbox(sb));
  const until =
    io.until ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  await until;
  await sb.close();
}

export function sandboxTiktokCommand(): Command {
  return new Command('tiktok')
    .description(
      'Run a local TikTok Shop emulator (API, auth host, webhooks, /_sandbox admin API) until Ctrl-C; see docs/sandbox-tiktok.md',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one)', intOption('--port', 0, 65535), 7701)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option(
      '--seed <n>',
      'seed for ids, tokens and simulated randomness (same seed, same sandbox)',
      intOption('--seed', 0, 2 ** 31),
      1,
    )
    .option('--app-key <key>', 'fix the app key instead of deriving it from the seed')
    .option('--app-secret <secret>', 'fix the app secret instead of deriving it from the seed')
    .option(
      '--speed <x>',
      'simulated seconds per real second (0 freezes business time; advance it via the admin API)',
      nonNegative('--speed'),
      1,
    )
    .option('--redirect-url <url>', 'where GET /oauth/authorize redirects with ?code&state after "consent"')
    .option('--json', 'print the URL and credentials as JSON')
    .action(async (o: SandboxTiktokOptions) => {
      await runSandboxTiktok(o);
    });
}
