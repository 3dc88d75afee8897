import { describe, expect, it } from 'vitest';
import type { OrderLineItem } from '../../connectors/tiktok-shop/index.ts';
import { isAppError } from '../../shared/errors.ts';
import { pickLineItems } from './lines.ts';

const unit = (id: string, sku: string, extra: Partial<OrderLineItem> = {}): OrderLineItem =>
  ({
    id,
    product_id: '1',
    sku_id: '2',
    seller_sku: sku,
    currency: 'USD',
    original_price: '1.00',
    sale_price: '1.00',
    ...extra,
  }) as OrderLineItem;

const items: Record<string, string> = { MUG: '10', CAP: '20' };
const pick = (lines: Array<{ itemId: string; quantity: number }>, lineItems: OrderLineItem[]) =>
  pickLineItems({
    fulfillmentId: '500',
    orderId: '900',
    lines: lines.map((l, i) => ({ ...l, orderLine: i + 1, itemName: l.itemId })),
    lineItems,
    itemOf: (sku) => items[sku],
  });

describe('NetSuite fulfillment lines -> TikTok line items (one per unit)', () => {
  it('takes the lowest open ids of each item, skipping shipped and cancelled units', () => {
    const order = [
      unit('1000000000000000003', 'MUG'),
      unit('999', 'MUG', { package_id: '7', package_status: 'PROCESSING', tracking_number: 'T' }),
      unit('1000000000000000001', 'MUG', { display_status: 'CANCELLED' }),
      unit('1000000000000000002', 'MUG'),
      unit('1000000000000000004', 'CAP'),
    ];
    expect(
      pick(
        [
          { itemId: '10', quantity: 2 },
          { itemId: '20', quantity: 1 },
        ],
        order,
      ),
    ).toEqual(['1000000000000000002', '1000000000000000003', '1000000000000000004']);
  });

  it('a line of an item the order does not contain names the line and the fix', () => {
    try {
      pick([{ itemId: '30', quantity: 1 }], [unit('1', 'MUG')]);
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err) && err.code).toBe('fulfillment_line_unmatched');
      expect(String(err)).toMatch(/ships line 1 \(30\), which TikTok order 900 does not contain/);
    }
  });

  it('more units than remain to ship on TikTok is refused with the counts', () => {
    const order = [unit('1', 'MUG'), unit('2', 'MUG', { package_id: '7', package_status: 'FULFILLING' })];
    expect(() => pick([{ itemId: '10', quantity: 2 }], order)).toThrow(
      /ships 2 of line 1 \(10\) but TikTok order 900 has 1 of 2 left/,
    );
  });
});
