/**
 * Golden tests of the credit side of a refund (refund-lines.ts): TikTok order fixtures of the order
 * mapping's golden set, a TikTok return as the API reference section 7.3 shapes it, settings; each
 * case must produce exactly golden/refunds/<case>.json: the credit's lines (item, quantity, rate,
 * amount, description), its shippingCost, the tax kept out, or the error with its code and message.
 * Regenerate after a deliberate change with GOLDEN_UPDATE=1, then review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OrderMappingSettings } from '../config/order-settings.ts';
import { Order, Return } from '../connectors/tiktok-shop/index.ts';
import { isAppError } from '../shared/errors.ts';
import { planRefund, type RefundSettings } from './refund-lines.ts';

const DIR = join(import.meta.dirname, 'golden');
const update = process.env['GOLDEN_UPDATE'] === '1';

function order(name: string): Order {
  return Order.parse(JSON.parse(readFileSync(join(DIR, 'orders', `${name}.json`), 'utf8')));
}

const BASE_SETTINGS = {
  discounts: {
    seller: { item: { externalId: 'DISC-SELLER' } },
    platform: { item: { externalId: 'TIKTOK-RECEIVABLE' } },
  },
};

interface Parts {
  subtotal: string;
  shipping?: string;
  tax?: string;
  rdf?: string;
  fee?: string;
  total: string;
}

const amount = (p: Parts) => ({
  currency: 'USD',
  refund_total: p.total,
  refund_subtotal: p.subtotal,
  refund_shipping_fee: p.shipping ?? '0.00',
  refund_tax: p.tax ?? '0.00',
  retail_delivery_fee: p.rdf ?? '0.00',
  buyer_service_fee: p.fee ?? '0.00',
});

function ret(o: Order, lines: Array<{ id: string; subtotal: string }>, parts: Parts): Return {
  return Return.parse({
    return_id: '4035318504086604100',
    order_id: o.id,
    return_type: 'REFUND',
    return_status: 'RETURN_OR_REFUND_REQUEST_COMPLETE',
    create_time: 1690451136,
    update_time: 1690453136,
    refund_amount: amount(parts),
    return_line_items: lines.map((l, i) => ({
      return_line_item_id: `40352276579621648${10 + i}`,
      order_line_item_id: l.id,
      refund_amount: { currency: 'USD', refund_total: l.subtotal, refund_subtotal: l.subtotal },
    })),
  });
}

interface Case {
  name: string;
  order: string;
  lines: Array<{ id: string; subtotal: string }>;
  parts: Parts;
  settings?: Record<string, unknown>;
  extra?: Omit<RefundSettings, 'mappings'>;
}

const REF = '577086512123755123';
const MUG = ['576900000000001102', '576900000000001103', '576900000000001104'];
const WRAP = '576900000000001105';

const CASES: Case[] = [
  {
    // Goods at 20.00, seller discount 2.00 reversed on its item, TikTok's 1.00 on the receivable; tax kept out.
    name: 'whole-unit-with-discounts',
    order: 'reference-example',
    lines: [{ id: REF, subtotal: '17.00' }],
    parts: { subtotal: '17.00', tax: '1.36', total: '18.36' },
  },
  {
    name: 'two-units-of-a-sku-and-shipping-as-cost',
    order: 'us-multi-unit',
    lines: [
      { id: MUG[0]!, subtotal: '19.99' },
      { id: MUG[1]!, subtotal: '19.99' },
    ],
    parts: { subtotal: '39.98', shipping: '5.99', tax: '3.31', total: '49.28' },
  },
  {
    name: 'tax-passed-through-and-shipping-as-line',
    order: 'us-multi-unit',
    lines: [{ id: WRAP, subtotal: '2.00' }],
    parts: { subtotal: '2.00', shipping: '5.99', tax: '0.17', total: '8.16' },
    settings: {
      tax: { treatment: 'pass_through', item: { externalId: 'TAX-TIKTOK' } },
      shipping: { lineItem: { externalId: 'SHIPPING' } },
    },
  },
  {
    name: 'partial-refund-goods-kept',
    order: 'us-multi-unit',
    lines: [{ id: MUG[2]!, subtotal: '5.00' }],
    parts: { subtotal: '5.00', tax: '0.41', total: '5.41' },
    extra: { partialRefundItem: { externalId: 'REFUND-PARTIAL' } },
  },
  {
    name: 'reduced-rate-discount-treatment',
    order: 'reference-example',
    lines: [{ id: REF, subtotal: '17.00' }],
    parts: { subtotal: '17.00', tax: '1.36', total: '18.36' },
    settings: {
      discounts: {
        seller: { treatment: 'reduced_rate' },
        platform: { item: { externalId: 'TIKTOK-RECEIVABLE' } },
      },
    },
  },
  {
    name: 'error-partial-refund-item-not-set',
    order: 'us-multi-unit',
    lines: [{ id: MUG[2]!, subtotal: '5.00' }],
    parts: { subtotal: '5.00', total: '5.00' },
  },
  {
    name: 'error-zero-refund',
    order: 'us-multi-unit',
    lines: [{ id: MUG[0]!, subtotal: '0.00' }],
    parts: { subtotal: '0.00', total: '0.00' },
  },
  {
    name: 'error-negative-part',
    order: 'us-multi-unit',
    lines: [{ id: MUG[0]!, subtotal: '19.99' }],
    parts: { subtotal: '19.99', tax: '-1.00', total: '18.99' },
  },
  {
    name: 'error-parts-do-not-add-up',
    order: 'us-multi-unit',
    lines: [{ id: MUG[0]!, subtotal: '19.99' }],
    parts: { subtotal: '19.99', tax: '1.65', total: '25.00' },
  },
  {
    name: 'error-line-not-on-order',
    order: 'us-multi-unit',
    lines: [{ id: '999999999999999999', subtotal: '19.99' }],
    parts: { subtotal: '19.99', total: '19.99' },
  },
  {
    name: 'error-line-refunds-more-than-paid',
    order: 'us-multi-unit',
    lines: [{ id: WRAP, subtotal: '3.00' }],
    parts: { subtotal: '3.00', total: '3.00' },
  },
];

function run(c: Case): string {
  const o = order(c.order);
  const mappings = OrderMappingSettings.parse({ ...BASE_SETTINGS, ...c.settings });
  const itemOf = (sku: string) => ({ externalId: `SKU-${sku}` });
  try {
    const plan = planRefund(o, ret(o, c.lines, c.parts), { mappings, ...c.extra }, itemOf);
    return JSON.stringify({ ...plan, units: Object.fromEntries(plan.units) }, null, 2);
  } catch (err) {
    if (!isAppError(err)) throw err;
    return JSON.stringify({ error: { code: err.code, message: err.message } }, null, 2);
  }
}

describe('refund lines golden cases', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const actual = run(c);
    const file = join(DIR, 'refunds', `${name}.json`);
    if (update) {
      mkdirSync(join(DIR, 'refunds'), { recursive: true });
      writeFileSync(file, `${actual}\n`);
    }
    expect(existsSync(file), `missing golden ${file}`).toBe(true);
    expect(JSON.parse(actual)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});
