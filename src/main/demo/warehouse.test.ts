import { describe, expect, it } from 'vitest';
import { RECORD_SCHEMAS } from '../../connectors/netsuite/index.ts';
import { rng } from './lifecycle-event.ts';
import {
  fulfillmentLines,
  planShipments,
  SHIP_METHODS,
  type Shipment,
  type WarehouseOrder,
} from './warehouse.ts';

const US = SHIP_METHODS.filter((m) => m.region === 'US').map((m) => m.name);

function order(i: number, shipping: 'SELLER' | 'TIKTOK' = 'SELLER'): WarehouseOrder {
  return {
    orderId: `57700000000000${i}`,
    shopId: 'shop-us',
    region: 'US',
    shipping,
    lines: [
      { sku: 'A', quantity: 1 + (i % 3) },
      { sku: 'B', quantity: 2 },
      ...(i % 2 ? [{ sku: 'C', quantity: 1 }] : []),
    ],
  };
}

function units(shipments: Shipment[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of shipments) for (const l of s.lines) out[l.sku] = (out[l.sku] ?? 0) + l.quantity;
  return out;
}

describe('planShipments', () => {
  const plan = (seed: number) => {
    const random = rng(seed);
    const used = new Set<string>();
    return Array.from({ length: 200 }, (_, i) => planShipments(order(i), random, used));
  };

  it('is the same plan for the same seed', () => {
    expect(plan(3)).toEqual(plan(3));
    expect(plan(3)).not.toEqual(plan(4));
  });

  it('ships every unit of the order exactly once, over one to three fulfillments', () => {
    plan(5).forEach((shipments, i) => {
      const want = Object.fromEntries(order(i).lines.map((l) => [l.sku, l.quantity]));
      expect(units(shipments)).toEqual(want);
      expect(shipments.map((s) => s.n)).toEqual(shipments.map((_, k) => k + 1));
      expect(shipments.length).toBeLessThanOrEqual(3);
      expect(shipments[0]!.day).toBe(0);
      for (const s of shipments) expect(s.lines.every((l) => l.quantity > 0)).toBe(true);
    });
  });

  it('mixes whole and partial shipments, next-day ones and corrections, with unique tracking numbers', () => {
    const all = plan(7);
    const flat = all.flat();
    expect(all.filter((s) => s.length === 1).length).toBeGreaterThan(50);
    expect(all.filter((s) => s.length === 2).length).toBeGreaterThan(20);
    expect(all.filter((s) => s.length === 3).length).toBeGreaterThan(5);
    expect(flat.filter((s) => s.day === 1).length).toBeGreaterThan(10);
    // Some lines ship in part: a SKU split over two shipments of one order.
    expect(
      all.some((s) => s.length > 1 && s[0]!.lines.some((l) => s[1]!.lines.some((m) => m.sku === l.sku))),
    ).toBe(true);
    const corrected = flat.filter((s) => s.correction);
    expect(corrected.length).toBeGreaterThan(10);
    const numbers = flat.flatMap((s) => [s.tracking!, ...(s.correction ? [s.correction] : [])]);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const t of numbers) expect(t).toMatch(/^[A-Z0-9]{12,22}$/);
    for (const s of flat) expect(US).toContain(s.shipMethod);
  });

  it('ships a TikTok-shipped order whole, with neither carrier nor tracking number (TikTok assigns it)', () => {
    const random = rng(1);
    for (let i = 0; i < 20; i++) {
      const [only, ...rest] = planShipments(order(i, 'TIKTOK'), random, new Set());
      expect(rest).toEqual([]);
      expect(only).toMatchObject({ n: 1, day: 0 });
      expect(only!.tracking).toBeUndefined();
      expect(only!.shipMethod).toBeUndefined();
      expect(units([only!])).toEqual(Object.fromEntries(order(i).lines.map((l) => [l.sku, l.quantity])));
    }
  });
});

describe('fulfillmentLines', () => {
  const so = RECORD_SCHEMAS.salesOrder.parse({
    id: '812',
    item: {
      items: [
        { line: '1', item: { id: '10', refName: 'A' }, quantity: '3', quantityFulfilled: '1' },
        { line: '2', item: { id: '90', refName: 'Seller discount' }, quantity: '1' },
        { line: '3', item: { id: '11', refName: 'B' }, quantity: '2', quantityFulfilled: '2' },
        { line: '4', item: { id: '12', refName: 'C' }, quantity: '3' },
        { line: '5', item: { id: '13', refName: 'D' }, quantity: '1', isClosed: true },
      ],
    },
  });

  it('ships the units asked for by orderLine and leaves every other open line out', () => {
    expect(
      fulfillmentLines(so, {
        lines: [
          { sku: 'A', quantity: 1 },
          { sku: 'C', quantity: 3 },
        ],
      }),
    ).toEqual([
      { orderLine: 1, quantity: 1 },
      { orderLine: 2, itemReceive: false },
      { orderLine: 4, quantity: 3 },
    ]);
  });

  it('refuses units the sales order has no open line for', () => {
    expect(() => fulfillmentLines(so, { lines: [{ sku: 'A', quantity: 3 }] })).toThrow(
      /no open line for 1 x A/,
    );
    expect(() => fulfillmentLines(so, { lines: [{ sku: 'B', quantity: 1 }] })).toThrow(
      /no open line for 1 x B/,
    );
  });
});
