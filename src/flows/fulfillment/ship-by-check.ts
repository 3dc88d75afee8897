/**
 * The ship-by check: every `fulfillment.lateCheckIntervalSeconds` (default 60 s) it finds the
 * orders not shipped within `fulfillment.lateWarningHours` of TikTok's ship-by time, or past it
 * (ship-by.ts), and makes them visible like the stall watchdog does its stalls: the
 * `tiksuite_orders_ship_late{state}` gauge, and one `ship_by_due_soon` warning record per order,
 * raised once (its message changes only with the order's situation: partly shipped, overdue) and
 * resolved by itself once the order ships. Any number of processes may run it on one database: they read the same
 * rows and upsert the same records.
 */
import { Gauge, type Registry } from 'prom-client';
import type { FulfillmentSettings } from '../../config/fulfillment-settings.ts';
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { Periodic } from '../../shared/periodic.ts';
import type { Stores } from '../../store/index.ts';
import type { OrderRef } from '../orders/sync-state.ts';
import { FULFILLMENT_FLOW } from './deps.ts';
import { type LateOrder, lateOrders, shipState, WAITING_STATUSES } from './ship-by.ts';

export const SHIP_BY_CODE = 'ship_by_due_soon';

export interface ShipByCheckDeps {
  stores: Stores;
  registry: Registry;
  log: Logger;
  settings: Pick<FulfillmentSettings, 'lateWarningHours' | 'lateCheckIntervalSeconds'>;
  /** Milliseconds since the epoch (default: the system clock). */
  now?: () => number;
}

export interface ShipByReport {
  /** Checks completed since start. */
  checks: number;
  checkedAt: Date | null;
  dueSoon: number;
  overdue: number;
}

/** The record key of an order's warning. */
export function shipByKey(ref: OrderRef): string {
  return `ship-by:${ref.shopId}:${ref.orderId}`;
}

function refOfKey(key: string | null): OrderRef | undefined {
  const m = key ? /^ship-by:(.+):(\d+)$/.exec(key) : null;
  return m ? { shopId: m[1]!, orderId: m[2]! } : undefined;
}

export class ShipByCheck {
  readonly #deps: ShipByCheckDeps;
  readonly #gauge: Gauge<'state'>;
  #report: ShipByReport = { checks: 0, checkedAt: null, dueSoon: 0, overdue: 0 };
  readonly #loop = new Periodic({
    round: () => this.check(),
    intervalMs: () => this.#deps.settings.lateCheckIntervalSeconds * 1000,
    onError: (err) => this.#deps.log.error({ err: errorMessage(err) }, 'ship-by check failed'),
  });

  constructor(deps: ShipByCheckDeps) {
    this.#deps = deps;
    this.#gauge = new Gauge({
      name: 'tiksuite_orders_ship_late',
      help: 'TikTok orders not shipped whose ship-by time (rts_sla_time) is within fulfillment.lateWarningHours (due_soon) or past (overdue)',
      labelNames: ['state'],
      registers: [deps.registry],
    });
    this.#gauge.set({ state: 'due_soon' }, 0);
    this.#gauge.set({ state: 'overdue' }, 0);
  }

  get report(): ShipByReport {
    return this.#report;
  }

  start(): void {
    this.#loop.start();
  }

  /** Stops checking; waits for the check in progress (up to a minute). */
  stop(): Promise<void> {
    return this.#loop.stop(60_000);
  }

  /** One check: the gauge, a warning per late order, and the warnings of orders that shipped resolved. */
  async check(): Promise<LateOrder[]> {
    const { stores, settings } = this.#deps;
    const now = new Date(this.#deps.now?.() ?? Date.now());
    const late = await lateOrders(stores.db, { hours: settings.lateWarningHours, now });
    const overdue = late.filter((o) => o.state === 'overdue').length;
    this.#gauge.set({ state: 'due_soon' }, late.length - overdue);
    this.#gauge.set({ state: 'overdue' }, overdue);
    for (const o of late) {
      await stores.errors.raiseOnce({
        flowId: FULFILLMENT_FLOW,
        recordKey: shipByKey(o),
        errorClass: 'warning',
        code: SHIP_BY_CODE,
        message: warning(o),
        details: {
          shopId: o.shopId,
          orderId: o.orderId,
          salesOrderId: o.salesOrderId,
          shipBy: o.shipBy.toISOString(),
          state: o.state,
        },
      });
    }
    const resolved = await this.#resolveShipped(new Set(late.map(shipByKey)));
    if (resolved) this.#deps.log.info({ resolved }, 'ship-by warnings resolved');
    this.#report = {
      checks: this.#report.checks + 1,
      checkedAt: now,
      dueSoon: late.length - overdue,
      overdue,
    };
    return late;
  }

  /** Open warnings of orders no longer late, resolved with what changed. */
  async #resolveShipped(stillLate: ReadonlySet<string>): Promise<number> {
    const { stores } = this.#deps;
    const open = await stores.errors.openOf(FULFILLMENT_FLOW, SHIP_BY_CODE);
    let n = 0;
    for (const r of open) {
      if (r.recordKey && stillLate.has(r.recordKey)) continue;
      const ref = refOfKey(r.recordKey);
      const state = ref ? await shipState(stores.db, ref) : undefined;
      n += await stores.errors.resolve({ id: r.id }, resolution(state));
    }
    return n;
  }
}

const WAITING = new Set<string>(WAITING_STATUSES);

function resolution(state: Awaited<ReturnType<typeof shipState>>): string {
  if (!state) return 'the order is no longer known to TikSuite';
  if (state.shippedAt) return 'shipped: TikSuite pushed every unit of the order to TikTok';
  if (state.tiktokStatus && !WAITING.has(state.tiktokStatus))
    return `no longer waiting for shipment: the order is ${state.tiktokStatus} on TikTok`;
  return state.shipBy
    ? `TikTok moved the ship-by time to ${stamp(state.shipBy)}`
    : 'the order has no ship-by time any more';
}

function warning(o: LateOrder): string {
  const order = `TikTok order ${o.orderId} (shop ${o.shopId}, ${o.tiktokStatus})`;
  const what = o.salesOrderId
    ? `fulfil NetSuite sales order ${o.salesOrderId} (an item fulfillment with its tracking number: TikSuite passes it on to TikTok)`
    : 'it has no NetSuite sales order (see its import errors): ship it in TikTok Seller Center, or fix the import and fulfil it in NetSuite';
  return o.state === 'overdue'
    ? `${order} is past TikTok's ship-by time ${stamp(o.shipBy)} and not shipped: TikTok counts it as late; ${what} now`
    : `${order} must ship by ${stamp(o.shipBy)} (TikTok's ship-by time) and is not shipped: ${what} before then, or TikTok counts it as late`;
}

/** 2026-11-28 14:05 UTC */
function stamp(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
