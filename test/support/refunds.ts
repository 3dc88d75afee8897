/**
 * The refund crash run's world before and during the burst (test/refunds-crash.test.ts): buyers
 * order, the warehouse ships the goods in NetSuite, the carrier delivers, then buyers ask for
 * refunds and returns and the seller answers them, as people do, through the TikTok sandbox's admin
 * API (buyer and carrier) and the real TikTok client (seller).
 */
import { NetSuiteClient } from '../../src/connectors/netsuite/index.ts';
import {
  createTikTokShopClient,
  MemoryTokenStore,
  type TikTokShopApi,
  tokensOf,
} from '../../src/connectors/tiktok-shop/index.ts';
import { salesOrderExternalId } from '../../src/flows/orders/index.ts';
import { admin, CATALOG } from '../../src/main/demo/demo-env.ts';
import type { SandboxShop } from './crash.ts';
import { waitFor } from './proc.ts';

export interface Placed {
  i: number;
  orderId: string;
  shopId: string;
}

/**
 * What the buyer asks for: a return of goods (parcel shipped back and received), a refund of part
 * of a unit's price the buyer asks for or the seller offers, a full refund of one unit or of the
 * whole order (which refunds the shipping fee too).
 */
export type RefundKind = 'return' | 'partial_asked' | 'partial_offered' | 'refund_one' | 'refund_all';

export interface Refund {
  returnId: string;
  orderId: string;
  shopId: string;
  kind: RefundKind;
  /** Units (TikTok line items) the return names. */
  units: number;
}

const SHIP_METHODS = ['SHIP-UPS-GROUND', 'SHIP-USPS-PRIORITY', 'SHIP-FEDEX-HOME'];
const SKUS = new Set(CATALOG.map((c) => c.sku));

/** Runs `task` over `items` with `workers` at a time. */
export async function each<T>(items: readonly T[], workers: number, task: (t: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    for (let k = next++; k < items.length; k = next++) await task(items[k]!);
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

/** Buyers place `n` orders over the shops: one to four SKUs, one or two units each, some discounted. */
export async function placeOrders(tiktokUrl: string, shops: SandboxShop[], n: number): Promise<Placed[]> {
  const placed = new Array<Placed>(n);
  await each([...Array(n).keys()], 16, async (i) => {
    const shop = shops[i % shops.length]!;
    const skus = CATALOG.filter((c) => c.region === (shop.region === 'GB' ? 'GB' : 'US'));
    const r = await admin<{ order_id: string }>(tiktokUrl, 'POST', '/orders', {
      shop_id: shop.id,
      lines: skus
        .slice(0, 1 + (i % skus.length))
        .map((c, k) => ({ seller_sku: c.sku, quantity: 1 + ((i + k) % 2) })),
      shipping_fee: ['0.00', '4.99', '6.50'][i % 3],
      ...(i % 4 === 0 ? { seller_discount: '1.00' } : {}),
      ...(i % 7 === 0 ? { platform_discount: '0.50' } : {}),
    });
    placed[i] = { i, orderId: r.order_id, shopId: shop.id };
  });
  return placed;
}

export function netsuiteClient(netsuiteUrl: string, ns: Record<string, string>): NetSuiteClient {
  return new NetSuiteClient({
    accountId: ns.account_id!,
    baseUrl: netsuiteUrl,
    auth: {
      type: 'tba',
      consumerKey: ns.consumer_key!,
      consumerSecret: ns.consumer_secret!,
      tokenId: ns.token_id!,
      tokenSecret: ns.token_secret!,
    },
    concurrency: 4,
  });
}

/**
 * The warehouse ships every order whole through the NetSuite Record API: every goods line, the
 * others (discount and receivable lines are not goods) listed with `itemReceive: false`, since a
 * transform takes every open line unless told otherwise.
 */
export async function shipInNetSuite(ns: NetSuiteClient, placed: Placed[]): Promise<void> {
  await each(placed, 4, async (p) => {
    const so = await ns.records.get('salesOrder', { externalId: salesOrderExternalId(p.shopId, p.orderId) });
    const items = (so.item?.items ?? [])
      .filter((l) => !l.isClosed && (l.quantity ?? 0) > (l.quantityFulfilled ?? 0))
      .map((l) =>
        SKUS.has(l.item?.refName ?? '') ? { orderLine: l.line } : { orderLine: l.line, itemReceive: false },
      );
    await ns.records.transform('salesOrder', so.id!, 'itemFulfillment', {
      externalId: `wh-${p.orderId}`,
      shipStatus: { id: 'C' },
      shipMethod: { externalId: SHIP_METHODS[p.i % SHIP_METHODS.length]! },
      item: { items },
      package: { items: [{ packageTrackingNumber: `1ZRF${String(p.i).padStart(4, '0')}X1` }] },
    });
  });
}

/** The carrier delivers each order once TikSuite has shipped it on TikTok (it is in transit). */
export async function deliverAll(tiktokUrl: string, placed: Placed[]): Promise<void> {
  await each(placed, 8, async (p) => {
    await waitFor(
      () => admin<{ status: string }>(tiktokUrl, 'POST', `/orders/${p.orderId}/deliver`),
      (r) => r.status === 'DELIVERED',
      undefined,
      250,
    );
  });
}

/** The seller's own TikTok client, one API per shop. */
export async function sellerApis(
  tiktokUrl: string,
  creds: { app_key: string; app_secret: string; shops: SandboxShop[] },
): Promise<Map<string, TikTokShopApi>> {
  const store = new MemoryTokenStore();
  for (const s of creds.shops) await store.save(s.id, tokensOf(s));
  const client = createTikTokShopClient({
    appKey: creds.app_key,
    appSecret: creds.app_secret,
    tokenStore: store,
    baseUrl: tiktokUrl,
    authBaseUrl: tiktokUrl,
    rateLimitPerSec: 200,
  });
  return new Map(creds.shops.map((s) => [s.id, client.shop({ id: s.id, cipher: s.cipher })]));
}

/** Two returns of goods in ten, one partial refund asked and one offered, the rest full refunds. */
export function kindOf(i: number): RefundKind {
  const k = i % 10;
  if (k === 0 || k === 5) return 'return';
  if (k === 1) return 'partial_asked';
  if (k === 2) return 'partial_offered';
  return k % 2 === 0 ? 'refund_all' : 'refund_one';
}

interface RenderedOrder {
  payment: { currency: string };
  line_items: Array<{ id: string; seller_sku: string }>;
}

/** One buyer's request and the seller's answers, through to a completed refund. */
export async function refund(tiktokUrl: string, api: TikTokShopApi, p: Placed): Promise<Refund> {
  const tt = <T>(path: string, body?: unknown) => admin<T>(tiktokUrl, 'POST', path, body);
  const order = await admin<RenderedOrder>(tiktokUrl, 'GET', `/orders/${p.orderId}`);
  const lines = order.line_items;
  const first = lines[0]!;
  const kind = kindOf(p.i);
  const amount = `${1 + (p.i % 3)}.25`;
  const currency = order.payment.currency;
  const ask = (body: Record<string, unknown>) =>
    tt<{ return_id: string }>(`/orders/${p.orderId}/return`, body).then((r) => r.return_id);
  let returnId: string;
  let units = 1;
  if (kind === 'return') {
    const ids = lines.filter((l) => l.seller_sku === first.seller_sku).map((l) => l.id);
    units = ids.length;
    returnId = await ask({ return_type: 'RETURN_AND_REFUND', line_item_ids: ids });
    await api.returns.approveReturn(returnId, { decision: 'APPROVE_RETURN' });
    await tt(`/returns/${returnId}/ship`, {});
    await api.returns.approveReturn(returnId, { decision: 'APPROVE_RECEIVED_PACKAGE' });
  } else if (kind === 'partial_offered') {
    returnId = await ask({ return_type: 'REFUND', line_item_ids: [first.id] });
    await api.returns.approveReturn(returnId, {
      decision: 'OFFER_PARTIAL_REFUND',
      partial_refund: { amount, currency },
    });
    await tt(`/returns/${returnId}/offer_response`, { accept: true });
  } else {
    const all = kind === 'refund_all';
    units = all ? lines.length : 1;
    returnId = await ask({
      return_type: 'REFUND',
      ...(all ? {} : { line_item_ids: [first.id] }),
      ...(kind === 'partial_asked' ? { amount, currency } : {}),
    });
    await api.returns.approveReturn(returnId, { decision: 'APPROVE_REFUND' });
  }
  return { returnId, orderId: p.orderId, shopId: p.shopId, kind, units };
}
