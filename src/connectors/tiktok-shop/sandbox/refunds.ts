/**
 * Refund figures of cancellations and returns (reference §7.3), in the order currency, minor units.
 * At the request level and on every line:
 *   refund_total = refund_subtotal + refund_shipping_fee + refund_tax + retail_delivery_fee
 *                  + buyer_service_fee
 * and the request level is the sum of its lines, so a credit memo built from either level agrees
 * to the cent. Figures follow the order while a request is open and are frozen when it closes.
 */
import { AppError } from '../../../shared/errors.ts';
import { allocateMoney, parseMoney } from '../../../shared/money.ts';
import { type Ctx, invalidParam } from './context.ts';
import type { Cancellation, Order, OrderLine, Refund, RefundParts, Return } from './model.ts';
import { money } from './views.ts';

export const AWAITING_BUYER_RESPONSE = 'AWAITING_BUYER_RESPONSE';

function zero(): RefundParts {
  return { subtotal: 0n, shipping: 0n, tax: 0n, retailDeliveryFee: 0n, buyerServiceFee: 0n };
}

export function refundTotal(p: RefundParts): bigint {
  return p.subtotal + p.shipping + p.tax + p.retailDeliveryFee + p.buyerServiceFee;
}

function sumParts(list: readonly RefundParts[]): RefundParts {
  const t = zero();
  for (const p of list) {
    t.subtotal += p.subtotal;
    t.shipping += p.shipping;
    t.tax += p.tax;
    t.retailDeliveryFee += p.retailDeliveryFee;
    t.buyerServiceFee += p.buyerServiceFee;
  }
  return t;
}

function refundOf(lines: RefundParts[]): Refund {
  return { lines, total: sumParts(lines) };
}

/** What the buyer paid for the goods of a line: original less both discounts. */
export function lineGoods(l: OrderLine): bigint {
  return l.original - l.sellerDiscount - l.platformDiscount;
}

function linesOf(order: Order, lineIds: readonly string[]): OrderLine[] {
  return lineIds.map((id) => order.lines.find((l) => l.id === id)!);
}

/** The request takes every line not yet refunded or cancelled: the order ends wholly refunded. */
function refundsTheRest(order: Order, lineIds: readonly string[]): boolean {
  const taken = new Set(lineIds);
  return order.lines.every((l) => l.cancelled || l.refund !== undefined || taken.has(l.id));
}

/**
 * Each line's goods and tax. When the request wholly refunds the order, the order-level parts too
 * (whether TikTok does is UNCONFIRMED: `refundShippingOnFullRefund`), on the first line so the
 * lines still add up to the request. The order model has no retail delivery or buyer service fee,
 * so those parts stay 0.
 */
export function fullRefund(ctx: Ctx, order: Order, lineIds: readonly string[]): Refund {
  const parts = linesOf(order, lineIds).map((l) => ({ ...zero(), subtotal: lineGoods(l), tax: l.tax }));
  const first = parts[0];
  if (first && ctx.settings.business.refundShippingOnFullRefund && refundsTheRest(order, lineIds)) {
    first.shipping = order.shippingFee;
  }
  return refundOf(parts);
}

/** The most a partial refund of these lines may be: their goods and tax (never shipping). */
export function refundableOf(order: Order, lineIds: readonly string[]): bigint {
  let t = 0n;
  for (const l of linesOf(order, lineIds)) t += lineGoods(l) + l.tax;
  return t;
}

/**
 * `amount` split between subtotal and tax in the lines' ratio (the rounding remainder goes to the
 * subtotal), then each spread over the lines by their own goods and tax.
 */
export function partialRefund(order: Order, lineIds: readonly string[], amount: bigint): Refund {
  const lines = linesOf(order, lineIds);
  const goods = lines.map(lineGoods);
  const taxes = lines.map((l) => l.tax);
  const base = goods.reduce((a, b) => a + b, 0n) + taxes.reduce((a, b) => a + b, 0n);
  const tax = base === 0n ? 0n : (amount * taxes.reduce((a, b) => a + b, 0n)) / base;
  const subs = allocateMoney({ minor: amount - tax, currency: order.currency }, goods);
  const txs = allocateMoney({ minor: tax, currency: order.currency }, taxes);
  return refundOf(lines.map((_, i) => ({ ...zero(), subtotal: subs[i]!.minor, tax: txs[i]!.minor })));
}

export function noRefund(lineIds: readonly string[]): Refund {
  return refundOf(lineIds.map(zero));
}

/** A return's figures: frozen once closed, else what approving it now would refund. */
export function returnRefund(ctx: Ctx, r: Return): Refund {
  if (r.refund) return r.refund;
  if (r.type === 'REPLACEMENT') return noRefund(r.lineIds);
  const order = ctx.state.orders.get(r.orderId)!;
  const amount = r.status === AWAITING_BUYER_RESPONSE ? r.offeredAmount : r.requestedAmount;
  return amount === undefined ? fullRefund(ctx, order, r.lineIds) : partialRefund(order, r.lineIds, amount);
}

export function cancellationRefund(ctx: Ctx, c: Cancellation): Refund {
  return c.refund ?? fullRefund(ctx, ctx.state.orders.get(c.orderId)!, c.lineIds);
}

/** The refund amount object of reference §7.3. */
export function renderRefund(p: RefundParts, currency: string): Record<string, string> {
  const m = (x: bigint) => money(x, currency);
  return {
    currency,
    refund_total: m(refundTotal(p)),
    refund_subtotal: m(p.subtotal),
    refund_shipping_fee: m(p.shipping),
    refund_tax: m(p.tax),
    retail_delivery_fee: m(p.retailDeliveryFee),
    buyer_service_fee: m(p.buyerServiceFee),
  };
}

const POSITIVE_DECIMAL = /^\d{1,15}(\.\d{1,6})?$/;

/**
 * A partial refund amount for these lines: a decimal in the order currency, above 0 and at most
 * their goods and tax. Anything else is 36009004 naming `${at}.amount` or `${at}.currency`.
 */
export function checkPartialAmount(
  order: Order,
  lineIds: readonly string[],
  given: { amount: string; currency?: string | undefined },
  at: string,
): bigint {
  if (given.currency !== undefined && given.currency !== order.currency)
    throw invalidParam(
      `param ${at}.currency is invalid: "${given.currency}" is not the order currency ${order.currency}`,
    );
  const refundable = refundableOf(order, lineIds);
  const most = money(refundable, order.currency);
  if (!POSITIVE_DECIMAL.test(given.amount))
    throw invalidParam(`param ${at}.amount is invalid: give a decimal amount above 0 and at most ${most}`);
  let minor: bigint;
  try {
    minor = parseMoney(given.amount, order.currency, `${at}.amount`).minor;
  } catch (err) {
    if (err instanceof AppError) throw invalidParam(`param ${at}.amount is invalid: ${err.message}`);
    throw err;
  }
  if (minor <= 0n || minor > refundable)
    throw invalidParam(
      `param ${at}.amount is invalid: ${given.amount} must be above 0 and at most ${most} (goods and tax of the lines)`,
    );
  return minor;
}
