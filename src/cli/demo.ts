/** `tiksuite demo`: the one-command live-shopping event (composition in main/demo.ts). */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { DemoOptions } from '../main/demo.ts';
import { refuseGiven } from './options.ts';

/** Options only one scenario uses: given to the other one, they are refused, not ignored. */
const LIVE_ONLY = [
  'orders',
  'rate',
  'shops',
  'netsuiteConcurrency',
  'netsuiteLatencyMs',
  'holdSeconds',
  'stallSeconds',
  'faults',
];
const SCARCE_ONLY = ['stock', 'reservations'];

function int(min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

function positive(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

export interface ScarceRun {
  stock: number;
  reservations: boolean;
  json: boolean;
  hold: boolean;
  tiktokPort: number;
  netsuitePort: number;
  port: number;
}

export function demoCommand(
  run: (o: DemoOptions) => Promise<unknown>,
  runScarce?: (o: ScarceRun) => Promise<unknown>,
): Command {
  return new Command('demo')
    .description(
      "Live-shopping demo on this machine: both sandboxes, TikSuite wired to them, a ramp and a flash-deal burst of orders, then a summary from the sandboxes' state",
    )
    .option('--orders <n>', 'live: orders to place', int(1, 100_000), 300)
    .option('--rate <r>', 'live: orders per second at the peak (the flash deal)', positive, 40)
    .option('--shops <k>', 'live: TikTok shops (alternating US and GB)', int(1, 20), 2)
    .option(
      '--netsuite-concurrency <c>',
      'live: NetSuite concurrency limit C (sandbox and client)',
      int(1, 100),
      15,
    )
    .option('--netsuite-latency-ms <l>', 'live: NetSuite time per sales-order save L', int(0, 60_000), 250)
    .option('--tiktok-port <port>', 'TikTok sandbox port (0 = any free)', int(0, 65535), 0)
    .option('--netsuite-port <port>', 'NetSuite sandbox port (0 = any free)', int(0, 65535), 0)
    .option('--port <port>', 'TikSuite API/dashboard port (0 = any free)', int(0, 65535), 0)
    .option('--hold-seconds <s>', 'live: real seconds the one-hour TikTok on-hold window takes', positive, 2)
    .option(
      '--stall-seconds <s>',
      'live: stop waiting after this long without a new sales order',
      positive,
      30,
    )
    .option(
      '--faults',
      'live: the fault run: NetSuite 5% 5xx and 2% timeout-after-commit, TikTok 5% 5xx, duplicated/reordered webhooks, 10% of webhooks lost',
    )
    .addOption(
      new Option(
        '--scenario <name>',
        'live (the order event) or scarce (a flash deal on scarce stock, the stock push on)',
      )
        .choices(['live', 'scarce'])
        .default('live'),
    )
    .option('--stock <n>', 'scarce: units of each scarce SKU', int(1, 10_000), 5)
    .option('--no-reservations', 'scarce: turn reservations off to show the classic oversell')
    .option('--json', 'print the summary as one JSON object on stdout')
    .option('--hold', 'keep everything running after the summary until Ctrl-C')
    .action(
      async (
        opts: Omit<DemoOptions, 'json' | 'hold'> & {
          json?: boolean;
          hold?: boolean;
          scenario: string;
          stock: number;
          reservations: boolean;
        },
        cmd: Command,
      ) => {
        const scarce = opts.scenario === 'scarce';
        refuseGiven(
          cmd,
          scarce ? LIVE_ONLY : SCARCE_ONLY,
          `only apply to --scenario ${scarce ? 'live' : 'scarce'}; the ${opts.scenario} scenario does not use them`,
        );
        if (scarce && runScarce) {
          const { stock, reservations, tiktokPort, netsuitePort, port } = opts;
          const hold = !!opts.hold;
          await runScarce({ stock, reservations, json: !!opts.json, hold, tiktokPort, netsuitePort, port });
          return;
        }
        const { scenario: _s, stock: _k, reservations: _r, ...live } = opts;
        await run({ ...live, json: !!opts.json, hold: !!opts.hold, faults: !!opts.faults });
      },
    );
}
