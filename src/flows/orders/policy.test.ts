import { describe, expect, it } from 'vitest';
import { Order } from '../../connectors/tiktok-shop/index.ts';
import { defaultOrderSettings } from '../../mappings/index.ts';
import { decide, isStale } from './policy.ts';

const settings = {
  importAt: 'released',
  pollLookbackHours: 24,
  webhookRetentionHours: 24,
  intakeClaimSeconds: 60,
  webhookRunIdleSeconds: 10,
  webhookRunMaxSeconds: 300,
} as const;
const mappings = defaultOrderSettings();

function order(status: string, extra: Record<string, unknown> = {}) {
  return Order.parse({
    id: '1',
    status,
    create_time: 100,
    update_time: 200,
    payment: {
      currency: 'USD',
      sub_total: '1.00',
      shipping_fee: '0',
      total_amount: '1.00',
      original_total_product_price: '1.00',
    },
    line_items: [
      {
        id: 'l1',
        product_id: 'p',
        sku_id: 's',
        seller_sku: 'A',
        currency: 'USD',
        original_price: '1.00',
        sale_price: '1.00',
      },
    ],
    ...extra,
  });
}

describe('when an order version is imported', () => {
  it('never imports UNPAID, waits during the hold, imports once released', () => {
    expect(decide(order('UNPAID'), undefined, settings, mappings).kind).toBe('wait');
    expect(decide(order('ON_HOLD'), undefined, settings, mappings).kind).toBe('wait');
    expect(decide(order('AWAITING_SHIPMENT'), undefined, settings, mappings).kind).toBe('write');
    expect(decide(order('IN_TRANSIT'), undefined, settings, mappings).kind).toBe('write');
  });

  it('imports during the hold with importAt: paid once the address is visible', () => {
    const paid = { ...settings, importAt: 'paid' } as const;
    expect(decide(order('ON_HOLD'), undefined, paid, mappings).kind).toBe('wait');
    const withAddress = order('ON_HOLD', { recipient_address: { address_line1: '1 Main St' } });
    expect(decide(withAddress, undefined, paid, mappings).kind).toBe('write');
    expect(decide(order('UNPAID'), undefined, paid, mappings).kind).toBe('wait');
  });

  it('skips an order cancelled before import, but updates an imported one', () => {
    expect(decide(order('CANCELLED'), undefined, settings, mappings).kind).toBe('skip');
    const imported = { appliedUpdateTime: 150, salesOrderId: '101', appliedHash: 'h', appliedBaseHash: 'b' };
    expect(decide(order('CANCELLED'), imported, settings, mappings).kind).toBe('write');
  });

  it('skips samples and replacements when the mapping says not to import them', () => {
    const no = {
      ...mappings,
      samples: { ...mappings.samples, import: false },
      replacements: { ...mappings.replacements, import: false },
    };
    expect(decide(order('AWAITING_SHIPMENT', { is_sample_order: true }), undefined, settings, no).kind).toBe(
      'skip',
    );
    expect(
      decide(order('AWAITING_SHIPMENT', { is_replacement_order: true }), undefined, settings, no).kind,
    ).toBe('skip');
    expect(
      decide(order('AWAITING_SHIPMENT', { is_sample_order: true }), undefined, settings, mappings).kind,
    ).toBe('write');
  });

  it('treats a version older than the applied one as stale', () => {
    const state = { appliedUpdateTime: 300, salesOrderId: '101', appliedHash: 'h', appliedBaseHash: 'b' };
    expect(isStale(order('AWAITING_SHIPMENT'), state)).toBe(true);
    expect(isStale(order('AWAITING_SHIPMENT'), { ...state, appliedUpdateTime: 200 })).toBe(false);
    expect(isStale(order('AWAITING_SHIPMENT'), undefined)).toBe(false);
  });
});
