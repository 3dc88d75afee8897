/**
 * What the fulfillment flow needs from NetSuite, over real HTTP with the real client: ship items
 * behind `shipMethod` (reference 7.1), `!transform` to itemFulfillment (4.9), the package sublist
 * patched (4.4, 7.4), DELETE (4.6) and the SuiteQL columns the poller reads (8.2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppError, isAppError } from '../../shared/errors.ts';
import type { NetSuiteClient } from './client.ts';
import { nsDecimal } from './json.ts';
import { PATHS } from './manifest.ts';
import type { RunningSandbox } from './sandbox/index.ts';
import { admin, type Credentials, signedFetch, startWithClient } from './test-support.ts';
import type { RecordOf } from './wire/records.ts';

let sb: RunningSandbox;
let ns: NetSuiteClient;
let creds: Credentials;

beforeAll(async () => {
  ({ sb, client: ns, creds } = await startWithClient());
});
afterAll(() => sb.close());

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (isAppError(err)) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

async function rows(q: string, params: string[] = []): Promise<Array<Record<string, string>>> {
  const out = [];
  for await (const r of ns.suiteql.rows(q, params)) out.push(r);
  return out;
}

/** The sandbox clock as SuiteQL's cursor text (`YYYY-MM-DD HH24:MI:SS`, UTC). */
async function sandboxNow(): Promise<string> {
  const { now } = (await admin(sb, 'GET', '/state')) as { now: string };
  return now.slice(0, 19).replace('T', ' ');
}

/** quantityFulfilled per order line (absent until a line was ever fulfilled: 0). */
function fulfilled(so: RecordOf<'salesOrder'>): number[] {
  return (so.item?.items ?? []).map((l) => l.quantityFulfilled ?? 0);
}

/** Moves the sandbox clock on so the next write gets a later second. */
const tick = () => admin(sb, 'POST', '/clock', { advance_ms: 1500 });

let orderSeq = 0;
/** A TikSuite-style sales order (externalId `tiktok-<shop>-<order>`): 3 blue mugs and 2 red. */
async function order(extra: Record<string, unknown> = {}): Promise<string> {
  orderSeq++;
  return ns.records.upsert('salesOrder', `tiktok-7000-${orderSeq}`, {
    entity: { externalId: 'CUST-DEMO' },
    location: { externalId: 'LOC-AUS' },
    item: {
      items: [
        { item: { externalId: 'SKU-MUG-BLUE' }, quantity: 3 },
        { item: { externalId: 'SKU-MUG-RED' }, quantity: 2 },
      ],
    },
    ...extra,
  });
}

describe('ship items behind shipMethod (reference 7.1)', () => {
  it('seeds ship items, checks shipMethod and renders its refName', async () => {
    const ups = await ns.records.get('shipItem', { externalId: 'SHIP-UPS-GROUND' });
    expect(ups).toMatchObject({ itemId: 'UPS Ground' });
    const names = [];
    for await (const id of ns.records.listIds('shipItem'))
      names.push((await ns.records.get('shipItem', id)).itemId);
    expect(names).toEqual(['UPS Ground', 'USPS Priority Mail', 'FedEx Home Delivery', 'Local Courier']);

    const soId = await order({ shipMethod: { id: ups.id } });
    expect((await ns.records.get('salesOrder', soId)).shipMethod).toMatchObject({
      id: ups.id,
      refName: 'UPS Ground',
    });
    const unknown = await failure(order({ shipMethod: { id: '99999' } }));
    expect(unknown).toMatchObject({ code: 'netsuite_validation', retryable: false });
    expect(unknown.details['paths']).toEqual(['shipMethod']);
    // A record of another type is no ship item.
    const customer = await ns.records.get('customer', { externalId: 'CUST-DEMO' });
    const wrongType = await failure(order({ shipMethod: { id: customer.id } }));
    expect(wrongType.details['paths']).toEqual(['shipMethod']);
  });

  it('exposes transaction.shipmethod in SuiteQL, named by BUILTIN.DF', async () => {
    const soId = await order({ shipMethod: { externalId: 'SHIP-USPS-PRIORITY' } });
    const [row] = await rows(
      'SELECT t.shipmethod, BUILTIN.DF(t.shipmethod) AS ship_method FROM transaction t WHERE t.id = ?',
      [soId],
    );
    const usps = await ns.records.get('shipItem', { externalId: 'SHIP-USPS-PRIORITY' });
    expect(row).toEqual({ shipmethod: usps.id, ship_method: 'USPS Priority Mail' });
  });

  it('adds ship items through the admin seed, names unique', async () => {
    const seeded = (await admin(sb, 'POST', '/seed', {
      shipItems: [{ externalId: 'SHIP-DHL', itemId: 'DHL eCommerce' }],
    })) as { ids: { shipItems: string[] } };
    const [id] = seeded.ids.shipItems;
    expect((await ns.records.get('shipItem', id!)).itemId).toBe('DHL eCommerce');
    const twin = await failure(ns.records.create('shipItem', { itemId: 'DHL eCommerce' }));
    expect(twin).toMatchObject({ code: 'netsuite_validation' });
    expect(twin.details['paths']).toEqual(['itemId']);
  });
});

describe('item fulfillments (reference 4.9, 7.4)', () => {
  it('transforms an order, returns the id from Location and reads lines, packages and ship method', async () => {
    const soId = await order({ shipMethod: { externalId: 'SHIP-UPS-GROUND' } });
    const ifId = await ns.records.transform('salesOrder', soId, 'itemFulfillment', {
      item: {
        items: [
          { orderLine: 1, quantity: 2 },
          { orderLine: 2, itemReceive: false },
        ],
      },
      package: { items: [{ packageTrackingNumber: '1Z0001', packageWeight: nsDecimal('1.2') }] },
    });
    const f = await ns.records.get('itemFulfillment', ifId);
    expect(f).toMatchObject({
      createdFrom: { id: soId },
      shipStatus: { id: 'C' },
      shipMethod: { refName: 'UPS Ground' },
    });
    expect(f.item?.items).toMatchObject([{ orderLine: 1, quantity: 2, item: { refName: 'MUG-BLUE-12OZ' } }]);
    expect(f.package?.items).toMatchObject([
      { line: 1, packageTrackingNumber: '1Z0001', packageWeight: '1.2' },
    ]);
    // The body may ship by another method than the order's.
    const other = await ns.records.transform('salesOrder', soId, 'itemFulfillment', {
      shipMethod: { externalId: 'SHIP-FEDEX-HOME' },
      item: {
        items: [
          { orderLine: 1, quantity: 1 },
          { orderLine: 2, itemReceive: false },
        ],
      },
    });
    expect((await ns.records.get('itemFulfillment', other)).shipMethod?.refName).toBe('FedEx Home Delivery');
    const so = await ns.records.get('salesOrder', soId);
    expect(so.status?.id).toBe('D');
    expect(fulfilled(so)).toEqual([3, 0]);
  });

  it('finds the new fulfillment by external id when the transform answers without Location (UNCONFIRMED)', async () => {
    const soId = await order();
    await admin(sb, 'PATCH', '/settings', { behaviour: { locationOnTransform: false } });
    try {
      const id = await ns.records.transform('salesOrder', soId, 'itemFulfillment', {
        externalId: 'tiktok-7000-pkg-NOLOC',
      });
      expect((await ns.records.get('itemFulfillment', id)).externalId).toBe('tiktok-7000-pkg-NOLOC');
      const noExternalId = await failure(ns.records.transform('salesOrder', soId, 'invoice'));
      expect(noExternalId.code).toBe('netsuite_unexpected_response');
    } finally {
      await admin(sb, 'PATCH', '/settings', { behaviour: { locationOnTransform: true } });
    }
  });

  it('reads the fulfillment columns the poller needs: type, createdfrom, ship status, void flags', async () => {
    const soId = await order();
    const ifId = await ns.records.transform('salesOrder', soId, 'itemFulfillment', {
      shipStatus: { id: 'B' },
    });
    const [row] = await rows(
      `SELECT t.id, t.type, t.recordtype, t.createdfrom, t.shipstatus, t.void, t.voided, so.externalid AS order_eid
       FROM transaction t JOIN transaction so ON so.id = t.createdfrom
       WHERE t.type = 'ItemShip' AND so.externalid LIKE 'tiktok-%' AND t.id = ?`,
      [ifId],
    );
    expect(row).toEqual({
      id: ifId,
      type: 'ItemShip',
      recordtype: 'itemfulfillment',
      createdfrom: soId,
      shipstatus: 'B',
      void: 'F',
      voided: 'F',
      order_eid: `tiktok-7000-${orderSeq}`,
    });
    const [so] = await rows('SELECT t.shipstatus, t.voided FROM transaction t WHERE t.id = ?', [soId]);
    expect(so).toEqual({ voided: 'F' });
  });
});

describe("a package's tracking number changed by PATCH (reference 4.4, 7.4)", () => {
  const trackingOf = async (id: string) =>
    (await ns.records.get('itemFulfillment', id)).package?.items?.map((p) => p.packageTrackingNumber);

  it('a tracking number corrected later in NetSuite: replace=package, lastModifiedDate and SuiteQL follow', async () => {
    const soId = await order();
    const ifId = await ns.records.transform('salesOrder', soId, 'itemFulfillment', {
      package: { items: [{ packageTrackingNumber: '1ZWRONG' }, { packageTrackingNumber: '1ZSECOND' }] },
    });
    const before = await ns.records.get('itemFulfillment', ifId);
    await tick();
    const cursor = await sandboxNow();
    await ns.records.update(
      'itemFulfillment',
      ifId,
      { package: { items: [{ packageTrackingNumber: '1ZRIGHT' }, { packageTrackingNumber: '1ZSECOND' }] } },
      { replace: ['package'] },
    );
    const after = await ns.records.get('itemFulfillment', ifId);
    expect(after.package?.items?.map((p) => p.packageTrackingNumber)).toEqual(['1ZRIGHT', '1ZSECOND']);
    expect(after.lastModifiedDate! > before.lastModifiedDate!).toBe(true);
    // Lines and quantities are untouched by a package edit.
    expect(after.item?.items).toEqual(before.item?.items);
    expect((await ns.records.get('salesOrder', soId)).status?.id).toBe('F');
    // The poller's query sees the change after its cursor, with the new list.
    const changed = await rows(
      `SELECT t.id, t.linkedtrackingnumberlist FROM transaction t
       WHERE t.type = 'ItemShip' AND t.lastmodifieddate > TO_TIMESTAMP(?, 'YYYY-MM-DD HH24:MI:SS')`,
      [cursor],
    );
    expect(changed).toEqual([{ id: ifId, linkedtrackingnumberlist: '1ZRIGHT 1ZSECOND' }]);
    const [soRow] = await rows('SELECT t.linkedtrackingnumberlist FROM transaction t WHERE t.id = ?', [soId]);
    expect(soRow).toEqual({ linkedtrackingnumberlist: '1ZRIGHT 1ZSECOND' });
  });

  it('TikSuite writes a TikTok-assigned number onto a fulfillment without packages; repeating converges', async () => {
    const soId = await order();
    const ifId = await ns.records.transform('salesOrder', soId, 'itemFulfillment', {});
    expect(await trackingOf(ifId)).toEqual([]);
    const write = () =>
      ns.records.update(
        'itemFulfillment',
        ifId,
        { package: { items: [{ packageTrackingNumber: 'TT-777' }] } },
        { replace: ['package'] },
      );
    await write();
    await write();
    expect(await trackingOf(ifId)).toEqual(['TT-777']);
    // Without replace the package sublist (not keyed) appends.
    await ns.records.update('itemFulfillment', ifId, {
      package: { items: [{ packageTrackingNumber: 'TT-778' }] },
    });
    expect(await trackingOf(ifId)).toEqual(['TT-777', 'TT-778']);
    // By external id too (eid:), as TikSuite addresses what it created.
    await ns.records.update('itemFulfillment', ifId, { externalId: 'tiktok-7000-pkg-9' });
    await ns.records.update(
      'itemFulfillment',
      { externalId: 'tiktok-7000-pkg-9' },
      { package: { items: [{ packageTrackingNumber: 'TT-779' }] } },
      { replace: ['package'] },
    );
    expect(await trackingOf(ifId)).toEqual(['TT-779']);
  });
});

describe('deleting a fulfillment (reference 4.6, 8.2 deletedrecord)', () => {
  it('gives the quantities back to the order and logs the delete in deletedrecord', async () => {
    const soId = await order();
    const stockBefore = await ns.records.get('inventoryItem', { externalId: 'SKU-MUG-BLUE' });
    const first = await ns.records.transform('salesOrder', soId, 'itemFulfillment', {
      item: {
        items: [
          { orderLine: 1, quantity: 1 },
          { orderLine: 2, itemReceive: false },
        ],
      },
    });
    const second = await ns.records.transform('salesOrder', soId, 'itemFulfillment', {});
    expect((await ns.records.get('salesOrder', soId)).status?.id).toBe('F');
    // An order with fulfillments cannot go (they depend on it).
    expect((await failure(ns.records.delete('salesOrder', soId))).code).toBe('netsuite_validation');
    await tick();
    const cursor = await sandboxNow();
    const deletedName = (await ns.records.get('itemFulfillment', second)).tranId;

    const res = await signedFetch(sb, creds, 'DELETE', `${PATHS.record}/itemFulfillment/${second}`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    const so = await ns.records.get('salesOrder', soId);
    expect(so.status?.id).toBe('D');
    expect(fulfilled(so)).toEqual([1, 0]);
    const stockAfter = await ns.records.get('inventoryItem', { externalId: 'SKU-MUG-BLUE' });
    expect(stockAfter.quantityOnHand).toBe(stockBefore.quantityOnHand! - 1);

    const deleted = await rows(
      `SELECT recordid, recordtypeid, scriptid, name, type, deletedby, context, iscustomrecord,
              iscustomtransaction, iscustomlist, TO_CHAR(deleteddate, 'YYYY-MM-DD HH24:MI:SS') AS deleted_at
       FROM deletedrecord WHERE deleteddate > TO_TIMESTAMP(?, 'YYYY-MM-DD HH24:MI:SS') ORDER BY deleteddate`,
      [cursor],
    );
    expect(deleted).toEqual([
      {
        recordid: second,
        recordtypeid: 'itemfulfillment',
        name: deletedName,
        type: 'itemfulfillment',
        context: 'RESTWEBSERVICES',
        iscustomrecord: 'F',
        iscustomtransaction: 'F',
        iscustomlist: 'F',
        deleted_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      },
    ]);
    expect(deleted[0]!['deleted_at']! >= cursor).toBe(true);
    // Gone from the record API and from transaction.
    expect((await failure(ns.records.get('itemFulfillment', second))).code).toBe('netsuite_record_not_found');
    expect(await rows('SELECT id FROM transaction WHERE id = ?', [second])).toEqual([]);

    // The client's delete; a second delete of the same record finds nothing.
    await ns.records.delete('itemFulfillment', first);
    expect((await failure(ns.records.delete('itemFulfillment', first))).code).toBe(
      'netsuite_record_not_found',
    );
    const back = await ns.records.get('salesOrder', soId);
    expect(back.status?.id).toBe('B');
    expect(fulfilled(back)).toEqual([0, 0]);
    expect((await ns.records.get('inventoryItem', { externalId: 'SKU-MUG-BLUE' })).quantityOnHand).toBe(
      stockBefore.quantityOnHand,
    );
    // With no fulfillment left the order itself can be deleted.
    await ns.records.delete('salesOrder', soId);
    const since = await rows(
      `SELECT recordid, type FROM deletedrecord WHERE deleteddate > TO_TIMESTAMP(?, 'YYYY-MM-DD HH24:MI:SS')`,
      [cursor],
    );
    expect(Object.fromEntries(since.map((r) => [r['recordid'], r['type']]))).toEqual({
      [second]: 'itemfulfillment',
      [first]: 'itemfulfillment',
      [soId]: 'salesorder',
    });
  });

  it("gives deletedrecord.type as the transaction code under deletedRecordType 'code' (UNCONFIRMED)", async () => {
    const soId = await order();
    const ifId = await ns.records.transform('salesOrder', soId, 'itemFulfillment', {});
    await ns.records.delete('itemFulfillment', ifId);
    await admin(sb, 'PATCH', '/settings', { behaviour: { deletedRecordType: 'code' } });
    try {
      const [row] = await rows('SELECT type, recordtypeid FROM deletedrecord WHERE recordid = ?', [ifId]);
      expect(row).toEqual({ type: 'ItemShip', recordtypeid: 'itemfulfillment' });
    } finally {
      await admin(sb, 'PATCH', '/settings', { behaviour: { deletedRecordType: 'recordtype' } });
    }
  });
});
