/**
 * The cancellation planner over real mappings of the golden TikTok orders: what NetSuite shows
 * (the lines as written, with fulfilled and billed counts) against the order after TikTok
 * cancelled units. End to end over both sandboxes: test/orders-cancel.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { decimalText, type ItemLineInput } from '../../connectors/netsuite/index.ts';
import type { Order as TikTokOrder } from '../../connectors/tiktok-shop/index.ts';
import { GOLDEN, loadWireOrder, lookupsFor, settingsFor } from '../../mappings/golden/cases.ts';
import { compileOrderMapping, type SalesOrderMapping } from '../../mappings/index.ts';
import { planCancellations, prorata } from './cancel-plan.ts';
import { baseHash, type NsSalesOrder } from './sales-order.ts';

type NsLine = NonNullable<NonNullable<NsSalesOrder['item']>['items']>[number];

const CASE = {
  name: 't',
  order: 'us-discounts',
  shop: 'us',
  settings: 'standard',
  omitItems: [],
  inactiveItems: [],
};
const mapping = compileOrderMapping(settingsFor(CASE));

function map(order: TikTokOrder): SalesOrderMapping {
  return mapping.toSalesOrder(mapping.fromTikTok(order, GOLDEN.shops['us']!), lookupsFor(CASE));
}

/** The golden order with the given line items (by index) cancelled in TikTok. */
function cancelled(name: string, indexes: number[]): TikTokOrder {
  const order = loadWireOrder(name);
  const lines = order.line_items.map((l, i) =>
    indexes.includes(i) ? { ...l, display_status: 'CANCELLED' } : l,
  );
  const all = lines.every((l) => l.display_status === 'CANCELLED');
  return { ...order, line_items: lines, ...(all ? { status: 'CANCELLED' } : {}) };
}

/** The sales order as NetSuite shows it after `written` was upserted: lines numbered from 1. */
function inNetSuite(written: SalesOrderMapping, counts: Record<number, [number, number?]> = {}): NsLine[] {
  return (written.salesOrder.item?.items ?? []).map((l, i) => {
    const [fulfilled = 0, billed = 0] = counts[i + 1] ?? [];
    const id = l.item && 'id' in l.item ? l.item.id : `eid-${l.item?.externalId}`;
    return {
      line: i + 1,
      item: { id },
      quantity: l.quantity ?? 1,
      ...(l.rate ? { rate: decimalText(l.rate) } : {}),
      amount: decimalText(l.amount!),
      isClosed: l.isClosed ?? false,
      quantityFulfilled: fulfilled,
      quantityBilled: billed,
    };
  });
}

/** NetSuite's lines after a line-keyed PATCH (reference 4.4). */
function patched(lines: NsLine[], changes: ItemLineInput[]): NsLine[] {
  return lines.map((l) => {
    const c = changes.find((x) => x.line === l.line);
    if (!c) return l;
    return {
      ...l,
      ...(c.quantity !== undefined ? { quantity: c.quantity } : {}),
      ...(c.amount !== undefined ? { amount: decimalText(c.amount) } : {}),
      ...(c.isClosed ? { isClosed: true } : {}),
    };
  });
}

const text = (changes: ItemLineInput[]) =>
  changes.map((c) => ({ ...c, ...(c.amount ? { amount: decimalText(c.amount) } : {}) }));

// us-discounts: MUG-BLUE x2 at 19.99 (seller discount 3.00), MUG-RED x1 at 12.50 (1.25), then
// the TikTok-funded receivable line. Lines 1-2 blue + discount, 3-4 red + discount, 5 receivable.
const before = map(loadWireOrder('us-discounts'));

describe('base hash', () => {
  it('is the same when TikTok only cancels units, and differs when anything else changes', () => {
    expect(baseHash(map(cancelled('us-discounts', [1])))).toBe(baseHash(before));
    expect(baseHash(map(cancelled('us-discounts', [0, 1, 2])))).toBe(baseHash(before));
    const order = loadWireOrder('us-discounts');
    const moved = { ...order, recipient_address: { ...order.recipient_address!, postal_code: '10118' } };
    expect(baseHash(map(moved))).not.toBe(baseHash(before));
  });
});

describe('planCancellations', () => {
  it('closes an unfulfilled item line and its discount line when all its units are cancelled', () => {
    const lines = inNetSuite(before, { 3: [1], 4: [1] });
    const plan = planCancellations({ lines, desired: map(cancelled('us-discounts', [0, 1])) });
    expect(plan).toEqual({
      ok: true,
      changes: [
        { line: 1, isClosed: true },
        { line: 2, isClosed: true },
      ],
      refused: [],
    });
  });

  it('reduces a line by fewer units than remain: amount at the rate, discount pro rata', () => {
    const lines = inNetSuite(before, { 3: [1] });
    const plan = planCancellations({ lines, desired: map(cancelled('us-discounts', [1])) });
    expect(plan.ok && text(plan.changes)).toEqual([
      { line: 1, quantity: 1, amount: '19.99' },
      { line: 2, amount: '-1.50' },
    ]);
  });

  it('reduces to the fulfilled units instead of closing while they are not billed, closes once they are', () => {
    const desired = map(cancelled('us-discounts', [1]));
    const unbilled = planCancellations({ lines: inNetSuite(before, { 1: [1] }), desired });
    expect(unbilled.ok && text(unbilled.changes)).toEqual([
      { line: 1, quantity: 1, amount: '19.99' },
      { line: 2, amount: '-1.50' },
    ]);
    const billed = planCancellations({ lines: inNetSuite(before, { 1: [1, 1] }), desired });
    expect(billed.ok && billed.changes).toEqual([
      { line: 1, isClosed: true },
      { line: 2, isClosed: true },
    ]);
  });

  it('refuses a line whose cancelled units NetSuite already fulfilled, and plans the others', () => {
    const lines = inNetSuite(before, { 1: [2] });
    const plan = planCancellations({ lines, desired: map(cancelled('us-discounts', [1, 2])) });
    expect(plan).toEqual({
      ok: true,
      changes: [
        { line: 3, isClosed: true },
        { line: 4, isClosed: true },
      ],
      refused: [{ sku: 'MUG-BLUE-12OZ', line: 1, cancelled: 1, unfulfilled: 0, fulfilled: 2 }],
    });
  });

  it('finds nothing to change once NetSuite shows the cancellations (a re-run)', () => {
    for (const [counts, cancel] of [
      [{ 3: [1] }, [1]],
      [{ 1: [1] }, [1]],
      [{ 1: [1, 1] }, [1]],
      [{ 3: [1], 4: [1] }, [0, 1]],
    ] as Array<[Record<number, [number, number?]>, number[]]>) {
      const lines = inNetSuite(before, counts);
      const desired = map(cancelled('us-discounts', cancel));
      const first = planCancellations({ lines, desired });
      if (!first.ok) throw new Error(first.why);
      expect(first.changes.length).toBeGreaterThan(0);
      expect(planCancellations({ lines: patched(lines, first.changes), desired })).toEqual({
        ok: true,
        changes: [],
        refused: [],
      });
    }
  });

  it('keeps units already cancelled at import (their own closed lines) out of the count', () => {
    const imported = map(cancelled('us-discounts', [1]));
    const lines = inNetSuite(imported, { 1: [1] });
    // Lines: 1-2 blue (active) + discount, 3-4 blue (cancelled, closed) + discount, 5-6 red, 7 receivable.
    const plan = planCancellations({ lines, desired: map(cancelled('us-discounts', [1, 2])) });
    expect(plan.ok && plan.changes).toEqual([
      { line: 5, isClosed: true },
      { line: 6, isClosed: true },
    ]);
  });

  it('does not take a sales order whose lines were changed by hand', () => {
    const lines = inNetSuite(before, { 3: [1] }).filter((l) => l.line !== 1 && l.line !== 2);
    const plan = planCancellations({ lines, desired: map(cancelled('us-discounts', [1])) });
    expect(plan).toEqual({ ok: false, why: 'it has no line for SKU "MUG-BLUE-12OZ"' });
    const more = inNetSuite(before, { 3: [1] }).map((l) => (l.line === 1 ? { ...l, quantity: 1 } : l));
    expect(planCancellations({ lines: more, desired: before })).toMatchObject({ ok: false });
  });
});

describe('prorata', () => {
  it('rounds half away from zero in minor units', () => {
    expect(prorata(-100n, 2, 3)).toBe(-67n);
    expect(prorata(100n, 1, 3)).toBe(33n);
    expect(prorata(-5n, 1, 2)).toBe(-3n);
    expect(prorata(-300n, 1, 2)).toBe(-150n);
  });
});
