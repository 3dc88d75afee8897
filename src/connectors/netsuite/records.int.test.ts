import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import type { NetSuiteClient } from './client.ts';
import { nsDecimal } from './json.ts';
import type { RunningSandbox } from './sandbox/index.ts';
import { admin, startWithClient } from './test-support.ts';

let sb: RunningSandbox;
let ns: NetSuiteClient;

beforeAll(async () => {
  ({ sb, client: ns } = await startWithClient());
});
afterAll(() => sb.close());

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (isAppError(err)) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('record API against the sandbox (real HTTP, TBA)', () => {
  it('creates, reads, patches, upserts, lists and deletes a customer', async () => {
    const id = await ns.records.create('customer', {
      externalId: 'TTSBUYER-1',
      firstName: 'Jane',
      lastName: 'Buyer',
      email: 'jane@example.com',
      subsidiary: { externalId: 'SUB-US' },
    });
    const got = await ns.records.get('customer', id);
    expect(got).toMatchObject({ id, externalId: 'TTSBUYER-1', firstName: 'Jane', entityId: 'Jane Buyer' });
    expect(got.subsidiary?.refName).toBe('TikSuite US');
    await ns.records.update('customer', { externalId: 'TTSBUYER-1' }, { phone: '+15125550100' });
    expect((await ns.records.get('customer', id)).phone).toBe('+15125550100');
    const again = await ns.records.upsert('customer', 'TTSBUYER-1', { lastName: 'Seller' });
    expect(again).toBe(id);
    const page = await ns.records.list('customer', {
      q: 'email START_WITH "jane@" AND lastName IS Seller',
      limit: 10,
    });
    expect(page.items.map((i) => i.id)).toEqual([id]);
    await ns.records.delete('customer', id);
    expect((await failure(ns.records.get('customer', id))).code).toBe('netsuite_record_not_found');
  });

  it('upserts twice into one record and refuses a taken external id on POST', async () => {
    const body = { firstName: 'Up', subsidiary: { externalId: 'SUB-US' } };
    const a = await ns.records.upsert('customer', 'TTSBUYER-UP', body);
    const b = await ns.records.upsert('customer', 'TTSBUYER-UP', body);
    expect(b).toBe(a);
    const err = await failure(ns.records.create('customer', { ...body, externalId: 'TTSBUYER-UP' }));
    expect(err).toMatchObject({ code: 'netsuite_duplicate_external_id', retryable: false });
    const ids = [];
    for await (const id of ns.records.listIds('customer', { q: 'externalId IS TTSBUYER-UP' })) ids.push(id);
    expect(ids).toEqual([a]);
  });

  it('learns the id of an upsert without Location by reading it back (UNCONFIRMED header)', async () => {
    await admin(sb, 'PATCH', '/settings', { behaviour: { locationOnUpsert: false } });
    try {
      const id = await ns.records.upsert('inventoryItem', 'SKU-NOLOC', {
        itemId: 'NOLOC-1',
        rate: nsDecimal('1.00'),
      });
      expect((await ns.records.get('inventoryItem', id)).itemId).toBe('NOLOC-1');
    } finally {
      await admin(sb, 'PATCH', '/settings', { behaviour: { locationOnUpsert: true } });
    }
  });

  it('maps reference and subsidiary errors to typed non-retryable errors', async () => {
    const unknownItem = await failure(
      ns.records.create('salesOrder', {
        entity: { externalId: 'CUST-DEMO' },
        item: { items: [{ item: { id: '9999' }, quantity: 1 }] },
      }),
    );
    expect(unknownItem).toMatchObject({ code: 'netsuite_validation', retryable: false });
    expect(unknownItem.details['paths']).toEqual(['item.items[0].item']);
    const wrongSub = await failure(
      ns.records.upsert('salesOrder', 'TTS-WRONG-SUB', {
        entity: { externalId: 'CUST-DEMO' },
        location: { externalId: 'LOC-TOR' },
        item: { items: [{ item: { externalId: 'SKU-MUG-BLUE' }, quantity: 1 }] },
      }),
    );
    expect(wrongSub).toMatchObject({ code: 'netsuite_validation', retryable: false });
    expect(wrongSub.details['paths']).toEqual(['location']);
  });

  it('sells, fulfils within the order and moves inventory', async () => {
    const soId = await ns.records.upsert('salesOrder', 'TTS-576912345678', {
      entity: { externalId: 'CUST-DEMO' },
      otherRefNum: '576912345678',
      location: { externalId: 'LOC-AUS' },
      shippingCost: nsDecimal('5.99'),
      item: { items: [{ item: { externalId: 'SKU-MUG-RED' }, quantity: 4, rate: nsDecimal('12.50') }] },
    });
    const so = await ns.records.get('salesOrder', soId);
    expect(so).toMatchObject({ total: '55.99', subtotal: '50', status: { id: 'B' } });
    expect(so.item?.items?.[0]).toMatchObject({ line: 1, quantity: 4, amount: '50' });
    const over = await failure(
      ns.records.transform('salesOrder', soId, 'itemFulfillment', {
        externalId: 'IF-TTS-1',
        item: { items: [{ orderLine: 1, quantity: 5 }] },
      }),
    );
    expect(over).toMatchObject({ code: 'netsuite_validation', retryable: false });
    const ifId = await ns.records.transform('salesOrder', soId, 'itemFulfillment', {
      externalId: 'IF-TTS-1',
      item: { items: [{ orderLine: 1, quantity: 3 }] },
      package: { items: [{ packageTrackingNumber: 'TT123456789' }] },
    });
    const fulfilment = await ns.records.get('itemFulfillment', ifId);
    expect(fulfilment).toMatchObject({ createdFrom: { id: soId }, shipStatus: { id: 'C' } });
    expect((await ns.records.get('salesOrder', soId)).status?.id).toBe('D');
    const item = await ns.records.get('inventoryItem', { externalId: 'SKU-MUG-RED' });
    const austin = item.locations?.items?.find((l) => l.location?.refName === 'Austin DC');
    expect(austin).toMatchObject({ quantityOnHand: 7, quantityCommitted: 1, quantityAvailable: 6 });
    const invId = await ns.records.transform('salesOrder', soId, 'invoice', { externalId: 'INV-TTS-1' });
    const invoice = await ns.records.get('invoice', invId);
    expect({ total: invoice.total, status: invoice.status?.id, lines: invoice.item?.items?.length }).toEqual({
      total: '55.99',
      status: 'A',
      lines: 1,
    });
  });

  it('closes and reduces lines of a partly fulfilled sales order by line number (PATCH, no replace)', async () => {
    const soId = await ns.records.upsert('salesOrder', 'TTS-LINE-EDITS', {
      entity: { externalId: 'CUST-DEMO' },
      location: { externalId: 'LOC-AUS' },
      item: {
        items: [
          { item: { externalId: 'SKU-MUG-BLUE' }, quantity: 3, rate: nsDecimal('10.00') },
          { item: { externalId: 'SKU-MUG-RED' }, quantity: 2, rate: nsDecimal('12.50') },
        ],
      },
    });
    const committed = async (sku: string) => {
      const item = await ns.records.get('inventoryItem', { externalId: sku });
      return item.locations?.items?.find((l) => l.location?.refName === 'Austin DC')?.quantityCommitted;
    };
    const blueBefore = await committed('SKU-MUG-BLUE');
    const redBefore = await committed('SKU-MUG-RED');
    await ns.records.transform('salesOrder', soId, 'itemFulfillment', {
      item: {
        items: [
          { orderLine: 1, quantity: 1 },
          { orderLine: 2, itemReceive: false },
        ],
      },
    });
    const below = await failure(
      ns.records.update('salesOrder', soId, { item: { items: [{ line: 1, quantity: 0 }] } }),
    );
    expect(below).toMatchObject({ code: 'netsuite_validation', retryable: false });
    await ns.records.update('salesOrder', soId, {
      item: {
        items: [
          { line: 1, quantity: 2, amount: nsDecimal('20.00') },
          { line: 2, isClosed: true },
        ],
      },
    });
    const so = await ns.records.get('salesOrder', soId);
    const lines = so.item?.items?.map((l) => [l.line, l.quantity, l.amount, l.isClosed ?? false]);
    expect(lines).toEqual([
      [1, 2, '20', false],
      [2, 2, '25', true],
    ]);
    expect(so).toMatchObject({ status: { id: 'D' } });
    // The reduced line keeps one unit committed (2 ordered - 1 fulfilled); the closed one none.
    expect(await committed('SKU-MUG-BLUE')).toBe((blueBefore ?? 0) - 2);
    expect(await committed('SKU-MUG-RED')).toBe((redBefore ?? 0) - 2);
    // The last open unit shipped: every open line fulfilled, the order waits for billing.
    await ns.records.transform('salesOrder', soId, 'itemFulfillment', {});
    expect((await ns.records.get('salesOrder', soId)).status?.id).toBe('F');
  });

  it('receives and adjusts stock and reads governance limits', async () => {
    await admin(sb, 'POST', '/receive', { sku: 'SKU-MUG-BLUE', location: 'LOC-RNO', quantity: 6 });
    await ns.records.create('inventoryAdjustment', {
      externalId: 'ADJ-1',
      account: { externalId: 'ACC-ADJ' },
      subsidiary: { externalId: 'SUB-US' },
      adjLocation: { externalId: 'LOC-RNO' },
      inventory: {
        items: [
          { item: { externalId: 'SKU-MUG-BLUE' }, location: { externalId: 'LOC-RNO' }, adjustQtyBy: -1 },
        ],
      },
    });
    const item = await ns.records.get('inventoryItem', { externalId: 'SKU-MUG-BLUE' });
    expect(item.locations?.items?.find((l) => l.location?.refName === 'Reno DC')?.quantityOnHand).toBe(5);
    expect(await ns.governanceLimits()).toMatchObject({
      accountConcurrencyLimit: 15,
      integrationLimitType: 'accountLimit',
    });
  });
});
