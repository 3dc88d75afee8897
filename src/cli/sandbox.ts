/**
 * `tiksuite sandbox`: both emulators together (TikTok Shop and NetSuite) until Ctrl-C, or one of
 * them with `tiksuite sandbox tiktok|netsuite` and its own options.
 *
 * The group and its subcommands declare options of the same names (--seed, --host, --concurrency,
 * --latency-ms). Commander would give them to the group and the subcommand would run on its
 * defaults; with positional options each belongs to the command it follows, and the group's own
 * options before a subcommand name are refused rather than ignored.
 */
import { Command } from 'commander';
import { intOption, refuseGiven } from './options.ts';
import { runSandboxNetsuite, sandboxNetsuiteCommand } from './sandbox-netsuite.ts';
import { runSandboxTiktok, sandboxTiktokCommand } from './sandbox-tiktok.ts';

interface BothOptions {
  tiktokPort: number;
  netsuitePort: number;
  host: string;
  seed: number;
  concurrency: number;
  latencyMs: number;
}

export function sandboxCommand(): Command {
  return new Command('sandbox')
    .description('Run local emulators of TikTok Shop and NetSuite (both, or one with its subcommand)')
    .option('--tiktok-port <port>', 'TikTok Shop sandbox port', intOption('--tiktok-port', 0, 65535), 7701)
    .option('--netsuite-port <port>', 'NetSuite sandbox port', intOption('--netsuite-port', 0, 65535), 7702)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option(
      '--seed <n>',
      'seed for both sandboxes (same seed, same credentials)',
      intOption('--seed', 0, 2 ** 31),
      1,
    )
    .option(
      '--concurrency <n>',
      'NetSuite requests in flight before 429',
      intOption('--concurrency', 1, 1000),
      15,
    )
    .option(
      '--latency-ms <ms>',
      'NetSuite base time of a sales-order save',
      intOption('--latency-ms', 0, 600_000),
      0,
    )
    .enablePositionalOptions()
    .addCommand(sandboxTiktokCommand())
    .addCommand(sandboxNetsuiteCommand())
    .hook('preSubcommand', (group, sub) => {
      const names = group.options.map((o) => o.attributeName());
      const name = sub.name();
      refuseGiven(
        group,
        names,
        `before "${name}" would be ignored: put the options of one emulator after its name, e.g. \`tiksuite sandbox ${name} --port 0 --seed 7\``,
      );
    })
    .action(async (o: BothOptions) => {
      const until = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      const print = (text: string) => console.log(`${text}\n`);
      await Promise.all([
        runSandboxTiktok({ port: o.tiktokPort, host: o.host, seed: o.seed, speed: 1 }, { print, until }),
        runSandboxNetsuite(
          {
            port: o.netsuitePort,
            host: o.host,
            seed: o.seed,
            concurrency: o.concurrency,
            latencyMs: o.latencyMs,
            timeScale: 1,
            accountId: '1234567_SB1',
          },
          { print, until },
        ),
      ]);
    });
}
