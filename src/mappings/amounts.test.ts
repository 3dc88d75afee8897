/**
 * The booking identity (docs/mapping.md, accounting reference §3.3): for every fixture and every
 * treatment, the sales order's lines (items, discount lines, shipping, receivable, passed-through
 * tax) plus shippingCost, plus the facilitator tax kept off the order, equal the TikTok
 * payment.total_amount to the cent. Sums are read back from the serialised body, in minor units.
 */
import { describe, expect, it } from 'vitest';
import { isRecord } from '../mapping/index.ts';
import { parseMoney } from '../shared/money.ts';
import { GOLDEN, loadWireOrder, mergePatch, parseExact, runCase } from './golden/cases.ts';
import { compileOrderMapping } from './orders.ts';

function minor(v: unknown, currency: string): bigint {
  const text = typeof v === 'string' ? v.replace(/^#/, '') : undefined;
  return parseMoney(text, currency, 'amount').minor;
}

/** Lines + shippingCost of a serialised sales order body. */
function bookedTotal(body: unknown, currency: string): bigint {
  if (!isRecord(body) || !isRecord(body['item']) || !Array.isArray(body['item']['items']))
    throw new Error('no lines');
  const lines = body['item']['items'].reduce<bigint>(
    (sum, l) => sum + (isRecord(l) ? minor(l['amount'], currency) : 0n),
    0n,
  );
  return lines + (body['shippingCost'] === undefined ? 0n : minor(body['shippingCost'], currency));
}

function paid(orderName: string) {
  const p = loadWireOrder(orderName).payment;
  const c = p.currency;
  const facilitated = minor(p.tax, c) + minor(p.retail_delivery_fee ?? '0', c);
  return { currency: c, total: minor(p.total_amount, c), facilitated };
}

const GOOD = GOLDEN.cases.filter((c) => !c.name.startsWith('error-'));

describe('amounts identity on the golden sales orders', () => {
  it.each(GOOD.map((c) => [c.name, c] as const))('%s books exactly what the buyer paid', (_name, c) => {
    const result = parseExact(runCase(c));
    if (!isRecord(result)) throw new Error('no result');
    const p = paid(c.order);
    const passThrough = c.variant === 'tax-pass-through';
    expect(bookedTotal(result['salesOrder'], p.currency) + (passThrough ? 0n : p.facilitated)).toBe(p.total);
  });
});

const TREATMENTS = {
  seller: ['discount_line', 'reduced_rate'],
  platform: ['receivable', 'reduce_revenue'],
  tax: ['exclude', 'pass_through'],
  shipping: ['method', 'line', 'none'],
  cofunded: ['platform', 'seller'],
} as const;

function* matrix() {
  for (const seller of TREATMENTS.seller)
    for (const platform of TREATMENTS.platform)
      for (const tax of TREATMENTS.tax)
        for (const shipping of TREATMENTS.shipping)
          for (const cofunded of TREATMENTS.cofunded) yield { seller, platform, tax, shipping, cofunded };
}

function settings(t: ReturnType<typeof matrix> extends Generator<infer T> ? T : never): unknown {
  return mergePatch(GOLDEN.settings['standard'], {
    discounts: { seller: { treatment: t.seller }, platform: { treatment: t.platform } },
    tax: { treatment: t.tax, item: 'TAX' },
    shipping: {
      method: t.shipping === 'method' ? '4512' : null,
      lineItem: t.shipping === 'line' ? '77' : null,
      cofundedDiscount: t.cofunded,
    },
  });
}

const ORDERS = [...new Set(GOOD.map((c) => c.order))];

describe('amounts identity under every treatment', () => {
  for (const t of matrix()) {
    const label = Object.values(t).join(' / ');
    it(`${label}: every fixture books the buyer's total`, () => {
      const mapping = compileOrderMapping(settings(t));
      for (const name of ORDERS) {
        const c = GOOD.find((x) => x.order === name)!;
        const order = mapping.fromTikTok(loadWireOrder(name), GOLDEN.shops[c.shop]!);
        const result = mapping.toSalesOrder(order, {
          itemBySku: (sku) => GOLDEN.lookups.items[sku],
          exchangeRate: () => undefined,
        });
        const p = paid(name);
        const booked = bookedTotal(parseExact(JSON.stringify(result.salesOrder)), p.currency);
        expect(booked + (t.tax === 'exclude' ? p.facilitated : 0n), name).toBe(p.total);
        expect(minor(result.amounts.orderTotal.amount, p.currency), name).toBe(booked);
      }
    });
  }
});
