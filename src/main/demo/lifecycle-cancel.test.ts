import { describe, expect, it } from 'vitest';
import { cancelledUnits, cancelSlots, withoutUnits, withTwoUnits } from './lifecycle-cancel.ts';
import { rng } from './lifecycle-event.ts';
import { pickReturns } from './lifecycle-returns.ts';

const units = (lines: ReadonlyArray<{ quantity: number }>) => lines.reduce((a, l) => a + l.quantity, 0);

describe('cancelSlots', () => {
  it('about 5 % of the orders in each of the four kinds, at least one each, repeatable from the seed', () => {
    const big = cancelSlots(200, rng(3));
    const count = (when: string, whole: boolean) =>
      [...big.values()].filter((s) => s.when === when && s.whole === whole).length;
    expect([count('before_import', true), count('before_import', false)]).toEqual([10, 10]);
    expect([count('after_import', true), count('after_import', false)]).toEqual([10, 10]);
    expect([...big.keys()].every((i) => i >= 0 && i < 200)).toBe(true);
    const small = cancelSlots(12, rng(3));
    expect(small.size).toBe(4);
    expect(new Set([...small.values()].map((s) => `${s.when}/${s.whole}`)).size).toBe(4);
    expect([...cancelSlots(12, rng(3))]).toEqual([...small]);
    expect(cancelSlots(2, rng(3)).size).toBe(2);
  });
});

describe('cancelledUnits', () => {
  it('whole: every unit; partial: one SKU of several, or some units of one, never all', () => {
    const random = rng(5);
    const two = [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ];
    expect(cancelledUnits(two, true, random)).toEqual(two);
    for (let k = 0; k < 50; k++) {
      const c = cancelledUnits(two, false, random);
      expect(c).toHaveLength(1);
      expect(two).toContainEqual(c[0]);
      const one = cancelledUnits([{ sku: 'A', quantity: 3 }], false, random);
      expect(one[0]!.quantity).toBeGreaterThanOrEqual(1);
      expect(one[0]!.quantity).toBeLessThan(3);
    }
  });

  it('an order to be cancelled in part gets a second unit when it has one', () => {
    expect(withTwoUnits({ lines: [{ sku: 'A', quantity: 1 }] }).lines).toEqual([{ sku: 'A', quantity: 2 }]);
    const two = { lines: [{ sku: 'A', quantity: 2 }] };
    expect(withTwoUnits(two)).toBe(two);
  });
});

describe('withoutUnits', () => {
  const plan = [
    { n: 1, lines: [{ sku: 'A', quantity: 1 }] },
    {
      n: 2,
      lines: [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 2 },
      ],
    },
    { n: 3, lines: [{ sku: 'A', quantity: 1 }] },
  ];

  it('takes the cancelled units from the last shipments first, drops the empty ones and renumbers', () => {
    expect(withoutUnits(plan, [{ sku: 'A', quantity: 2 }])).toEqual([
      { n: 1, lines: [{ sku: 'A', quantity: 1 }] },
      { n: 2, lines: [{ sku: 'B', quantity: 2 }] },
    ]);
    expect(withoutUnits(plan, [{ sku: 'B', quantity: 2 }]).map((s) => units(s.lines))).toEqual([1, 1, 1]);
    expect(withoutUnits(plan, [])).toEqual(plan);
  });

  it('nothing left to ship for an order cancelled whole', () => {
    expect(
      withoutUnits(plan, [
        { sku: 'A', quantity: 3 },
        { sku: 'B', quantity: 2 },
      ]),
    ).toEqual([]);
  });
});

describe('pickReturns', () => {
  const orders = (n: number) => Array.from({ length: n }, (_, i) => ({ orderId: `o${i}` }));

  it('about 20 % of the delivered orders, at least four, kinds in turn, every fourth left to the deadlines', () => {
    const big = pickReturns(orders(150), rng(9));
    expect(big).toHaveLength(30);
    expect(new Set(big.map((r) => r.order)).size).toBe(30);
    expect(big.filter((r) => r.kind === 'partial')).toHaveLength(10);
    expect(big.filter((r) => r.byDeadline).every((r) => r.kind !== 'partial')).toBe(true);
    expect(big.filter((r) => r.byDeadline).length).toBeGreaterThan(0);
    const small = pickReturns(orders(10), rng(9));
    expect(small.map((r) => [r.kind, r.byDeadline])).toEqual([
      ['refund', false],
      ['return', false],
      ['partial', false],
      ['refund', true],
    ]);
    expect(pickReturns(orders(2), rng(9))).toHaveLength(2);
  });
});
