/**
 * A scarce-stock flash deal, played against the demo world (both sandboxes + TikSuite with the stock
 * push on): far more TikTok buyers than units race for a few SKUs while another channel sells in
 * NetSuite and a restock lands mid-event. Shared by the oversell tests and `demo --scenario scarce`;
 * the verdict comes from the sandboxes' state (stock-summary.ts), never from TikSuite.
 */
import { admin, type DemoEnv, seedItem } from './demo-env.ts';
import { type SkuStockVerdict, stockVerdicts } from './stock-summary.ts';

export interface ScarceOptions {
  seed: number;
  /** Units on hand at the start (Austin). */
  stock: number;
  /** Concurrent buyers on the SKU. */
  buyers?: number;
  eventMs?: number;
  /** Units received mid-event. */
  restock?: number;
  /** Units another channel tries to sell in NetSuite (only when physically free). */
  otherChannel?: number;
}

export interface ScarceResult extends SkuStockVerdict {
  attempts: number;
  refused: number;
  /** Wall ms when the mid-event restock landed in NetSuite. */
  restockAt: number;
  /** Wall ms [sent, answered] and units of every order TikTok accepted. */
  placed: Array<[number, number, number]>;
  /** Wall ms [sent, answered] of the other channel's NetSuite order, when it sold. */
  otherChannelAt?: [number, number];
}

/**
 * How often the race of an unfenced write could bite: accepted orders whose request overlapped an
 * unfenced push's read -> write window on the same SKU (wall ms; `at` is when the write answered).
 * Fenced pushes (ADR 7) have no such window.
 */
export function ordersInsideWriteWindows(
  r: Pick<ScarceResult, 'sku' | 'placed'>,
  pushes: ReadonlyArray<{ skus: string[]; at: number; readToWriteMs: number; fenced: boolean }>,
): number {
  const windows = pushes
    .filter((p) => !p.fenced && p.skus.includes(r.sku))
    .map((p) => [p.at - p.readToWriteMs, p.at]);
  return r.placed.filter(([a, b]) => windows.some(([s, e]) => a! <= e! && b! >= s!)).length;
}

/**
 * Oversold units that are another channel's doing: it sold units in NetSuite that TikTok still
 * listed, and TikTok buyers bought them before the stock push lowered TikTok. No integration can
 * prevent this (two shops selling the same last units, with no lock between them); TikSuite bounds it
 * to the poll interval plus one push (the "within one polling interval"). Counted as the
 * oversold units up to what the other channel sold and what TikTok sold after its order was sent.
 */
export function crossChannelUnits(
  r: Pick<ScarceResult, 'oversold' | 'soldElsewhere' | 'placed' | 'otherChannelAt'>,
) {
  if (r.oversold === 0 || !r.otherChannelAt) return 0;
  const sent = r.otherChannelAt[0];
  const tiktokAfter = r.placed.filter(([, answered]) => answered >= sent).reduce((a, [, , q]) => a + q, 0);
  return Math.min(r.oversold, r.soldElsewhere, tiktokAfter);
}

type World = Pick<DemoEnv, 'tiktok' | 'netsuite' | 'shops'>;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Seeds the SKU in both sandboxes (TikTok listing at 0: the push lists it). */
export async function seedScarceSku(env: World, sku: string, stock: number): Promise<void> {
  const shop = env.shops.find((s) => s.region === 'US')!;
  await admin(env.netsuite.url, 'POST', '/seed', {
    items: [seedItem(sku, 10)],
    stock: [{ item: sku, location: 'Austin DC', quantity: stock }],
  });
  await admin(env.tiktok.url, 'POST', '/products', {
    shop_id: shop.id,
    title: `Flash ${sku}`,
    skus: [{ seller_sku: sku, price: '10.00', quantity: 0 }],
  });
}

/** Plays the event on an already listed SKU; returns the sandboxes' verdict for it. */
export async function playScarceEvent(env: World, sku: string, o: ScarceOptions): Promise<ScarceResult> {
  const random = rng(o.seed);
  const shop = env.shops.find((s) => s.region === 'US')!;
  const eventMs = o.eventMs ?? 2500;
  const end = Date.now() + eventMs;
  let attempts = 0;
  let refused = 0;
  const placed: Array<[number, number, number]> = [];
  const buyer = async () => {
    while (Date.now() < end) {
      const quantity = random() < 0.3 ? 2 : 1;
      attempts++;
      const sent = Date.now();
      const res = await fetch(`${env.tiktok.url}/_sandbox/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ shop_id: shop.id, lines: [{ seller_sku: sku, quantity }] }),
      });
      await res.arrayBuffer();
      if (!res.ok) refused++;
      else placed.push([sent, Date.now(), quantity]);
      await sleep(40 + random() * 120);
    }
  };
  const otherChannel = async () => {
    await sleep(random() * eventMs * 0.8);
    const want = o.otherChannel ?? 2;
    const free = freeUnits(env, sku);
    if (free >= want) {
      const sent = Date.now();
      await admin(env.netsuite.url, 'POST', '/orders', {
        customer: 'CUST-DEMO',
        location: 'LOC-AUS',
        lines: [{ sku: `SKU-${sku}`, quantity: want }],
      });
      otherChannelAt = [sent, Date.now()];
    }
  };
  let otherChannelAt: [number, number] | undefined;
  let restockAt = 0;
  const restock = async () => {
    await sleep(eventMs * (0.3 + random() * 0.4));
    restockAt = Date.now();
    await admin(env.netsuite.url, 'POST', '/receive', {
      sku: `SKU-${sku}`,
      location: 'LOC-AUS',
      quantity: o.restock ?? 3,
    });
  };
  await Promise.all([...Array.from({ length: o.buyers ?? 3 }, buyer), otherChannel(), restock()]);
  return {
    ...stockVerdicts(env, [sku])[0]!,
    attempts,
    refused,
    restockAt,
    placed,
    ...(otherChannelAt ? { otherChannelAt } : {}),
  };
}

/** Units physically free for another channel: on hand - open demand - TikTok units not yet imported. */
function freeUnits(env: World, sku: string): number {
  const v = stockVerdicts(env, [sku])[0]!;
  return v.onHand - v.demand;
}
