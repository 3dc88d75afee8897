/**
 * The lifecycle week's cancellations. Which buyers cancel is drawn from the demo's seed before the
 * week starts, in four equal groups of about 5 % of the orders each (at least one order per group,
 * so a small run shows every kind):
 *   - the whole order, or some of its units, cancelled during TikTok's one-hour hold, before
 *     TikSuite imports it (TikTok completes the cancellation at once; the import leaves those units
 *     out, or skips a wholly cancelled order);
 *   - the whole order, or some of its units, cancelled after TikSuite imported it and before the
 *     warehouse ships it: a buyer's request that waits for the seller, answered by TikSuite's
 *     `aftersale.cancellations` policy (approved while nothing is fulfilled), then the cancelled
 *     lines closed on the sales order by the order import.
 * The buyer acts through the TikTok sandbox's admin API. The warehouse never plans to ship a unit
 * its buyer cancels, and ships an order cancelled after import only once the cancellation is done.
 */
import { z } from 'zod';
import { CANCELLATION_FLOW, cancellationKey } from '../../flows/aftersale/index.ts';
import { ORDER_IMPORT_FLOW, orderKey, salesOrderExternalId } from '../../flows/orders/index.ts';
import { admin, type DemoEnv } from './demo-env.ts';
import { openCancelledUnits } from './returns-summary.ts';

export type CancelWhen = 'before_import' | 'after_import';

/** What one buyer cancels: every unit (`whole`) or some, per SKU. */
export interface CancelPlan {
  when: CancelWhen;
  whole: boolean;
  lines: Array<{ sku: string; quantity: number }>;
}

type Units = ReadonlyArray<{ sku: string; quantity: number }>;

/** Share of the orders in each of the four groups (before/after import x whole/partial). */
const GROUP_SHARE = 0.05;
const GROUPS: ReadonlyArray<{ when: CancelWhen; whole: boolean }> = [
  { when: 'before_import', whole: true },
  { when: 'before_import', whole: false },
  { when: 'after_import', whole: true },
  { when: 'after_import', whole: false },
];

/** Order index (0-based, over the week) -> the kind of cancellation its buyer makes. */
export function cancelSlots(
  n: number,
  random: () => number,
): Map<number, { when: CancelWhen; whole: boolean }> {
  const per = Math.max(1, Math.round(n * GROUP_SHARE));
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out = new Map<number, { when: CancelWhen; whole: boolean }>();
  for (let k = 0; k < Math.min(n, per * GROUPS.length); k++) out.set(order[k]!, GROUPS[Math.floor(k / per)]!);
  return out;
}

/** An order a buyer partly cancels needs two units at least: a one-unit order gets a second one. */
export function withTwoUnits<T extends { lines: Array<{ sku: string; quantity: number }> }>(draw: T): T {
  const units = draw.lines.reduce((a, l) => a + l.quantity, 0);
  if (units >= 2) return draw;
  return { ...draw, lines: draw.lines.map((l, i) => (i === 0 ? { ...l, quantity: l.quantity + 1 } : l)) };
}

/**
 * The units cancelled: every unit, or (partial) one SKU's units when the order has several SKUs,
 * else some of its units, always leaving at least one.
 */
export function cancelledUnits(lines: Units, whole: boolean, random: () => number): CancelPlan['lines'] {
  if (whole) return lines.map((l) => ({ ...l }));
  if (lines.length > 1) {
    const l = lines[Math.floor(random() * lines.length)]!;
    return [{ sku: l.sku, quantity: l.quantity }];
  }
  const l = lines[0]!;
  return [{ sku: l.sku, quantity: 1 + Math.floor(random() * (l.quantity - 1)) }];
}

/**
 * The warehouse's plan without the cancelled units, taken from its last shipments first; shipments
 * left empty are dropped and the rest numbered 1, 2 ... again (their external ids `WMS-<order>-<n>`).
 */
export function withoutUnits<S extends { n: number; lines: Array<{ sku: string; quantity: number }> }>(
  shipments: readonly S[],
  cancelled: Units,
): S[] {
  const left = new Map<string, number>();
  for (const c of cancelled) left.set(c.sku, (left.get(c.sku) ?? 0) + c.quantity);
  const out = [...shipments].reverse().map((s) => ({
    ...s,
    lines: s.lines
      .map((l) => {
        const take = Math.min(l.quantity, left.get(l.sku) ?? 0);
        left.set(l.sku, (left.get(l.sku) ?? 0) - take);
        return { ...l, quantity: l.quantity - take };
      })
      .filter((l) => l.quantity > 0),
  }));
  return out
    .reverse()
    .filter((s) => s.lines.length > 0)
    .map((s, i) => ({ ...s, n: i + 1 }));
}

const AdminOrder = z.looseObject({
  line_items: z.array(z.looseObject({ id: z.string(), seller_sku: z.string(), display_status: z.string() })),
});

/** The buyer cancels on TikTok (admin API): the whole order, or the planned units' line items. */
export async function buyerCancels(
  env: Pick<DemoEnv, 'tiktok'>,
  orderId: string,
  plan: CancelPlan,
): Promise<string> {
  let lineIds: string[] | undefined;
  if (!plan.whole) {
    const order = AdminOrder.parse(await admin(env.tiktok.url, 'GET', `/orders/${orderId}`));
    const open = order.line_items.filter((l) => l.display_status !== 'CANCELLED');
    lineIds = plan.lines.flatMap((c) =>
      open
        .filter((l) => l.seller_sku === c.sku)
        .slice(0, c.quantity)
        .map((l) => l.id),
    );
  }
  const res = await admin<{ cancel_id: string }>(env.tiktok.url, 'POST', `/orders/${orderId}/cancel`, {
    by: 'BUYER',
    ...(lineIds ? { line_item_ids: lineIds } : {}),
    reason: 'ecom_order_to_ship_canceled_reason_created_by_mistakes',
  });
  return res.cancel_id;
}

interface Cancelled {
  orderId: string;
  shopId: string;
  cancel?: CancelPlan | undefined;
  cancelId?: string | undefined;
}

/** TikTok shows the planned units cancelled and the sales order has no open line left for them. */
function cancellationDone(env: DemoEnv, x: Cancelled): boolean {
  const order = env.tiktok.ctx.state.orders.get(x.orderId);
  const want = x.cancel?.lines.reduce((a, l) => a + l.quantity, 0) ?? 0;
  if (!order || order.lines.filter((l) => l.cancelled).length < want) return false;
  const so = env.netsuite.state.engine.store.byExternalId(
    'salesOrder',
    salesOrderExternalId(x.shopId, x.orderId),
  );
  return !!so && openCancelledUnits(env, x.shopId, x.orderId) === 0;
}

/**
 * Waits until each order cancelled after import shows its cancellation on TikTok and its sales
 * order closed for it (or TikSuite holds an open error record for the order), or nothing moved for
 * stallMs. When progress pauses it wakes TikSuite's aftersale poller.
 */
export async function waitForCancellations(
  env: DemoEnv,
  orders: readonly Cancelled[],
  stallMs: number,
): Promise<boolean> {
  let last = -1;
  let lastChange = Date.now();
  let lastWake = Date.now();
  for (;;) {
    const failed = await failedKeys(env);
    const done = orders.filter(
      (x) =>
        cancellationDone(env, x) ||
        failed.has(orderKey(x.shopId, x.orderId)) ||
        (x.cancelId !== undefined && failed.has(cancellationKey(x.shopId, x.cancelId))),
    ).length;
    if (done >= orders.length) return true;
    if (done !== last) {
      last = done;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) return false;
    if (Date.now() - lastChange > 3000 && Date.now() - lastWake > 3000) {
      lastWake = Date.now();
      env.rt.aftersale?.poller.wake();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Record keys of the open error records of the order import and the cancellations flows. */
async function failedKeys(env: DemoEnv): Promise<Set<string | null>> {
  const keys = new Set<string | null>();
  for (const flowId of [ORDER_IMPORT_FLOW, CANCELLATION_FLOW])
    for (const e of await env.rt.stores.errors.list({ flowId, limit: 10_000 })) keys.add(e.recordKey);
  return keys;
}
