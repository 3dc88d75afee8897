import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetSuiteClient } from './client.ts';
import type { RunningSandbox } from './sandbox/index.ts';
import { admin, startWithClient } from './test-support.ts';

let sb: RunningSandbox;
let ns: NetSuiteClient;

beforeAll(async () => {
  ({ sb, client: ns } = await startWithClient());
});
afterAll(() => sb.close());

describe('sandbox admin API', () => {
  it('simulates other-channel orders, warehouse shipping with tracking, and stock receipts', async () => {
    const order = await admin(sb, 'POST', '/orders', {
      external_id: 'SHOPIFY-1',
      lines: [{ sku: 'SKU-MUG-RED', quantity: 2 }],
    });
    expect(order).toMatchObject({ tran_id: expect.stringMatching(/^SO\d+$/) });
    await admin(sb, 'POST', '/fulfill', {
      sales_order: 'SHOPIFY-1',
      tracking_number: '1Z999',
      ship_method: 'SHIP-LOCAL-COURIER',
    });
    const rows = [];
    for await (const r of ns.suiteql.rows(
      "SELECT t.id, BUILTIN.DF(t.shipmethod) AS ship_method FROM transaction t WHERE t.type = 'ItemShip'",
    ))
      rows.push(r);
    expect(rows).toEqual([{ id: expect.any(String), ship_method: 'Local Courier' }]);
    const shipment = await ns.records.get('itemFulfillment', rows[0]!['id']!);
    expect(shipment.package?.items?.[0]?.packageTrackingNumber).toBe('1Z999');
    await admin(sb, 'POST', '/receive', { sku: 'SKU-MUG-RED', location: 'LOC-AUS', quantity: 20 });
    const inventory = await admin(sb, 'GET', '/inventory');
    expect(inventory).toMatchObject({
      items: expect.arrayContaining([
        expect.objectContaining({ sku: 'MUG-RED-12OZ', on_hand: 28, committed: 0, available: 28 }),
      ]),
    });
  });

  it('seeds, inspects, changes settings and resets', async () => {
    const seeded = await admin(sb, 'POST', '/seed', {
      items: [{ externalId: 'SKU-NEW', itemId: 'NEW-1', rate: 5 }],
      shipItems: [{ externalId: 'SHIP-NEW', itemId: 'Pallet Freight' }],
      stock: [{ item: 'NEW-1', location: 'LOC-RNO', quantity: 3 }],
    });
    expect(seeded).toMatchObject({ ids: { items: [expect.any(String)], shipItems: [expect.any(String)] } });
    expect(await ns.records.get('shipItem', { externalId: 'SHIP-NEW' })).toMatchObject({
      itemId: 'Pallet Freight',
    });
    expect(await ns.records.get('inventoryItem', { externalId: 'SKU-NEW' })).toMatchObject({
      quantityAvailable: 3,
      rate: '5',
    });
    expect(
      await admin(sb, 'PATCH', '/settings', { behaviour: { suiteqlStatusForm: 'prefixed' } }),
    ).toMatchObject({
      behaviour: { suiteqlStatusForm: 'prefixed' },
    });
    await admin(sb, 'POST', '/reset');
    expect(await ns.records.findByExternalId('inventoryItem', 'SKU-NEW')).toBeUndefined();
    expect(await admin(sb, 'GET', '/state')).toMatchObject({
      counts: { inventoryItem: 4, customer: 3, shipItem: 4 },
    });
  });
});
