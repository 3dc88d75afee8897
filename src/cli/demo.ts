/** `tiksuite demo`: the one-command scenarios (composed in main/demo/demo.ts, demo-scarce.ts, demo-lifecycle.ts). */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { DemoOptions } from '../main/demo/demo.ts';
import { refuseGiven } from './options.ts';

type Scenario = 'live' | 'scarce' | 'lifecycle';

/**
 * The options each scenario uses beyond the common ones (ports, --json, --hold): given to a
 * scenario that does not use them, they are refused, not ignored.
 */
const SCENARIO_OPTIONS: Record<Scenario, readonly string[]> = {
  live: [
    'orders',
    'rate',
    'shops',
    'netsuiteConcurrency',
    'netsuiteLatencyMs',
    'holdSeconds',
    'stallSeconds',
    'faults',
  ],
  scarce: ['stock', 'reservations'],
  lifecycle: ['orders'],
};

/** The lifecycle scenario's order count when --orders is not given (the live default is 300). */
const LIFECYCLE_ORDERS = 200;

/** Refuses the options given that this scenario does not use, naming the scenarios that do. */
function refuseOtherScenarios(cmd: Command, scenario: Scenario): void {
  const own = new Set(SCENARIO_OPTIONS[scenario]);
  const groups = new Map<string, string[]>();
  for (const name of new Set(Object.values(SCENARIO_OPTIONS).flat())) {
    if (own.has(name)) continue;
    const users = (Object.keys(SCENARIO_OPTIONS) as Scenario[]).filter((s) =>
      SCENARIO_OPTIONS[s].includes(name),
    );
    const key = users.join(' or ');
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  for (const [users, names] of groups)
    refuseGiven(cmd, names, `only apply to --scenario ${users}; the ${scenario} scenario does not use them`);
}

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

export interface LifecycleRun {
  orders: number;
  json: boolean;
  hold: boolean;
  tiktokPort: number;
  netsuitePort: number;
  port: number;
}

export function demoCommand(
  run: (o: DemoOptions) => Promise<unknown>,
  runScarce?: (o: ScarceRun) => Promise<unknown>,
  runLifecycle?: (o: LifecycleRun) => Promise<{ passed: boolean }>,
): Command {
  return new Command('demo')
    .description(
      "Demo on this machine: both sandboxes, TikSuite wired to them, a scenario (the live-shopping event's ramp and flash-deal burst of orders by default), then a summary from the sandboxes' state",
    )
    .option(
      '--orders <n>',
      `live, lifecycle: orders to place (lifecycle default ${LIFECYCLE_ORDERS})`,
      int(1, 100_000),
      300,
    )
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
        'live (the order event), scarce (a flash deal on scarce stock, the stock push on) or lifecycle (a business week: orders, cancellations, warehouse shipments in NetSuite, tracking to TikTok, carriers; then returns and refunds; exit code 1 when the verdict fails)',
      )
        .choices(['live', 'scarce', 'lifecycle'])
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
        const scenario = opts.scenario as Scenario;
        refuseOtherScenarios(cmd, scenario);
        const { tiktokPort, netsuitePort, port } = opts;
        const common = { json: !!opts.json, hold: !!opts.hold, tiktokPort, netsuitePort, port };
        if (scenario === 'scarce' && runScarce) {
          await runScarce({ stock: opts.stock, reservations: opts.reservations, ...common });
          return;
        }
        if (scenario === 'lifecycle' && runLifecycle) {
          const given = cmd.getOptionValueSource('orders') === 'cli';
          const summary = await runLifecycle({ orders: given ? opts.orders : LIFECYCLE_ORDERS, ...common });
          // The summary's verdict is the exit code: 1 when anything is missing, duplicated or mismatched.
          if (!summary.passed) process.exitCode = 1;
          return;
        }
        const { scenario: _s, stock: _k, reservations: _r, ...live } = opts;
        await run({ ...live, json: !!opts.json, hold: !!opts.hold, faults: !!opts.faults });
      },
    );
}
