/**
 * `tiksuite fulfillment late`: TikTok orders not shipped whose ship-by time is near or past
 * (docs/orders.md "Ship-by deadlines"). `tiksuite fulfillment sync`: a manual run of the
 * fulfillment.tracking flow (NetSuite item fulfillments -> TikTok) by ids or since a time. Both go
 * through the running server when it owns the database.
 */
import { Command } from 'commander';
import { z } from 'zod';
import type { LateList } from '../flows/fulfillment/index.ts';
import { AppError } from '../shared/errors.ts';
import { openOps, startRun } from './ops.ts';
import { numberOption } from './options.ts';
import { type CliServices, globalOpts, printJson, printRows } from './services.ts';

const FLOW = 'fulfillment.tracking';

const SyncOptions = z
  .object({
    since: z.iso
      .datetime({ offset: true, error: '--since must be an ISO 8601 time, e.g. 2026-11-20T00:00:00Z' })
      .optional(),
    ids: z
      .string()
      .regex(
        /^\s*\d{1,20}\s*(,\s*\d{1,20}\s*)*$/,
        '--ids must be NetSuite item fulfillment internal ids (digits), comma-separated',
      )
      .optional(),
  })
  .refine((o) => !(o.since && o.ids), 'give --since or --ids, not both');

export function fulfillmentCommand(s: CliServices): Command {
  return new Command('fulfillment')
    .description(
      'NetSuite item fulfillments -> TikTok shipments and tracking: orders close to their ship-by time, and on-demand syncs',
    )
    .addCommand(lateCommand(s).exitOverride())
    .addCommand(syncCommand(s).exitOverride());
}

function lateCommand(s: CliServices): Command {
  return new Command('late')
    .description(
      "List TikTok orders not shipped yet (AWAITING_SHIPMENT or PARTIALLY_SHIPPING) whose ship-by time (TikTok's rts_sla_time) is within --hours or already past, soonest first: shop, order, sales order, ship-by, time left",
    )
    .option(
      '--hours <n>',
      'orders due within this many hours, 0 to 720 (default fulfillment.lateWarningHours, 12); overdue orders are always listed',
      numberOption('--hours', 0, 720),
    )
    .option('--json', 'print as JSON')
    .action(async (flags: { hours?: number; json?: boolean }, cmd: Command) => {
      const ops = await openOps(s, globalOpts(cmd));
      try {
        printLate(await ops.lateOrders(flags.hours), !!flags.json);
      } finally {
        await ops.close();
      }
    });
}

function printLate(list: LateList, json: boolean): void {
  if (json) {
    printJson(list.orders);
    return;
  }
  const rows = list.orders.map((o) => ({
    shop: o.shopId,
    order: o.orderId,
    salesOrder: o.salesOrderId,
    shipBy: `${o.shipBy.slice(0, 16).replace('T', ' ')} UTC`,
    timeLeft: timeLeft(o.secondsLeft),
    status: o.tiktokStatus,
  }));
  printRows(rows, false, ['shop', 'order', 'salesOrder', 'shipBy', 'timeLeft', 'status']);
}

/** `3h 20m`, `2d 4h`, or `late 1h 05m` once past. */
export function timeLeft(seconds: number): string {
  const s = Math.abs(seconds);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const text = d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m`;
  return seconds < 0 ? `late ${text}` : text;
}

interface SyncFlags {
  since?: string;
  ids?: string;
  wait?: boolean;
  json?: boolean;
}

function syncCommand(s: CliServices): Command {
  return new Command('sync')
    .description(
      'Push NetSuite item fulfillments to TikTok now: those changed since a time (--since ISO, default the last 24 hours) or given ones (--ids a,b); TikTok is read first, so nothing ships twice',
    )
    .option('--since <iso>', 'fulfillments changed after this time, e.g. 2026-11-20T00:00:00Z')
    .option('--ids <ids>', 'comma-separated NetSuite item fulfillment internal ids')
    .option('--wait', 'wait for the run to finish, showing progress (needs a worker running)')
    .option('--json', 'print the run as JSON')
    .action(async (flags: SyncFlags, cmd: Command) => {
      const parsed = SyncOptions.safeParse(flags);
      if (!parsed.success)
        throw new AppError(
          'validation_failed',
          `fulfillment sync: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
        );
      const { since, ids } = parsed.data;
      const params = { ...(since ? { since } : {}), ...(ids ? { ids } : {}) };
      await startRun(s, globalOpts(cmd), {
        flow: FLOW,
        params,
        trigger: 'manual',
        notRunning: 'set fulfillment.enabled: true and configure tiktok:, netsuite: and shops:',
        noun: 'fulfillments',
        summary: (run) =>
          `${run.received} fulfillments, ${run.succeeded} pushed or unchanged, ${run.failed} failed`,
        wait: flags.wait,
        json: flags.json,
      });
    });
}
