/**
 * The lifecycle scenario's business week, day by day on the TikTok sandbox's hand-moved clock:
 *   - Monday to Friday, the day's orders are placed over its business hours (lifecycle-event.ts);
 *   - some buyers cancel during TikTok's one-hour hold, before import (lifecycle-cancel.ts);
 *   - at the warehouse shift, once TikSuite has imported them, some buyers cancel (whole or some
 *     units) and the day waits for TikTok to complete those cancellations and NetSuite to close
 *     their lines; then the warehouse ships the day's shipments (and those it kept from the day
 *     before) as item fulfillments in NetSuite;
 *   - the day ends once TikTok shows those fulfillments' tracking numbers (TikSuite's job) and the
 *     corrections made the day before; a tracking number TikTok shows and the warehouse later
 *     corrects is put right in NetSuite at once;
 *   - the clock then moves to the next day: carriers collect TikTok-shipped parcels (4 h) and deliver
 *     (2 days), so a correction always reaches TikTok before its parcel is delivered.
 * On Saturday morning the warehouse ships what it kept from Friday, and the clock runs over the
 * weekend to Tuesday, by when the last parcels are delivered.
 */

import { FULFILLMENT_FLOW } from '../../flows/fulfillment/index.ts';
import { ORDER_IMPORT_FLOW, orderKey, salesOrderExternalId } from '../../flows/orders/index.ts';
import type { DemoEnv } from './demo-env.ts';
import { buyerCancels, cancelSlots, waitForCancellations } from './lifecycle-cancel.ts';
import {
  clockTo,
  DAY,
  HOUR,
  type LifecycleOrder,
  ordersPerDay,
  placeDay,
  rng,
  SHIFT_HOUR,
  WEEKDAYS,
} from './lifecycle-event.ts';
import { TrackingWatch } from './tracking-watch.ts';
import type { CreatedFulfillment, Shipment, Warehouse } from './warehouse.ts';

export interface WeekOptions {
  orders: number;
  /** Stop waiting for a step after this long without progress (ms). */
  stallMs: number;
  seed?: number;
  say?: (line: string) => void;
}

export interface WeekResult {
  /** Sandbox ms of Monday's start (the clock the demo moves). */
  t0: number;
  orders: LifecycleOrder[];
  fulfillments: CreatedFulfillment[];
  corrections: number;
  watch: TrackingWatch;
  /** Steps given up after stallMs without progress, e.g. "Tue: tracking on TikTok". */
  stalled: string[];
  /** Fulfillments the warehouse could not create (NetSuite refused, or no sales order). */
  warehouseErrors: string[];
  /** Buyers' and the seller's actions the TikTok sandbox refused (cancellations, returns). */
  buyerErrors: string[];
}

type Due = [LifecycleOrder, Shipment];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function playWeek(env: DemoEnv, warehouse: Warehouse, o: WeekOptions): Promise<WeekResult> {
  const say = o.say ?? (() => {});
  const random = rng(o.seed ?? 12);
  // A stream of its own for the buyers' cancellations, so they do not shift the orders' draws.
  const fates = rng((o.seed ?? 12) * 7919 + 1);
  const cancels = cancelSlots(o.orders, fates);
  const used = new Set<string>();
  const t0 = env.tiktok.now();
  const perDay = ordersPerDay(o.orders);
  const inFlight = new Set<Promise<void>>();
  const started = new Set<CreatedFulfillment>();
  const watch = new TrackingWatch(env, { onShipped: (f) => correct(f) });
  const r: WeekResult = {
    t0,
    orders: [],
    fulfillments: [],
    corrections: 0,
    watch,
    stalled: [],
    warehouseErrors: [],
    buyerErrors: [],
  };
  /** Puts a tracking number right in NetSuite once (the watch then waits for it on TikTok). */
  const correct = (f: CreatedFulfillment) => {
    if (!f.shipment.correction || started.has(f)) return;
    started.add(f);
    const p = warehouse
      .correct(f)
      .then(() => {
        r.corrections++;
        watch.addCorrection(f);
      })
      .catch((err: unknown) => void r.warehouseErrors.push(`correct ${f.externalId}: ${String(err)}`))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  const progress = setInterval(() => say(`demo: ${status(env, r, o.orders)}`), 1000);
  try {
    let kept: Due[] = [];
    for (let day = 0; day < WEEKDAYS.length; day++) {
      const name = WEEKDAYS[day]!;
      const first = r.orders.length;
      const today = await placeDay(env, {
        day,
        count: perDay[day]!,
        t0,
        random,
        used,
        first,
        cancels,
        fates,
      });
      r.orders.push(...today);
      // An order cancelled whole during the hold is never imported (docs/orders.md).
      const imported = today.filter((x) => !(x.cancel?.when === 'before_import' && x.cancel.whole));
      if (!(await waitForSalesOrders(env, imported, o.stallMs))) r.stalled.push(`${name}: sales orders`);
      const late = today.filter((x) => x.cancel?.when === 'after_import');
      for (const x of late)
        await buyerCancels(env, x.orderId, x.cancel!)
          .then((id) => {
            x.cancelId = id;
          })
          .catch((err: unknown) => void r.buyerErrors.push(`cancel ${x.orderId}: ${String(err)}`));
      if (!(await waitForCancellations(env, late, o.stallMs))) r.stalled.push(`${name}: cancellations`);
      const due = [
        ...kept,
        ...today.flatMap((x) => x.shipments.filter((s) => s.day === 0).map((s): Due => [x, s])),
      ];
      kept = today.flatMap((x) => x.shipments.filter((s) => s.day === 1).map((s): Due => [x, s]));
      await shipAll(env, warehouse, due, r);
      if (!(await settle(env, { watch, inFlight }, o.stallMs, Date.now() - 1)))
        r.stalled.push(`${name}: tracking on TikTok`);
      clockTo(env, t0, (day + 1) * DAY);
    }
    // Saturday morning: what was kept from Friday; then every correction, even one TikTok never showed.
    clockTo(env, t0, 5 * DAY + SHIFT_HOUR * HOUR);
    await shipAll(env, warehouse, kept, r);
    if (!(await settle(env, { watch, inFlight }, o.stallMs, Date.now() - 1)))
      r.stalled.push('Sat: tracking on TikTok');
    for (const f of r.fulfillments) correct(f);
    if (!(await settle(env, { watch, inFlight }, o.stallMs, Number.POSITIVE_INFINITY)))
      r.stalled.push('weekend: tracking on TikTok');
    // The weekend passes: the carriers deliver the last parcels by Monday night.
    clockTo(env, t0, 8 * DAY);
    return r;
  } finally {
    clearInterval(progress);
    watch.stop();
  }
}

function status(env: DemoEnv, r: WeekResult, total: number): string {
  const store = env.netsuite.state.engine.store;
  const sos = r.orders.filter((x) =>
    store.byExternalId('salesOrder', salesOrderExternalId(x.shopId, x.orderId)),
  ).length;
  const day = WEEKDAYS[r.orders.at(-1)?.day ?? 0];
  const onTikTok = r.watch.toTikTokMs.length;
  const cancelled = r.orders.filter((x) => x.cancelId).length;
  return `${day}: placed ${r.orders.length}/${total}, cancelled ${cancelled}, sales orders ${sos}, fulfillments in NetSuite ${r.fulfillments.length}, tracking on TikTok ${onTikTok}, corrections ${r.corrections}`;
}

/**
 * Waits until each order has its sales order in NetSuite (or TikSuite holds an error record for
 * it), or nothing moved for stallMs. When progress pauses it runs the polling backstop at once.
 */
export async function waitForSalesOrders(
  env: DemoEnv,
  orders: ReadonlyArray<Pick<LifecycleOrder, 'shopId' | 'orderId'>>,
  stallMs: number,
): Promise<boolean> {
  const store = env.netsuite.state.engine.store;
  let last = -1;
  let lastChange = Date.now();
  let lastPoll = Date.now();
  for (;;) {
    const done = orders.filter((x) =>
      store.byExternalId('salesOrder', salesOrderExternalId(x.shopId, x.orderId)),
    ).length;
    if (done >= orders.length || done + (await failedImports(env, orders)) >= orders.length) return true;
    if (done !== last) {
      last = done;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) return false;
    if (Date.now() - lastChange > 3000 && Date.now() - lastPoll > 5000) {
      lastPoll = Date.now();
      await env.rt.engine.trigger(ORDER_IMPORT_FLOW, 'schedule');
    }
    await sleep(100);
  }
}

/** Orders of these that TikSuite's order import gave up on (an open error record each). */
async function failedImports(
  env: DemoEnv,
  orders: ReadonlyArray<Pick<LifecycleOrder, 'shopId' | 'orderId'>>,
): Promise<number> {
  const open = await env.rt.stores.errors.list({ flowId: ORDER_IMPORT_FLOW, limit: 10_000 });
  const keys = new Set(open.map((e) => e.recordKey));
  return orders.filter((x) => keys.has(orderKey(x.shopId, x.orderId))).length;
}

/** Ships the due shipments: orders 8 at a time, an order's shipments one after the other. */
async function shipAll(env: DemoEnv, warehouse: Warehouse, due: Due[], r: WeekResult): Promise<void> {
  const store = env.netsuite.state.engine.store;
  const byOrder = [...Map.groupBy(due, ([x]) => x).entries()];
  const work = async () => {
    for (let next = byOrder.shift(); next; next = byOrder.shift()) {
      const [order, list] = next;
      if (!store.byExternalId('salesOrder', salesOrderExternalId(order.shopId, order.orderId))) {
        r.warehouseErrors.push(`order ${order.orderId}: no sales order in NetSuite to ship from`);
        continue;
      }
      for (const [, s] of list.sort((a, b) => a[1].n - b[1].n)) {
        try {
          const f = await warehouse.ship(order, s);
          r.fulfillments.push(f);
          r.watch.add(f);
        } catch (err) {
          r.warehouseErrors.push(`ship WMS-${order.orderId}-${s.n}: ${String(err)}`);
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, work));
}

/**
 * Waits until TikTok shows every fulfillment's tracking number (and, for TikTok shipping, NetSuite
 * shows TikTok's) and every correction saved before `correctedBefore`, and no correction is being
 * saved. A fulfillment TikSuite gave up on (an open error record of the fulfillment flow) is not
 * waited for. False when nothing moved for stallMs.
 */
async function settle(
  env: DemoEnv,
  w: { watch: TrackingWatch; inFlight: ReadonlySet<Promise<void>> },
  stallMs: number,
  correctedBefore: number,
): Promise<boolean> {
  let last = -1;
  let lastChange = Date.now();
  let failed = new Set<string>();
  let lastRead = 0;
  for (;;) {
    w.watch.check();
    if (Date.now() - lastRead > 1000) {
      lastRead = Date.now();
      failed = await failedFulfillments(env);
    }
    const waiting = (kind: 'shipped' | 'writtenBack' | 'corrected') =>
      w.watch.pendingOf(kind).filter((f) => !failed.has(f.id));
    const corrections = waiting('corrected').filter((f) => (f.correctedAt ?? 0) < correctedBefore);
    const n =
      waiting('shipped').length + waiting('writtenBack').length + corrections.length + w.inFlight.size;
    if (n === 0) return true;
    if (n !== last) {
      last = n;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) return false;
    await sleep(100);
  }
}

/**
 * NetSuite fulfillment ids TikSuite's fulfillment flow holds an open error record for (its records
 * are keyed `netsuite:itemfulfillment:<id>`, docs/fulfillment.md).
 */
async function failedFulfillments(env: DemoEnv): Promise<Set<string>> {
  const open = await env.rt.stores.errors.list({ flowId: FULFILLMENT_FLOW, limit: 10_000 });
  const prefix = 'netsuite:itemfulfillment:';
  return new Set(
    open.flatMap((e) => (e.recordKey?.startsWith(prefix) ? [e.recordKey.slice(prefix.length)] : [])),
  );
}
