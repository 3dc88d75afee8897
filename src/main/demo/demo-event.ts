/**
 * The live-shopping event: buyers place orders through the TikTok sandbox's admin API, first a
 * ramp (a fifth of the peak rate climbing to half of it), then a flash-deal burst at the peak rate.
 * Orders are spread over the shops and the catalog with a seeded generator, so a run is repeatable.
 */
import { admin, CATALOG, type DemoEnv } from './demo-env.ts';

export interface PlacedOrder {
  orderId: string;
  shopId: string;
  /** Wall time (ms) when TikTok accepted the order. */
  placedAt: number;
}

export interface EventOptions {
  orders: number;
  /** Orders per second at the peak. */
  rate: number;
  /** Called after every placed order (progress). */
  onPlaced?: (placed: number) => void;
  signal?: AbortSignal;
}

const SHIPPING = ['0.00', '4.99', '6.50'];

/** Seconds between order i and i+1: ramp for the first 40 %, then the burst. */
function gapMs(i: number, n: number, rate: number): number {
  const rampEnd = Math.floor(n * 0.4);
  const r = i < rampEnd ? rate * (0.2 + (0.3 * i) / Math.max(1, rampEnd)) : rate;
  return 1000 / Math.max(0.01, r);
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function orderBody(env: DemoEnv, random: () => number, i: number) {
  const shop = env.shops[i % env.shops.length]!;
  const skus = CATALOG.filter((c) => c.region === (shop.region === 'GB' ? 'GB' : 'US'));
  const count = 1 + Math.floor(random() * Math.min(3, skus.length));
  const picked = [...skus].sort(() => random() - 0.5).slice(0, count);
  return {
    shop_id: shop.id,
    lines: picked.map((c) => ({ seller_sku: c.sku, quantity: 1 + Math.floor(random() * 2) })),
    buyer: { user_id: `buyer-${1 + Math.floor(random() * 5000)}` },
    shipping_fee: SHIPPING[Math.floor(random() * SHIPPING.length)],
  };
}

/** Places the orders on schedule (several in flight at once, as buyers would); returns what TikTok accepted. */
export async function playLiveEvent(env: DemoEnv, o: EventOptions): Promise<PlacedOrder[]> {
  const random = rng(42);
  const placed: PlacedOrder[] = [];
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  let due = 0;
  for (let i = 0; i < o.orders && !o.signal?.aborted; i++) {
    const wait = start + due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    due += gapMs(i, o.orders, o.rate);
    const body = orderBody(env, random, i);
    const p = admin<{ order_id: string }>(env.tiktok.url, 'POST', '/orders', body)
      .then((res) => {
        placed.push({ orderId: res.order_id, shopId: body.shop_id, placedAt: Date.now() });
        o.onPlaced?.(placed.length);
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= 64) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return placed;
}
