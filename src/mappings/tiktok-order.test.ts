import { describe, expect, it } from 'vitest';
import { Order as TikTokOrder } from '../connectors/tiktok-shop/index.ts';
import { AppError } from '../shared/errors.ts';
import { loadWireOrder, readJson } from './golden/cases.ts';
import { mapTikTokOrder } from './tiktok-order.ts';

const US = { id: '7494000000000000001', region: 'US' };

function wire(name: string, edit: (o: Record<string, unknown>) => void = () => {}): TikTokOrder {
  const raw = readJson(`orders/${name}.json`);
  if (typeof raw !== 'object' || raw === null) throw new Error('fixture');
  const copy: Record<string, unknown> = structuredClone({ ...raw });
  edit(copy);
  return TikTokOrder.parse(copy);
}

function items(o: Record<string, unknown>): Array<Record<string, unknown>> {
  const list = o['line_items'];
  if (!Array.isArray(list)) throw new Error('no line_items');
  return list;
}

function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('TikTok order -> domain Order', () => {
  it('folds interleaved one-per-unit items by SKU, keeping first-seen order and the unit line ids', () => {
    const order = mapTikTokOrder(loadWireOrder('us-multi-unit'), US);
    expect(order.lines.map((l) => [l.sku, l.quantity, l.unitPrice.amount, l.tax.amount])).toEqual([
      ['MUG-BLUE-12OZ', 3, '19.99', '4.95'],
      ['GIFT-WRAP', 2, '2.00', '0.34'],
    ]);
    expect(order.lines[0]!.sourceLineIds).toHaveLength(3);
    expect(order).toMatchObject({
      status: 'awaiting_shipment',
      currency: 'USD',
      buyerMessage: 'Gift, please',
    });
    expect(order.amounts.total).toEqual({ amount: '75.25', currency: 'USD' });
  });

  it('sums per-unit discounts that TikTok split unevenly (seller and platform kept apart)', () => {
    const order = mapTikTokOrder(loadWireOrder('us-discounts'), US);
    expect(order.lines[0]).toMatchObject({
      quantity: 2,
      sellerDiscount: { amount: '3.00' },
      platformDiscount: { amount: '1.01' },
    });
  });

  it('keeps one SKU at two unit prices, or cancelled and not, as separate lines', () => {
    const order = mapTikTokOrder(
      wire('us-multi-unit', (o) => {
        const list = items(o);
        list[1]!['seller_sku'] = '';
        list[2]!['display_status'] = 'CANCELLED';
      }),
      US,
    );
    expect(order.lines.map((l) => [l.sku, l.quantity, l.cancelled])).toEqual([
      ['MUG-BLUE-12OZ', 2, false],
      ['1729000000000000105', 1, false],
      ['MUG-BLUE-12OZ', 1, true],
      ['GIFT-WRAP', 1, false],
    ]);
  });

  it('recognises sample and replacement orders', () => {
    expect(mapTikTokOrder(loadWireOrder('us-sample'), US).flags.sample).toBe(true);
    const replacement = mapTikTokOrder(loadWireOrder('us-replacement'), US);
    expect(replacement.flags.replacement).toBe(true);
    expect(replacement.replacesOrderId).toBe('576900000000000102');
  });

  it('leaves the address out while TikTok hides it (ON_HOLD)', () => {
    const order = mapTikTokOrder(loadWireOrder('us-on-hold'), US);
    expect(order.status).toBe('on_hold');
    expect(order.shippingAddress).toBeUndefined();
  });

  it('reads a UK address (post town, country) and keeps GBP', () => {
    const order = mapTikTokOrder(loadWireOrder('gb-shop'), { id: '7494000000000000002', region: 'GB' });
    expect(order.shippingAddress).toMatchObject({
      city: 'London',
      postalCode: 'EC1A 1BB',
      countryCode: 'GB',
    });
    expect(order.currency).toBe('GBP');
  });

  it('refuses a line item in another currency than the payment', () => {
    const e = failure(() =>
      mapTikTokOrder(
        wire('us-multi-unit', (o) => {
          items(o)[0]!['currency'] = 'CAD';
        }),
        US,
      ),
    );
    expect(e.code).toBe('mapping_amounts_inconsistent');
  });

  it('refuses a total that does not add up', () => {
    const e = failure(() =>
      mapTikTokOrder(
        wire('us-multi-unit', (o) => {
          const p = o['payment'];
          if (typeof p === 'object' && p !== null) Object.assign(p, { total_amount: '75.26' });
        }),
        US,
      ),
    );
    expect(e.code).toBe('mapping_amounts_inconsistent');
    expect(e.message).toContain('payment.total_amount is 75.26 but sub_total + shipping_fee + tax');
  });
});
