/**
 * The credit side of a TikTok refund (docs/returns.md "How a refund is booked"): the lines of the
 * NetSuite credit memo or cash refund, built from TikTok's refund breakdown with the same rules as
 * the sales order (sales-order-lines.ts): goods at the original unit price, seller-funded discounts
 * reducing revenue, TikTok-funded discounts on the receivable item, shipping, and
 * marketplace-facilitator tax kept out (or passed through). A refund of part of a unit's price
 * (goods kept) is one line on the partial-refund item. All in bigint minor units; the lines plus
 * the tax left out must equal TikTok's `refund_total` to the cent, else nothing is booked.
 */
import type { NsRefSetting, OrderMappingSettings } from '../config/order-settings.ts';
import type { Order, OrderLineItem, RefundAmount, Return } from '../connectors/tiktok-shop/index.ts';
import { AppError } from '../shared/errors.ts';
import { formatMoney, parseMoney } from '../shared/money.ts';

export interface RefundLine {
  /** 'goods' lines carry the returned units of one SKU (quantity); the others are amounts only. */
  kind: 'goods' | 'discount' | 'receivable' | 'partial' | 'shipping' | 'tax' | 'fee';
  item: NsRefSetting;
  sku?: string;
  quantity?: number;
  rate?: string;
  amount: string;
  description: string;
}

export interface RefundPlan {
  currency: string;
  lines: RefundLine[];
  /** Shipping refunded as the document's shippingCost (no shipping line item configured). */
  shippingCost?: string;
  /** Tax and fees TikTok refunds but the books keep out (tax.treatment exclude). */
  excludedTax: string;
  /** What the document totals to: lines + shippingCost. */
  total: string;
  /** TikTok's refund_total. */
  refundTotal: string;
  /** Units returned in full, per seller SKU (the return authorization's and receipt's quantities). */
  units: Map<string, number>;
}

export interface RefundSettings {
  mappings: OrderMappingSettings;
  partialRefundItem?: NsRefSetting | undefined;
  feeItem?: NsRefSetting | undefined;
}

type ItemOf = (sku: string) => NsRefSetting | undefined;

class Ctx {
  readonly lines: RefundLine[] = [];
  readonly ret: Return;
  readonly currency: string;
  constructor(ret: Return, currency: string) {
    this.ret = ret;
    this.currency = currency;
  }
  m(value: string | undefined, field: string): bigint {
    return value === undefined ? 0n : parseMoney(value, this.currency, field).minor;
  }
  fmt(minor: bigint): string {
    return formatMoney({ minor, currency: this.currency });
  }
  need(ref: NsRefSetting | undefined, setting: string, why: string): NsRefSetting {
    if (ref) return ref;
    throw new AppError(
      'mapping_setting_missing',
      `TikTok return ${this.ret.return_id} ${why}: set ${setting} in tiksuite.yaml to a NetSuite item, then retry`,
      { details: { returnId: this.ret.return_id, setting } },
    );
  }
}

function invalid(ret: Return, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('refund_amount_invalid', `TikTok return ${ret.return_id}: ${message}`, {
    details: { returnId: ret.return_id, orderId: ret.order_id, ...details },
  });
}

/** The refund's total and parts, checked: a total at or below zero is never booked. */
function parts(ctx: Ctx, a: RefundAmount | undefined) {
  const { ret } = ctx;
  if (!a) throw invalid(ret, 'has no refund_amount: nothing can be booked; re-sync it once TikTok shows it');
  if (a.currency !== ctx.currency)
    throw invalid(ret, `refund currency ${a.currency} is not the order's ${ctx.currency}`);
  const p = {
    total: ctx.m(a.refund_total, 'refund_amount.refund_total'),
    subtotal: ctx.m(a.refund_subtotal, 'refund_amount.refund_subtotal'),
    shipping: ctx.m(a.refund_shipping_fee, 'refund_amount.refund_shipping_fee'),
    tax: ctx.m(a.refund_tax, 'refund_amount.refund_tax'),
    rdf: ctx.m(a.retail_delivery_fee, 'refund_amount.retail_delivery_fee'),
    fee: ctx.m(a.buyer_service_fee, 'refund_amount.buyer_service_fee'),
  };
  if (p.total <= 0n)
    throw invalid(ret, `refund_total ${a.refund_total} is not above zero: TikTok shows no money refunded`, {
      refundTotal: a.refund_total,
    });
  for (const [k, v] of Object.entries(p))
    if (v < 0n) throw invalid(ret, `refund part ${k} is negative (${ctx.fmt(v)})`, { part: k });
  return p;
}

interface Unit {
  line: OrderLineItem;
  refunded: bigint;
}

/** Each returned unit with its order line and the goods part TikTok refunds for it. */
function unitsOf(ctx: Ctx, order: Order): Unit[] {
  const { ret } = ctx;
  return ret.return_line_items.map((rl, i) => {
    const line = order.line_items.find((l) => l.id === rl.order_line_item_id);
    if (!line?.seller_sku) {
      throw new AppError(
        'return_line_not_on_order',
        `TikTok return ${ret.return_id} names order line ${rl.order_line_item_id}${rl.seller_sku ? ` (SKU "${rl.seller_sku}")` : ''}, which order ${order.id} does not have with a seller SKU: check the return in Seller Center; resolve this error once handled by hand`,
        { details: { returnId: ret.return_id, orderId: order.id, orderLineItemId: rl.order_line_item_id } },
      );
    }
    const sub = rl.refund_amount?.refund_subtotal;
    if (sub === undefined)
      throw invalid(ret, `return_line_items[${i}] has no refund_amount.refund_subtotal`, { line: i });
    return { line, refunded: ctx.m(sub, `return_line_items[${i}].refund_amount.refund_subtotal`) };
  });
}

/** Builds the lines of the credit for one completed TikTok refund. */
export function planRefund(order: Order, ret: Return, s: RefundSettings, itemOf: ItemOf): RefundPlan {
  const ctx = new Ctx(ret, order.payment.currency);
  const p = parts(ctx, ret.refund_amount);
  const units = unitsOf(ctx, order);
  const goods = units.reduce((a, u) => a + u.refunded, 0n);
  if (goods !== p.subtotal)
    throw invalid(
      ret,
      `its lines refund ${ctx.fmt(goods)} of goods but refund_subtotal says ${ctx.fmt(p.subtotal)}`,
    );
  const whole = goodsLines(ctx, s, itemOf, units);
  shippingLine(ctx, s, p.shipping);
  const shippingCost = s.mappings.shipping.lineItem || p.shipping === 0n ? undefined : p.shipping;
  const facilitated = p.tax + p.rdf;
  if (s.mappings.tax.treatment === 'pass_through' && facilitated > 0n) {
    const item = ctx.need(s.mappings.tax.item, 'mappings.tax.item', 'refunds marketplace-facilitator tax');
    ctx.lines.push({
      kind: 'tax',
      item,
      amount: ctx.fmt(facilitated),
      description: 'Marketplace facilitator tax refunded',
    });
  }
  if (p.fee > 0n) {
    const item = ctx.need(s.feeItem, 'aftersale.refunds.feeItem', 'refunds a buyer service fee');
    ctx.lines.push({ kind: 'fee', item, amount: ctx.fmt(p.fee), description: 'Buyer service fee refunded' });
  }
  const excluded = s.mappings.tax.treatment === 'pass_through' ? 0n : facilitated;
  const lineSum = ctx.lines.reduce((a, l) => a + ctx.m(l.amount, 'line'), 0n);
  const total = lineSum + (shippingCost ?? 0n);
  if (total + excluded !== p.total)
    throw invalid(
      ret,
      `the credit books ${ctx.fmt(total + excluded)} but TikTok refunds ${ctx.fmt(p.total)} (refund_total): its parts do not add up`,
    );
  return {
    currency: ctx.currency,
    lines: ctx.lines,
    ...(shippingCost !== undefined ? { shippingCost: ctx.fmt(shippingCost) } : {}),
    excludedTax: ctx.fmt(excluded),
    total: ctx.fmt(total),
    refundTotal: ctx.fmt(p.total),
    units: whole,
  };
}

/** Whole units per SKU: item at the original price, discounts as on the sales order; partial ones as allowance. */
function goodsLines(ctx: Ctx, s: RefundSettings, itemOf: ItemOf, units: Unit[]): Map<string, number> {
  const platformToRevenue = s.mappings.discounts.platform.treatment === 'reduce_revenue';
  const whole = new Map<string, Unit[]>();
  let partial = 0n;
  let receivable = 0n;
  for (const u of units) {
    const original = ctx.m(u.line.original_price, 'original_price');
    const seller = ctx.m(u.line.seller_discount, 'seller_discount');
    const platform = ctx.m(u.line.platform_discount, 'platform_discount');
    if (u.refunded === original - seller - platform) {
      const sku = u.line.seller_sku!;
      whole.set(sku, [...(whole.get(sku) ?? []), u]);
      if (!platformToRevenue) receivable += platform;
    } else if (u.refunded > original - seller - platform) {
      throw invalid(
        ctx.ret,
        `line ${u.line.id} refunds ${ctx.fmt(u.refunded)}, more than the buyer paid for it`,
      );
    } else partial += u.refunded;
  }
  for (const [sku, list] of whole) {
    const item = itemOf(sku);
    if (!item)
      throw new AppError(
        'mapping_unknown_sku',
        `TikTok return ${ctx.ret.return_id}: seller SKU "${sku}" has no NetSuite item; fix the item or mappings.items.overrides, then retry`,
        { details: { sku, returnId: ctx.ret.return_id } },
      );
    wholeUnits(ctx, s, sku, item, list, platformToRevenue);
  }
  if (receivable > 0n) {
    const item = ctx.need(
      s.mappings.discounts.platform.item,
      'mappings.discounts.platform.item',
      'reverses TikTok-funded discounts',
    );
    ctx.lines.push({
      kind: 'receivable',
      item,
      amount: ctx.fmt(-receivable),
      description: 'TikTok-funded discounts (receivable from TikTok)',
    });
  }
  if (partial > 0n) {
    const item = ctx.need(
      s.partialRefundItem,
      'aftersale.refunds.partialRefundItem',
      'refunds part of a price (goods kept)',
    );
    ctx.lines.push({ kind: 'partial', item, amount: ctx.fmt(partial), description: 'Partial refund' });
  }
  return new Map([...whole].map(([sku, list]) => [sku, list.length]));
}

function wholeUnits(
  ctx: Ctx,
  s: RefundSettings,
  sku: string,
  item: NsRefSetting,
  list: Unit[],
  platformToRevenue: boolean,
): void {
  let gross = 0n;
  let reduction = 0n;
  for (const u of list) {
    gross += ctx.m(u.line.original_price, 'original_price');
    reduction += ctx.m(u.line.seller_discount, 'seller_discount');
    if (platformToRevenue) reduction += ctx.m(u.line.platform_discount, 'platform_discount');
  }
  const qty = BigInt(list.length);
  const name = list[0]!.line.product_name;
  const base = { kind: 'goods' as const, item, sku, quantity: list.length, description: name ?? sku };
  if (s.mappings.discounts.seller.treatment === 'reduced_rate') {
    const amount = gross - reduction;
    ctx.lines.push({
      ...base,
      ...(amount % qty === 0n ? { rate: ctx.fmt(amount / qty) } : {}),
      amount: ctx.fmt(amount),
    });
    return;
  }
  ctx.lines.push({
    ...base,
    ...(gross % qty === 0n ? { rate: ctx.fmt(gross / qty) } : {}),
    amount: ctx.fmt(gross),
  });
  if (reduction === 0n) return;
  const discount = ctx.need(
    s.mappings.discounts.seller.item,
    'mappings.discounts.seller.item',
    `reverses a seller discount on SKU "${sku}"`,
  );
  ctx.lines.push({
    kind: 'discount',
    item: discount,
    sku,
    amount: ctx.fmt(-reduction),
    description: `Seller discount (${sku})`,
  });
}

function shippingLine(ctx: Ctx, s: RefundSettings, shipping: bigint): void {
  const item = s.mappings.shipping.lineItem;
  if (!item || shipping === 0n) return;
  ctx.lines.push({
    kind: 'shipping',
    item,
    quantity: 1,
    rate: ctx.fmt(shipping),
    amount: ctx.fmt(shipping),
    description: 'Shipping refunded',
  });
}
