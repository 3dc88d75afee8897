/**
 * The month `npm run bench:settlements` books, seeded in-process (importing 100,000 orders through
 * TikSuite is not what the bench measures):
 *  - TikTok: one US shop's orders placed with the sandbox's own `placeOrder` (its prices, tax and
 *    discount spreading), spread over each simulated day, marked delivered and completed at once
 *    (`complete`: no parcel moves; the figures do not depend on it), and settled by the sandbox's own
 *    daily run as its clock passes each 00:00 UTC: one statement a day with TikTok's fees, label
 *    costs, refunds, adjustments and reserves, each paid out 12 h later. A share of orders carries a
 *    refund frozen before settlement (a whole line, or part of one), a share is refunded after it
 *    settled (a REFUND transaction in a later statement), and each day gets a few adjustments.
 *  - NetSuite: per settled order the sales order the import would have written (external id
 *    `<prefix>-<shop>-<order>`, one item line per SKU at TikTok's price, the seller discount line,
 *    the buyer's shipping as shipping cost: its total is the statement's sales side), and per
 *    refund the credit memo the returns flow would have written (`<prefix>-<shop>-cm-...`, other ref
 *    = the order id, its total what the statement nets), created through the sandbox's record engine.
 *  - TikSuite: the `order_sync` rows (order -> sales order, TikTok status COMPLETED).
 */
import { nsDecimal } from '../../src/connectors/netsuite/index.ts';
import { decMinor } from '../../src/connectors/netsuite/sandbox/records/money.ts';
import { readJson } from '../../src/connectors/netsuite/sandbox/values.ts';
import type { Ctx } from '../../src/connectors/tiktok-shop/sandbox/context.ts';
import type {
  LineSettlement,
  Order,
  OrderSettlement,
  Shop,
  Statement,
} from '../../src/connectors/tiktok-shop/sandbox/model.ts';
import { placeOrder, setStatus } from '../../src/connectors/tiktok-shop/sandbox/orders.ts';
import { fullRefund, lineGoods, partialRefund } from '../../src/connectors/tiktok-shop/sandbox/refunds.ts';
import { complete } from '../../src/connectors/tiktok-shop/sandbox/shipping.ts';
import { addAdjustment, noteRefund } from '../../src/connectors/tiktok-shop/sandbox/statements.ts';
import { returnExternalId } from '../../src/flows/aftersale/index.ts';
import { CATALOG, type DemoEnv } from '../../src/main/demo/demo-env.ts';
import { rng } from '../../src/main/demo/lifecycle-event.ts';
import { currencyExponent, formatMoney } from '../../src/shared/money.ts';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The sandbox's business settings for the month (reserves and the affiliate fee as in the lifecycle demo). */
export const BENCH_BUSINESS = {
  reserveRate: '0.10',
  reserveHoldDays: 7,
  // Paid before the next 00:00, so the last payout is PAID without a 31st statement.
  payoutDelaySeconds: 12 * 3600,
  extraFees: [{ key: 'affiliate_commission', rate: '0.05' }],
};

/** Shares of orders: a line refunded before settlement (whole, part) or after it; adjustments a day. */
const MIX = { wholeBefore: 0.04, partBefore: 0.02, after: 0.01, adjustmentsPerDay: 3 };

export interface SeededMonth {
  orders: number;
  statements: number;
  payments: number;
  refunds: { wholeBefore: number; partBefore: number; after: number };
  adjustments: number;
  salesOrders: number;
  creditMemos: number;
  seconds: { tiktok: number; netsuite: number; orderSync: number };
}

export interface SeedOptions {
  orders: number;
  days: number;
  seed?: number;
  say?: (line: string) => void;
}

/** The 00:00 UTC `days + 1` days ago plus an hour: the TikTok sandbox's start for a month ending yesterday. */
export function monthStart(days: number, nowMs = Date.now()): number {
  return (Math.floor(nowMs / DAY_MS) - days - 1) * DAY_MS + HOUR_MS;
}

export async function seedMonth(env: DemoEnv, o: SeedOptions): Promise<SeededMonth> {
  const say = o.say ?? (() => {});
  const { ctx } = env.tiktok;
  const shop = ctx.state.shops.get(env.shops[0]!.id)!;
  let t = performance.now();
  const tiktok = tiktokMonth(env, shop, o);
  const seconds = { tiktok: (performance.now() - t) / 1000, netsuite: 0, orderSync: 0 };
  const statements = [...ctx.state.statements.ofShop(shop.id)];
  say(`TikTok: ${tiktok.orders} orders settled in ${statements.length} statements`);
  t = performance.now();
  const ns = await netsuiteBooks(env, ctx, statements);
  seconds.netsuite = (performance.now() - t) / 1000;
  say(`NetSuite: ${ns.salesOrders.size} sales orders, ${ns.creditMemos} credit memos`);
  t = performance.now();
  await orderSync(env, shop.id, ns.salesOrders, ctx);
  seconds.orderSync = (performance.now() - t) / 1000;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    ...tiktok,
    statements: statements.length,
    payments: ctx.state.payments.ofShop(shop.id).length,
    salesOrders: ns.salesOrders.size,
    creditMemos: ns.creditMemos,
    seconds: {
      tiktok: round(seconds.tiktok),
      netsuite: round(seconds.netsuite),
      orderSync: round(seconds.orderSync),
    },
  };
}

/** Day by day: the day's orders (and late refunds, adjustments), then the clock past 00:00 UTC. */
function tiktokMonth(env: DemoEnv, shop: Shop, o: SeedOptions) {
  const { ctx } = env.tiktok;
  const random = rng(o.seed ?? 2026);
  const out = { orders: 0, refunds: { wholeBefore: 0, partBefore: 0, after: 0 }, adjustments: 0 };
  const skus = CATALOG.filter((c) => c.region === 'US').map((c) => c.sku);
  for (const sku of skus) {
    const s = ctx.state.skuBySellerSku.get(ctx.state.skuKey(shop.id, sku))!;
    s.stock.set(shop.warehouseId, 4 * o.orders);
  }
  const settled: Order[] = [];
  const to = (ms: number) => env.tiktok.advance(Math.max(0, ms - env.tiktok.now()) / 1000);
  for (let day = 0; day < o.days; day++) {
    const start = Math.floor(env.tiktok.now() / DAY_MS) * DAY_MS;
    const n = Math.floor(((day + 1) * o.orders) / o.days) - Math.floor((day * o.orders) / o.days);
    const placed: Order[] = [];
    for (let i = 0; i < n; i++) {
      to(start + HOUR_MS + Math.floor((i * 20 * HOUR_MS) / n));
      placed.push(completedOrder(ctx, shop, random, skus, out.refunds));
    }
    out.orders += n;
    const late = Math.round(n * MIX.after);
    for (let i = 0; i < late && settled.length > 0; i++) {
      const order = settled.splice(Math.floor(random() * settled.length), 1)[0]!;
      const line = order.lines[0]!;
      line.refund = fullRefund(ctx, order, [line.id]).lines[0];
      noteRefund(ctx, order, [line.id]);
      out.refunds.after++;
    }
    out.adjustments += adjustments(ctx, shop, random, placed);
    to(start + DAY_MS + HOUR_MS);
    settled.push(...placed.filter((x) => x.statementId && x.lines.every((l) => !l.refund)));
  }
  to(Math.floor(env.tiktok.now() / DAY_MS) * DAY_MS + 13 * HOUR_MS);
  return out;
}

function completedOrder(
  ctx: Ctx,
  shop: Shop,
  random: () => number,
  skus: string[],
  refunds: SeededMonth['refunds'],
): Order {
  const units = 1 + Math.floor(random() * 3);
  const lines = Array.from({ length: units }, () => ({
    seller_sku: skus[Math.floor(random() * skus.length)]!,
    quantity: 1,
  }));
  const order = placeOrder(ctx, shop, {
    lines,
    shipping_type: random() < 0.5 ? 'TIKTOK' : 'SELLER',
    ...(random() < 0.4 ? { shipping_fee: '4.99' } : {}),
    ...(random() < 0.2 ? { seller_discount: '2.00' } : {}),
    ...(random() < 0.15 ? { platform_discount: '1.50' } : {}),
  });
  const r = random();
  const line = order.lines[Math.floor(random() * order.lines.length)]!;
  if (r < MIX.wholeBefore) {
    line.refund = fullRefund(ctx, order, [line.id]).lines[0];
    refunds.wholeBefore++;
  } else if (r < MIX.wholeBefore + MIX.partBefore) {
    line.refund = partialRefund(order, [line.id], lineGoods(line) / 2n).lines[0];
    refunds.partBefore++;
  }
  order.deliveryTime = ctx.sim.nowSeconds();
  setStatus(ctx, order, 'DELIVERED');
  complete(ctx, order);
  return order;
}

/** A chargeback, a compensation and another adjustment a day, on orders of the day. */
function adjustments(ctx: Ctx, shop: Shop, random: () => number, placed: Order[]): number {
  const kinds = [
    ['CHARGE_BACK', '-12.00'],
    ['PLATFORM_COMPENSATION', '3.50'],
    ['OTHER_ADJUSTMENT', '-0.75'],
  ] as const;
  let n = 0;
  for (let i = 0; i < MIX.adjustmentsPerDay && placed.length > 0; i++) {
    const [type, amount] = kinds[i % kinds.length]!;
    const order = placed[Math.floor(random() * placed.length)]!;
    addAdjustment(ctx, shop, { type, amount, order_id: order.id });
    n++;
  }
  return n;
}

const sum = (lines: LineSettlement[], pick: (l: LineSettlement) => bigint) =>
  lines.reduce((t, l) => t + pick(l), 0n);

/** The statement's sales side of a transaction (what the sales order is worth) and what it nets as refunds. */
export function salesSide(o: OrderSettlement): { sales: bigint; refunds: bigint } {
  return {
    sales: sum(o.lines, (l) => l.grossSales + l.sellerDiscount + l.customerShippingFee),
    refunds: sum(o.lines, (l) => l.grossSalesRefund + l.sellerDiscountRefund + l.customerShippingFeeRefund),
  };
}

/** Sales orders and credit memos for every transaction of the statements, through the sandbox's engine. */
async function netsuiteBooks(env: DemoEnv, ctx: Ctx, statements: readonly Statement[]) {
  const engine = env.netsuite.state.engine;
  const prefix = env.config.mappings.externalIdPrefix;
  const salesOrders = new Map<string, string>();
  let creditMemos = 0;
  let made = 0;
  for (const s of statements) {
    for (const tx of s.orders) {
      const order = ctx.state.orders.get(tx.orderId)!;
      const { sales, refunds } = salesSide(tx);
      if (tx.kind === 'SALE') {
        const so = engine.create('salesOrder', readJson(salesOrderText(ctx, prefix, order, tx)));
        if (decMinor(so.body['total'], currencyExponent(order.currency)) !== sales)
          throw new Error(`seeded sales order of ${order.id} is not the statement's sales side`);
        salesOrders.set(order.id, so.id);
      }
      if (refunds !== 0n) {
        const id = returnExternalId(prefix, order.shopId, 'credit', `${s.id}-${order.id}`);
        engine.create('creditMemo', readJson(creditMemoText(id, order, -refunds)));
        creditMemos++;
      }
      // Let TikSuite's timers (queue, watchdog) run now and then.
      if (++made % 2000 === 0) await new Promise((r) => setImmediate(r));
    }
  }
  return { salesOrders, creditMemos };
}

const fmt = (minor: bigint, currency: string) => formatMoney({ minor, currency });

function salesOrderText(ctx: Ctx, prefix: string, order: Order, tx: OrderSettlement): string {
  const m = (x: bigint) => nsDecimal(fmt(x, order.currency));
  const bySku = new Map<string, { quantity: number; rate: bigint }>();
  for (const l of tx.lines) {
    const sku = ctx.state.skus.get(l.skuId)!.sellerSku;
    const e = bySku.get(sku) ?? { quantity: 0, rate: l.grossSales };
    e.quantity++;
    bySku.set(sku, e);
  }
  const items: Record<string, unknown>[] = [...bySku].map(([sku, e]) => ({
    item: { externalId: `SKU-${sku}` },
    quantity: e.quantity,
    rate: m(e.rate),
  }));
  const discount = sum(tx.lines, (l) => l.sellerDiscount);
  if (discount !== 0n) items.push({ item: { externalId: 'DISC-SELLER' }, amount: m(discount) });
  return JSON.stringify({
    externalId: `${prefix}-${order.shopId}-${order.id}`,
    entity: { externalId: 'CUST-DEMO' },
    otherRefNum: order.id,
    memo: `TikTok order ${order.id} (bench seed)`,
    shippingCost: m(sum(tx.lines, (l) => l.customerShippingFee)),
    item: { items },
  });
}

function creditMemoText(externalId: string, order: Order, amount: bigint): string {
  return JSON.stringify({
    externalId,
    entity: { externalId: 'CUST-DEMO' },
    otherRefNum: order.id,
    memo: `TikTok refund on order ${order.id} (bench seed)`,
    item: {
      items: [{ item: { externalId: 'REFUND-PARTIAL' }, amount: nsDecimal(fmt(amount, order.currency)) }],
    },
  });
}

/** TikSuite's `order_sync` rows: each settled order imported as its sales order, TikTok status COMPLETED. */
async function orderSync(env: DemoEnv, shopId: string, salesOrders: Map<string, string>, ctx: Ctx) {
  const rows = [...salesOrders].map(([orderId, soId]) => ({
    shop_id: shopId,
    order_id: orderId,
    applied_update_time: ctx.state.orders.get(orderId)!.updateTime,
    tiktok_status: 'COMPLETED',
    action: 'created',
    sales_order_id: soId,
  }));
  for (let i = 0; i < rows.length; i += 1000)
    await env.rt.handle.db
      .insertInto('order_sync')
      .values(rows.slice(i, i + 1000))
      .execute();
}
