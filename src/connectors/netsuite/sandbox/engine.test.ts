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

describe('PATCH semantics (reference 4.4)', () => {
  const so = () =>
    body({
      entity: { externalId: 'CUST-DEMO' },
      location: { externalId: 'LOC-AUS' },
      item: {
        items: [
          { item: { externalId: 'SKU-MUG-BLUE' }, quantity: 2 },
          { item: { externalId: 'SKU-MUG-RED' }, quantity: 1 },
        ],
      },
    });
  const qtys = (e: ReturnType<typeof setup>['e'], id: string) =>
    e.find('salesOrder', id).lines['item']!.map((l) => [l['line'], l['quantity']]);

  it('updates item lines by line key, appends new ones, and replaces with ?replace=item', () => {
    const { e, stock } = setup();
    const rec = e.create('salesOrder', so());
    e.update(
      'salesOrder',
      rec.id,
      body({ memo: 'x', item: { items: [{ line: 2, quantity: 3 }, { item: { externalId: 'SKU-WRAP' } }] } }),
    );
    expect(qtys(e, rec.id)).toEqual([
      [1, 2],
      [2, 3],
      [3, 1],
    ]);
    expect(e.find('salesOrder', rec.id).body['memo']).toBe('x');
    e.update('salesOrder', rec.id, body({ item: { items: [{ line: 1, quantity: 5 }] } }), new Set(['item']));
    expect(qtys(e, rec.id)).toEqual([[1, 5]]);
    expect(stock('SKU-MUG-BLUE', 'LOC-AUS').committed).toBe(5);
    expect(stock('SKU-MUG-RED', 'LOC-AUS').committed).toBe(0);
  });

  it('re-prices a line whose quantity changes without an amount; a given amount is kept', () => {
    const { e } = setup();
    const rec = e.create(
      'salesOrder',
      body({
        entity: { externalId: 'CUST-DEMO' },
        location: { externalId: 'LOC-AUS' },
        item: { items: [{ item: { externalId: 'SKU-MUG-BLUE' }, quantity: 3, rate: 12.5 }] },
      }),
    );
    const amount = () => (e.find('salesOrder', rec.id).lines['item']![0]!['amount'] as { text: string }).text;
    expect(amount()).toBe('37.50');
    e.update('salesOrder', rec.id, body({ item: { items: [{ line: 1, quantity: 2 }] } }));
    expect(amount()).toBe('25.00');
    e.update('salesOrder', rec.id, body({ item: { items: [{ line: 1, quantity: 1, amount: 11.99 }] } }));
    expect(amount()).toBe('11.99');
    expect((e.find('salesOrder', rec.id).body['total'] as { text: string }).text).toBe('11.99');
  });

  it('refuses to drop a line below what was fulfilled', () => {
    const { e } = setup();
    const rec = e.create('salesOrder', so());
    e.transform(
      'salesOrder',
      rec.id,
      'itemFulfillment',
      body({ item: { items: [{ orderLine: 1, quantity: 2 }] } }),
    );
    expect(() =>
      e.update('salesOrder', rec.id, body({ item: { items: [{ line: 1, quantity: 1 }] } })),
    ).toThrow(/fulfilled/);
  });

  it('returns: authorisation from a fulfilled order, receipt restocks, credit memo', () => {
    const { e, stock } = setup();
    const rec = e.create('salesOrder', so());
    e.transform('salesOrder', rec.id, 'itemFulfillment', body({}));
    const before = stock('SKU-MUG-BLUE', 'LOC-AUS').onHand;
    const ra = e.transform(
      'salesOrder',
      rec.id,
      'returnAuthorization',
      body({ item: { items: [{ orderLine: 2, itemReceive: false }] } }),
    );
    expect(ra.lines['item']).toHaveLength(1);
    e.transform('returnAuthorization', ra.id, 'itemReceipt', body({}));
    expect(stock('SKU-MUG-BLUE', 'LOC-AUS').onHand).toBe(before + 2);
    const cm = e.transform('returnAuthorization', ra.id, 'creditMemo', body({}));
    expect((cm.body['total'] as { text: string }).text).toBe('39.98');
    expect((e.find('returnAuthorization', ra.id).body['status'] as { id: string }).id).toBe('G');
  });

  it('applies a customer payment to an invoice', () => {
    const { e } = setup();
    const rec = e.create('salesOrder', so());
    const inv = e.transform('salesOrder', rec.id, 'invoice', body({}));
    const pay = e.transform('invoice', inv.id, 'customerPayment', body({ payment: 10 }));
    expect((e.find('invoice', inv.id).body['amountRemaining'] as { text: string }).text).toBe('42.48');
    e.delete('customerPayment', pay.id);
    expect((e.find('invoice', inv.id).body['amountRemaining'] as { text: string }).text).toBe('52.48');
  });
});

describe('commitments (reference 7.3)', () => {
  const soFor = (qty: number) =>
    body({
      entity: { externalId: 'CUST-DEMO' },
      location: { externalId: 'LOC-AUS' },
      item: { items: [{ item: { externalId: 'SKU-MUG-BLUE' }, quantity: qty }] },
    });
  const line = (e: ReturnType<typeof setup>['e'], id: string) => {
    const l = e.find('salesOrder', id).lines['item']![0]!;
    return [l['quantityCommitted'], l['quantityBackOrdered']];
  };

  it('allocates on hand first come first served, backorders the rest, and reallocates as stock moves', () => {
    const { e, stock, state } = setup();
    const a = e.create('salesOrder', soFor(40));
    const b = e.create('salesOrder', soFor(10));
    const c = e.create('salesOrder', soFor(3));
    expect([line(e, a.id), line(e, b.id), line(e, c.id)]).toEqual([
      [40, 0],
      [5, 5],
      [0, 3],
    ]);
    expect(stock('SKU-MUG-BLUE', 'LOC-AUS')).toEqual({ onHand: 45, committed: 45, available: 0 });
    const t0 = e.store.stock.get(
      `${e.find('inventoryItem', 'eid:SKU-MUG-BLUE').id}@${e.find('location', 'eid:LOC-AUS').id}`,
    )!.lastAvailableChangeMs;
    state.clock.advance(1000);
    e.create(
      'inventoryAdjustment',
      body({
        account: { externalId: 'ACC-ADJ' },
        subsidiary: { externalId: 'SUB-US' },
        adjLocation: { externalId: 'LOC-AUS' },
        inventory: { items: [{ item: { externalId: 'SKU-MUG-BLUE' }, adjustQtyBy: 6 }] },
      }),
    );
    expect([line(e, b.id), line(e, c.id)]).toEqual([
      [10, 0],
      [1, 2],
    ]);
    e.update('salesOrder', a.id, body({ item: { items: [{ line: 1, isClosed: true }] } }));
    expect((e.find('salesOrder', a.id).body['status'] as { id: string }).id).toBe('H');
    expect([line(e, c.id)]).toEqual([[3, 0]]);
    const s = e.store.stock.get(
      `${e.find('inventoryItem', 'eid:SKU-MUG-BLUE').id}@${e.find('location', 'eid:LOC-AUS').id}`,
    )!;
    expect({ onHand: s.onHand, committed: s.committed }).toEqual({ onHand: 51, committed: 13 });
    expect(s.lastAvailableChangeMs).toBeGreaterThan(t0);
  });
});

describe('settlement records (reference 7.8-7.11)', () => {
  it('balances journal entries and totals deposits in minor units', () => {
    const { e } = setup();
    const je = () =>
      body({
        subsidiary: { externalId: 'SUB-US' },
        memo: 'TikTok fees',
        line: {
          items: [
            { account: { externalId: 'ACC-FEES' }, debit: 12.4, entity: { externalId: 'CUST-DEMO' } },
            { account: { externalId: 'ACC-BANK' }, credit: 12.4 },
          ],
        },
      });
    expect((e.create('journalEntry', je()).body['status'] as { id: string }).id).toBe('B');
    expect(() =>
      e.create(
        'journalEntry',
        body({
          subsidiary: { externalId: 'SUB-US' },
          line: {
            items: [
              { account: { externalId: 'ACC-FEES' }, debit: 1 },
              { account: { externalId: 'ACC-BANK' }, credit: 0.99 },
            ],
          },
        }),
      ),
    ).toThrow(/debit/);
    const dep = e.create(
      'deposit',
      body({
        account: { externalId: 'ACC-BANK' },
        payment: {
          items: [
            { id: '1', deposit: true, paymentAmount: 45.97 },
            { id: '2', deposit: false, paymentAmount: 5 },
          ],
        },
        other: { items: [{ account: { externalId: 'ACC-UNDEP' }, amount: 0.03 }] },
        cashback: { items: [{ account: { externalId: 'ACC-FEES' }, amount: 6.1 }] },
      }),
    );
    expect((dep.body['total'] as { text: string }).text).toBe('39.90');
    expect(() => e.create('deposit', body({ account: { id: '99999' } }))).toThrow(
      /Invalid Field Value 99999/,
    );
  });

  it('creates a customer refund and a standalone customer payment applied to an invoice', () => {
    const { e } = setup();
    const so = e.create(
      'salesOrder',
      body({
        entity: { externalId: 'CUST-DEMO' },
        item: { items: [{ item: { externalId: 'SKU-WRAP' }, quantity: 5 }] },
      }),
    );
    const inv = e.transform('salesOrder', so.id, 'invoice', body({}));
    e.create(
      'customerPayment',
      body({
        customer: { externalId: 'CUST-DEMO' },
        payment: 10,
        apply: { items: [{ doc: { id: inv.id }, apply: true, amount: 10 }] },
      }),
    );
    expect((e.find('invoice', inv.id).body['status'] as { id: string }).id).toBe('B');
    expect(() =>
      e.create(
        'customerPayment',
        body({
          customer: { externalId: 'CUST-CA' },
          payment: 1,
          apply: { items: [{ doc: { id: inv.id }, apply: true, amount: 1 }] },
        }),
      ),
    ).toThrow(/another customer/);
    const refund = e.create(
      'customerRefund',
      body({ customer: { externalId: 'CUST-DEMO' }, account: { externalId: 'ACC-BANK' }, total: 3 }),
    );
    expect(refund.body['tranId']).toBe('CRF1');
  });
});
