/**
 * The lifecycle scenario's orders: buyers in two shops (US and GB) place multi-line orders through
 * the TikTok sandbox's admin API over a business week, seller-shipped and TikTok-shipped, each with
 * the warehouse's plan for it drawn at once from the same seeded generator (a run is repeatable).
 * The sandbox's clock is frozen and moved by hand: orders of a day are spread over its business
 * hours, and the one-hour on-hold window, carrier collection and delivery happen as it moves.
 */
import { admin, CATALOG, type DemoEnv } from './demo-env.ts';
import {
  buyerCancels,
  type CancelPlan,
  type CancelWhen,
  cancelledUnits,
  withoutUnits,
  withTwoUnits,
} from './lifecycle-cancel.ts';
import { planShipments, type Shipment, type Shipping, type WarehouseOrder } from './warehouse.ts';

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] as const;
/** Monday is the busiest, Thursday the quietest; the shares sum to 1. */
const DAY_SHARE = [0.24, 0.2, 0.18, 0.17, 0.21];
export const HOUR = 3600;
export const DAY = 24 * HOUR;
/** Orders arrive from the day's start over 12 business hours; the warehouse shift starts after the last hold. */
const ORDER_HOURS = 12;
export const SHIFT_HOUR = ORDER_HOURS + 1;

export interface LifecycleOrder extends WarehouseOrder {
  /** 0 = Monday. */
  day: number;
  shipments: Shipment[];
  /** Wall ms when TikTok accepted the order. */
  placedAt: number;
  /** What its buyer cancels, and when (lifecycle-cancel.ts); the shipments leave those units out. */
  cancel?: CancelPlan;
  /** TikTok's id of that cancellation, once made. */
  cancelId?: string;
}

/** Orders per weekday for `n` orders (the rounding remainder goes to the busiest days). */
export function ordersPerDay(n: number): number[] {
  const counts = DAY_SHARE.map((s) => Math.floor(n * s));
  const order = DAY_SHARE.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
  for (let left = n - counts.reduce((a, b) => a + b, 0), k = 0; left > 0; left--, k++)
    counts[order[k % order.length]![1]]!++;
  return counts;
}

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface OrderDraw {
  shopId: string;
  region: 'US' | 'GB';
  shipping: Shipping;
  lines: Array<{ sku: string; quantity: number }>;
  shippingFee: string;
}

/** One buyer's order: 1-3 SKUs of the shop's market, 1-3 units each; 30 % shipped by TikTok. */
export function drawOrder(env: Pick<DemoEnv, 'shops'>, random: () => number, i: number): OrderDraw {
  const shop = env.shops[i % env.shops.length]!;
  const region = shop.region === 'GB' ? 'GB' : 'US';
  const skus = CATALOG.filter((c) => c.region === region);
  const count = 1 + Math.floor(random() * Math.min(3, skus.length));
  const picked: string[] = [];
  while (picked.length < count) {
    const sku = skus[Math.floor(random() * skus.length)]!.sku;
    if (!picked.includes(sku)) picked.push(sku);
  }
  return {
    shopId: shop.id,
    region,
    shipping: random() < 0.3 ? 'TIKTOK' : 'SELLER',
    lines: picked.map((sku) => ({ sku, quantity: 1 + Math.floor(random() * 3) })),
    shippingFee: ['0.00', '4.99', '6.50'][Math.floor(random() * 3)]!,
  };
}

/** Places the order on TikTok as a buyer would (admin API); returns TikTok's order id. */
export async function placeDrawn(env: Pick<DemoEnv, 'tiktok'>, d: OrderDraw, buyer: string): Promise<string> {
  const res = await admin<{ order_id: string }>(env.tiktok.url, 'POST', '/orders', {
    shop_id: d.shopId,
    lines: d.lines.map((l) => ({ seller_sku: l.sku, quantity: l.quantity })),
    buyer: { user_id: buyer },
    shipping_type: d.shipping,
    shipping_fee: d.shippingFee,
  });
  return res.order_id;
}

/** Moves the TikTok sandbox's clock to `t0 + seconds` (never back); due business events run. */
export function clockTo(env: Pick<DemoEnv, 'tiktok'>, t0: number, seconds: number): void {
  const ahead = t0 + seconds * 1000 - env.tiktok.now();
  if (ahead > 0) env.tiktok.advance(ahead / 1000);
}

/**
 * Places one weekday's orders spread over its business hours (the clock moves between them), then
 * moves the clock to the warehouse shift, when every hold has ended.
 */
export async function placeDay(
  env: Pick<DemoEnv, 'tiktok' | 'shops'>,
  o: {
    day: number;
    count: number;
    /** Sandbox ms of Monday's start. */
    t0: number;
    random: () => number;
    /** Tracking numbers handed out so far (kept unique). */
    used: Set<string>;
    /** Index of the week's first order of this day (shops alternate on it). */
    first: number;
    /** Order index -> the cancellation its buyer makes (cancelSlots), drawn with `fates`. */
    cancels?: ReadonlyMap<number, { when: CancelWhen; whole: boolean }>;
    fates?: () => number;
    onPlaced?: (o: LifecycleOrder) => void;
  },
): Promise<LifecycleOrder[]> {
  const out: LifecycleOrder[] = [];
  const gap = (ORDER_HOURS * HOUR) / Math.max(1, o.count);
  for (let k = 0; k < o.count; k++) {
    clockTo(env, o.t0, o.day * DAY + k * gap);
    const i = o.first + k;
    const slot = o.cancels?.get(i);
    const plain = drawOrder(env, o.random, i);
    const drawn = slot && !slot.whole ? withTwoUnits(plain) : plain;
    const orderId = await placeDrawn(env, drawn, `buyer-${1 + Math.floor(o.random() * 5000)}`);
    const order: WarehouseOrder = { orderId, ...drawn };
    const cancel = slot && { ...slot, lines: cancelledUnits(drawn.lines, slot.whole, o.fates ?? o.random) };
    const planned = planShipments(order, o.random, o.used);
    const placed: LifecycleOrder = {
      ...order,
      day: o.day,
      shipments: cancel ? withoutUnits(planned, cancel.lines) : planned,
      placedAt: Date.now(),
      ...(cancel ? { cancel } : {}),
    };
    // Cancelled during the one-hour hold: TikTok completes it at once, before TikSuite imports.
    if (cancel?.when === 'before_import') placed.cancelId = await buyerCancels(env, orderId, cancel);
    out.push(placed);
    o.onPlaced?.(placed);
  }
  clockTo(env, o.t0, o.day * DAY + SHIFT_HOUR * HOUR);
  return out;
}
