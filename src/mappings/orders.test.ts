import { describe, expect, it } from 'vitest';
import { defaultOrderSettings } from '../config/order-settings.ts';
import type { Order } from '../domain/index.ts';
import { AppError } from '../shared/errors.ts';
import { GOLDEN, loadWireOrder, mergePatch } from './golden/cases.ts';
import { compileOrderMapping } from './orders.ts';

function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('order mapping settings', () => {
  it('parse from nothing with documented defaults', () => {
    const s = defaultOrderSettings();
    expect(s.customer.strategy).toBe('generic');
    expect(s.discounts.seller.treatment).toBe('discount_line');
    expect(s.discounts.platform.treatment).toBe('receivable');
    expect(s.tax.treatment).toBe('exclude');
    expect(s.items.lookup).toEqual({ kind: 'item_id' });
    expect(s.body).toMatchObject({
      memo: 'TikTok Shop order {order.id}',
      otherRefNum: '{order.id}',
      tranDate: 'paid',
    });
  });

  it.each([
    [{ body: { memo: 'Order {order.nope}' } }, 'mappings.body.memo: template placeholder {order.nope}'],
    [{ body: { customFields: { custbody_x: '{buyer}' } } }, 'mappings.body.customFields.custbody_x'],
    [{ body: { customFields: { custentity_x: 'a' } } }, 'mappings.body.customFields.custentity_x'],
    [{ body: { timeZone: 'Mars/Olympus' } }, 'mappings.body.timeZone'],
    [{ discounts: { seller: { treatment: 'rebate' } } }, 'mappings.discounts.seller.treatment'],
    [{ items: { lookup: { kind: 'custom_field' } } }, 'mappings.items.lookup.field'],
    [
      { routing: { rules: [{ when: { minTotal: '10', maxTotal: '5' }, set: {} }] } },
      'minTotal must be below maxTotal',
    ],
    [{ routing: { rules: [{ when: { region: ['US'] }, set: {} }] } }, 'mappings.routing.rules.0.when'],
  ])('reject %j at load with mapping_invalid_spec', (settings, message) => {
    const e = failure(() => compileOrderMapping(settings));
    expect(e.code).toBe('mapping_invalid_spec');
    expect(e.message).toContain(message);
  });
});

describe('routing rules', () => {
  const base = GOLDEN.settings['standard'];
  const order = (name: string): Order =>
    compileOrderMapping(base).fromTikTok(loadWireOrder(name), GOLDEN.shops['us']!);
  const route = (rules: unknown[], o: Order) =>
    compileOrderMapping(mergePatch(base, { routing: { rules } })).route(o);
  const set = { department: '9' };

  it('match on the buyer total: min inclusive, max exclusive', () => {
    const o = order('us-multi-unit'); // total 75.25
    expect(route([{ when: { minTotal: '75.25' }, set }], o).rule).toBe('rules[0]');
    expect(route([{ when: { maxTotal: '75.25' }, set }], o).rule).toBeUndefined();
    expect(route([{ when: { maxTotal: '75.26' }, set }], o).rule).toBe('rules[0]');
  });

  it('match SKU globs against any line', () => {
    const o = order('us-multi-unit');
    expect(route([{ when: { skuPattern: 'GIFT-*' }, set }], o).rule).toBe('rules[0]');
    expect(route([{ when: { skuPattern: 'MUG-?ED-*' }, set }], o).rule).toBeUndefined();
    expect(route([{ when: { skuPattern: 'MUG-BLUE-12OZ' }, set }], o).rule).toBe('rules[0]');
  });

  it('need every condition of a rule, and the first matching rule wins over the default', () => {
    const o = order('us-multi-unit');
    const rules = [
      { name: 'gb-and-mugs', when: { regions: ['GB'], skuPattern: 'MUG-*' }, set: { class: '1' } },
      { name: 'usd', when: { currencies: ['USD'] }, set: { location: { externalId: 'LOC-RNO' } } },
      { name: 'later', when: {}, set: { class: '2' } },
    ];
    expect(route(rules, o)).toEqual({
      subsidiary: { externalId: 'SUB-US' },
      location: { externalId: 'LOC-RNO' },
      rule: 'usd',
    });
  });

  it('do not match a warehouse condition when the order has no warehouse', () => {
    const o = { ...order('us-multi-unit') };
    delete o.warehouseId;
    expect(route([{ when: { warehouses: ['7494100000000000001'] }, set }], o).rule).toBeUndefined();
  });
});
