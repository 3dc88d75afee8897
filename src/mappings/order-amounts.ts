/**
 * The arithmetic a TikTok order must satisfy (reference §4.4 payment formulas) before it is
 * booked: lines against the payment object, and the payment object against itself.
 */
import { type Money, type Order, toMinor } from '../domain/index.ts';
import { AppError } from '../shared/errors.ts';
import { formatMoney, multiplyMoney } from '../shared/money.ts';

function minor(m: Money): bigint {
  return toMinor(m).minor;
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}

function show(v: bigint, currency: string): string {
  return formatMoney({ minor: v, currency });
}

function expectEqual(order: Order, what: string, stated: bigint, computed: bigint, formula: string): void {
  if (stated === computed) return;
  throw new AppError(
    'mapping_amounts_inconsistent',
    `TikTok order ${order.id}: ${what} is ${show(stated, order.currency)} but ${formula} gives ${show(computed, order.currency)}; check the order in TikTok Seller Center, then retry`,
    {
      details: {
        orderId: order.id,
        field: what,
        stated: show(stated, order.currency),
        computed: show(computed, order.currency),
      },
    },
  );
}

/** Throws mapping_amounts_inconsistent naming the first identity that fails. */
export function checkOrderAmounts(order: Order): void {
  const a = order.amounts;
  const lines = order.lines;
  expectEqual(
    order,
    'payment.original_total_product_price',
    minor(a.itemsGross),
    sum(lines.map((l) => multiplyMoney(toMinor(l.unitPrice), l.quantity).minor)),
    'the line items original_price',
  );
  expectEqual(
    order,
    'payment.seller_discount',
    minor(a.sellerDiscount),
    sum(lines.map((l) => minor(l.sellerDiscount))),
    'the line items seller_discount',
  );
  expectEqual(
    order,
    'payment.platform_discount',
    minor(a.platformDiscount),
    sum(lines.map((l) => minor(l.platformDiscount))),
    'the line items platform_discount',
  );
  expectEqual(
    order,
    'payment.sub_total',
    minor(a.subtotal),
    minor(a.itemsGross) - minor(a.sellerDiscount) - minor(a.platformDiscount),
    'original_total_product_price - seller_discount - platform_discount',
  );
  expectEqual(
    order,
    'payment.shipping_fee',
    minor(a.shipping),
    minor(a.shippingGross) -
      minor(a.shippingSellerDiscount) -
      minor(a.shippingPlatformDiscount) -
      minor(a.shippingCofundedDiscount),
    'original_shipping_fee - shipping_fee_seller_discount - shipping_fee_platform_discount - shipping_fee_cofunded_discount',
  );
  expectEqual(
    order,
    'payment.total_amount',
    minor(a.total),
    minor(a.subtotal) + minor(a.shipping) + minor(a.tax) + minor(a.retailDeliveryFee),
    'sub_total + shipping_fee + tax + retail_delivery_fee',
  );
}
