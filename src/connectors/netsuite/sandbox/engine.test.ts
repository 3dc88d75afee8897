import { describe, expect, it } from 'vitest';
import { SandboxState } from './state.ts';
import { readJson } from './values.ts';

const body = (v: unknown) => readJson(JSON.stringify(v));

function setup() {
  const state = new SandboxState({});
  const e = state.engine;
  const id = (type: Parameters<typeof e.find>[0], eid: string) => e.find(type, `eid:${eid}`).id;
  const stock = (sku: string, loc: string) => {
    const s = e.store.stock.get(`${id('inventoryItem', sku)}@${id('location', loc)}`)!;
    return { onHand: s.onHand, committed: s.committed, available: s.onHand - s.committed };
  };
  return { state, e, id, stock };
}

describe('sandbox record engine', () => {
  it('computes totals in minor units and commits stock', () => {
    const { e, stock } = setup();
    const so = e.create(
      'salesOrder',
      body({
        externalId: 'TTS-1',
        entity: { externalId: 'CUST-DEMO' },
        location: { externalId: 'LOC-AUS' },
        shippingCost: 5.99,
        item: {
          items: [
            { item: { externalId: 'SKU-MUG-BLUE' }, quantity: 3, rate: 0.1 },
            { item: { externalId: 'SKU-WRAP' } },
          ],
        },
      }),
    );
    expect((so.body['subtotal'] as { text: string }).text).toBe('2.30');
    expect((so.body['total'] as { text: string }).text).toBe('8.29');
    expect((so.body['status'] as { id: string }).id).toBe('B');
    expect(stock('SKU-MUG-BLUE', 'LOC-AUS')).toEqual({ onHand: 45, committed: 3, available: 42 });
  });

  it('fulfils within the ordered quantity and moves stock', () => {
    const { e, stock } = setup();
    const so = e.create(
      'salesOrder',
      body({
        entity: { externalId: 'CUST-DEMO' },
        location: { externalId: 'LOC-AUS' },
        item: { items: [{ item: { externalId: 'SKU-MUG-BLUE' }, quantity: 4 }] },
      }),
    );
    expect(() =>
      e.transform(
        'salesOrder',
        so.id,
        'itemFulfillment',
        body({ item: { items: [{ orderLine: 1, quantity: 5 }] } }),
      ),
    ).toThrow(/remaining quantity \(4\)/);
    e.transform(
      'salesOrder',
      so.id,
      'itemFulfillment',
      body({ item: { items: [{ orderLine: 1, quantity: 3 }] } }),
    );
    expect(stock('SKU-MUG-BLUE', 'LOC-AUS')).toEqual({ onHand: 42, committed: 1, available: 41 });
    expect((e.find('salesOrder', so.id).body['status'] as { id: string }).id).toBe('D');
    const f2 = e.transform('salesOrder', so.id, 'itemFulfillment', body({}));
    expect(f2.lines['item']![0]!['quantity']).toBe(1);
    expect((e.find('salesOrder', so.id).body['status'] as { id: string }).id).toBe('F');
    expect(stock('SKU-MUG-BLUE', 'LOC-AUS')).toEqual({ onHand: 41, committed: 0, available: 41 });
    e.delete('itemFulfillment', f2.id);
    expect(stock('SKU-MUG-BLUE', 'LOC-AUS')).toEqual({ onHand: 42, committed: 1, available: 41 });
  });

  it('refuses subsidiary disagreement and unknown references', () => {
    const { e } = setup();
    expect(() =>
      e.create(
        'salesOrder',
        body({
          entity: { externalId: 'CUST-DEMO' },
          location: { externalId: 'LOC-TOR' },
          item: { items: [{ item: { externalId: 'SKU-MUG-BLUE' } }] },
        }),
      ),
    ).toThrow(/subsidiary/);
    expect(() => e.create('salesOrder', body({ entity: { id: '99999' }, item: { items: [] } }))).toThrow(
      /Invalid Field Value 99999/,
    );
  });

  it('keeps external ids unique per type and upserts', () => {
    const { e } = setup();
    const a = e.upsert('customer', 'C-1', body({ firstName: 'A', subsidiary: { externalId: 'SUB-US' } }));
    const b = e.upsert('customer', 'C-1', body({ lastName: 'B' }));
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.rec.id).toBe(a.rec.id);
    expect(b.rec.body['firstName']).toBe('A');
    expect(() =>
      e.create('customer', body({ externalId: 'C-1', subsidiary: { externalId: 'SUB-US' } })),
    ).toThrow(/same external ID/);
  });

  it('adjusts and receives stock, stamping availability changes', () => {
    const { e, stock, state } = setup();
    state.clock.advance(60_000);
    e.create(
      'inventoryAdjustment',
      body({
        account: { externalId: 'ACC-ADJ' },
        subsidiary: { externalId: 'SUB-US' },
        adjLocation: { externalId: 'LOC-RNO' },
        inventory: { items: [{ item: { externalId: 'SKU-MUG-RED' }, adjustQtyBy: 7 }] },
      }),
    );
    expect(stock('SKU-MUG-RED', 'LOC-RNO').onHand).toBe(12);
    expect(() =>
      e.create(
        'inventoryAdjustment',
        body({
          account: { externalId: 'ACC-ADJ' },
          subsidiary: { externalId: 'SUB-US' },
          adjLocation: { externalId: 'LOC-RNO' },
          inventory: { items: [{ item: { externalId: 'SKU-MUG-RED' }, adjustQtyBy: -13 }] },
        }),
      ),
    ).toThrow(/on hand/);
  });
});
