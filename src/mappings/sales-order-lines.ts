/**
 * The sales order's money (docs/mapping.md "How amounts are booked", after the accounting
 * reference §3.3): items at the original unit price, seller-funded discounts reducing revenue
 * (discount lines or reduced amounts), TikTok-funded discounts as one receivable line, shipping,
 * and marketplace-facilitator tax kept out (or passed through). All in bigint minor units.
 */

import { type NsRefSetting, type OrderMappingSettings, SETTINGS_ROOT } from '../config/order-settings.ts';
import type { RefInput } from '../connectors/netsuite/index.ts';
import { type Order, type OrderLine, toMinor } from '../domain/index.ts';
import { AppError } from '../shared/errors.ts';
import { formatMoney } from '../shared/money.ts';
import type { LineDraft } from './sales-order-draft.ts';

/**
 * What a sales order line stands for, one per line in the same order: an item line (the units of a
 * SKU at one price), the discount line after it, or an order-level line (shipping, receivable,
 * tax). A cancellation after fulfilment finds an item's lines in NetSuite by it (flows/orders).
 */
export type LineRole = { kind: 'item' | 'discount'; sku: string } | { kind: 'other' };

export interface MoneyPlan {
  lines: LineDraft[];
  roles: LineRole[];
  shipMethod?: RefInput;
  shippingCost?: string;
  /** Buyer-paid tax and fees left off the order (collected and remitted by TikTok). */
  excludedTax: string;
  /** Sum of line amounts and shippingCost: what the sales order totals to. */
  orderTotal: string;
}

interface Ctx {
  order: Order;
  settings: OrderMappingSettings;
  fmt: (minor: bigint) => string;
}

function m(x: { amount: string; currency: string }): bigint {
  return toMinor(x).minor;
}

function needItem(ctx: Ctx, ref: NsRefSetting | undefined, setting: string, why: string): RefInput {
  if (ref) return ref;
  throw new AppError(
    'mapping_setting_missing',
    `TikTok order ${ctx.order.id} ${why}: set ${SETTINGS_ROOT}.${setting} in tiksuite.yaml to a NetSuite item, then retry`,
    { details: { orderId: ctx.order.id, setting: `${SETTINGS_ROOT}.${setting}` } },
  );
}

/** The special-order discount item (samples, replacements), when one is configured. */
function specialDiscount(ctx: Ctx): { item: RefInput; label: string } | undefined {
  const { order, settings } = ctx;
  if (order.flags.sample && settings.samples.discountItem)
    return { item: settings.samples.discountItem, label: 'Sample' };
  if (order.flags.replacement && settings.replacements.discountItem) {
    return { item: settings.replacements.discountItem, label: 'Replacement' };
  }
  return undefined;
}

/** The discount line after an item line (seller-funded, or a sample's / replacement's item). */
function discountLine(ctx: Ctx, line: OrderLine, reduction: bigint, closed: { isClosed?: true }): LineDraft {
  const special = specialDiscount(ctx);
  const seller = ctx.settings.discounts.seller.item;
  const why = `has a seller discount on SKU "${line.sku}"`;
  const item = special?.item ?? needItem(ctx, seller, 'discounts.seller.item', why);
  const platformToo = ctx.settings.discounts.platform.treatment === 'reduce_revenue';
  const label = special
    ? `${special.label} discount`
    : platformToo
      ? 'Seller and TikTok discount'
      : 'Seller discount';
  return { item, amount: ctx.fmt(-reduction), description: `${label} (${line.sku})`, ...closed };
}

function productLines(ctx: Ctx, line: OrderLine, item: RefInput): LineDraft[] {
  const { settings } = ctx;
  const unit = m(line.unitPrice);
  const qty = BigInt(line.quantity);
  const platformToRevenue = settings.discounts.platform.treatment === 'reduce_revenue';
  const reduction = m(line.sellerDiscount) + (platformToRevenue ? m(line.platformDiscount) : 0n);
  // Cancelled units are their own line, closed from the start (with their discount line).
  const closed: { isClosed?: true } = line.cancelled ? { isClosed: true } : {};
  const base = {
    item,
    quantity: line.quantity,
    price: { id: '-1' },
    ...(line.name ? { description: line.name } : {}),
    ...(settings.tax.taxCode ? { taxCode: settings.tax.taxCode } : {}),
    ...closed,
  };
  if (!specialDiscount(ctx) && settings.discounts.seller.treatment === 'reduced_rate') {
    const amount = unit * qty - reduction;
    const rate = amount % qty === 0n ? { rate: ctx.fmt(amount / qty) } : {};
    return [{ ...base, ...rate, amount: ctx.fmt(amount) }];
  }
  const out: LineDraft[] = [{ ...base, rate: ctx.fmt(unit), amount: ctx.fmt(unit * qty) }];
  if (reduction !== 0n) out.push(discountLine(ctx, line, reduction, closed));
  return out;
}

interface Shipping {
  charged: bigint;
  platformFunded: bigint;
}

function shippingAmounts(ctx: Ctx): Shipping {
  const a = ctx.order.amounts;
  const cofunded = m(a.shippingCofundedDiscount);
  const cofundedByPlatform = ctx.settings.shipping.cofundedDiscount === 'platform';
  const seller = m(a.shippingSellerDiscount) + (cofundedByPlatform ? 0n : cofunded);
  const platform = m(a.shippingPlatformDiscount) + (cofundedByPlatform ? cofunded : 0n);
  const toRevenue = ctx.settings.discounts.platform.treatment === 'reduce_revenue';
  return {
    charged: m(a.shippingGross) - seller - (toRevenue ? platform : 0n),
    platformFunded: toRevenue ? 0n : platform,
  };
}

/**
 * Shipping as shippingCost (with the ship method when set) or as an item line. shippingCost is
 * always sent (0.00 when shipping is a line): an upsert leaves omitted fields as they were, and
 * with a ship method NetSuite would otherwise compute its own cost.
 */
function shippingPart(
  ctx: Ctx,
  charged: bigint,
): Pick<MoneyPlan, 'shipMethod' | 'shippingCost'> & { line?: LineDraft } {
  const s = ctx.settings.shipping;
  if (s.lineItem) {
    const zero = ctx.fmt(0n);
    if (charged === 0n && m(ctx.order.amounts.shippingGross) === 0n) return { shippingCost: zero };
    const line = {
      item: s.lineItem,
      quantity: 1,
      rate: ctx.fmt(charged),
      amount: ctx.fmt(charged),
      description: 'Shipping',
    };
    return { shippingCost: zero, line };
  }
  return { ...(s.method ? { shipMethod: s.method } : {}), shippingCost: ctx.fmt(charged) };
}

function receivableLine(ctx: Ctx, amount: bigint): LineDraft[] {
  if (amount === 0n) return [];
  const item = needItem(
    ctx,
    ctx.settings.discounts.platform.item,
    'discounts.platform.item',
    'has TikTok-funded discounts',
  );
  return [
    { item, amount: ctx.fmt(-amount), description: 'TikTok-funded discounts (receivable from TikTok)' },
  ];
}

function taxLines(ctx: Ctx, facilitated: bigint): LineDraft[] {
  if (ctx.settings.tax.treatment !== 'pass_through' || facilitated === 0n) return [];
  const item = needItem(
    ctx,
    ctx.settings.tax.item,
    'tax.item',
    'has marketplace-facilitator tax and tax.treatment is pass_through',
  );
  return [
    {
      item,
      amount: ctx.fmt(facilitated),
      description: 'Marketplace facilitator tax (collected and remitted by TikTok)',
    },
  ];
}

/** The item lines (each followed by its discount line, if any), with their roles. */
function itemLines(ctx: Ctx, items: readonly RefInput[]): { lines: LineDraft[]; roles: LineRole[] } {
  const lines: LineDraft[] = [];
  const roles: LineRole[] = [];
  ctx.order.lines.forEach((l, i) => {
    const [line, ...discount] = productLines(ctx, l, items[i]!);
    lines.push(line!, ...discount);
    roles.push(
      { kind: 'item', sku: l.sku },
      ...discount.map((): LineRole => ({ kind: 'discount', sku: l.sku })),
    );
  });
  return { lines, roles };
}

/** Builds every line and the shipping fields; `items` holds one item reference per order line. */
export function planMoney(
  order: Order,
  settings: OrderMappingSettings,
  items: readonly RefInput[],
): MoneyPlan {
  const ctx: Ctx = { order, settings, fmt: (minor) => formatMoney({ minor, currency: order.currency }) };
  const { lines, roles } = itemLines(ctx, items);
  const shipping = shippingAmounts(ctx);
  const ship = shippingPart(ctx, shipping.charged);
  const platformToReceivable =
    settings.discounts.platform.treatment === 'receivable' ? m(order.amounts.platformDiscount) : 0n;
  const facilitated = m(order.amounts.tax) + m(order.amounts.retailDeliveryFee);
  const others = [
    ...(ship.line ? [ship.line] : []),
    ...receivableLine(ctx, platformToReceivable + shipping.platformFunded),
    ...taxLines(ctx, facilitated),
  ];
  lines.push(...others);
  roles.push(...others.map((): LineRole => ({ kind: 'other' })));
  // Nothing left to ship (every unit cancelled after import): the order-level lines close too, so
  // NetSuite shows the whole sales order Closed (accounting reference §3.3 item 7).
  if (order.lines.every((l) => l.cancelled)) for (const l of lines) l.isClosed = true;
  const excluded = settings.tax.treatment === 'pass_through' ? 0n : facilitated;
  const total = lines.reduce(
    (acc, l) => acc + toMinor({ amount: l.amount, currency: order.currency }).minor,
    0n,
  );
  const orderTotal =
    total + (ship.shippingCost ? toMinor({ amount: ship.shippingCost, currency: order.currency }).minor : 0n);
  checkBalances(order, orderTotal + excluded, ctx.fmt);
  return {
    lines,
    roles,
    ...(ship.shipMethod ? { shipMethod: ship.shipMethod } : {}),
    ...(ship.shippingCost !== undefined ? { shippingCost: ship.shippingCost } : {}),
    excludedTax: ctx.fmt(excluded),
    orderTotal: ctx.fmt(orderTotal),
  };
}

/** The booking identity: order total + tax left out = what the buyer paid, to the cent. */
function checkBalances(order: Order, booked: bigint, fmt: (x: bigint) => string): void {
  const paid = m(order.amounts.total);
  if (booked === paid) return;
  throw new AppError(
    'mapping_amounts_inconsistent',
    `TikTok order ${order.id}: the sales order books ${fmt(booked)} but the buyer paid ${fmt(paid)} (payment.total_amount)`,
    { details: { orderId: order.id, booked: fmt(booked), paid: fmt(paid) } },
  );
}
