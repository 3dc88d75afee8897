/**
 * Record shapes against the reference (section 7) over real HTTP: multi-select references,
 * read-only and server-rendered fields, typed body fields. Raw signed requests where the exact
 * wire form matters, the real client where TikSuite reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATHS } from './manifest.ts';
import { admin, signedFetch, startWithClient } from './test-support.ts';

let t: Awaited<ReturnType<typeof startWithClient>>;
beforeAll(async () => {
  t = await startWithClient();
});
afterAll(() => t.sb.close());

const rec = (path: string) => `${PATHS.record}${path}`;
const send = (method: string, path: string, body?: unknown) =>
  signedFetch(t.sb, t.creds, method, rec(path), body);

async function json(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  expect(text.length, `HTTP ${res.status} with an empty body`).toBeGreaterThan(0);
  return JSON.parse(text);
}

/** Creates a record and answers its internal id (the last segment of Location). */
async function create(type: string, body: unknown): Promise<string> {
  const res = await send('POST', `/${type}`, body);
  expect(res.status, await res.clone().text()).toBe(204);
  return res.headers.get('location')!.split('/').at(-1)!;
}

async function problem(res: Response) {
  expect(res.status).toBe(400);
  const body = await json(res);
  const details = body['o:errorDetails'];
  return Array.isArray(details) ? details[0] : undefined;
}

const subId = async (externalId: string) => (await t.client.records.get('subsidiary', { externalId })).id;

describe("an item's subsidiary is a multi-select (reference 7.3)", () => {
  it('accepts the collection form and renders it like a sublist: links, expanded items, sub-resource', async () => {
    const [us, ca] = [await subId('SUB-US'), await subId('SUB-CA')];
    const id = await create('inventoryItem', {
      itemId: 'MULTI-SUB-1',
      externalId: 'SKU-MULTI-SUB-1',
      subsidiary: { items: [{ id: us }, { externalId: 'SUB-CA' }] },
    });
    const self = `${t.sb.url}${rec(`/inventoryItem/${id}/subsidiary`)}`;
    const plain = await json(await send('GET', `/inventoryItem/${id}`));
    expect(plain['subsidiary']).toEqual({ links: [{ rel: 'self', href: self }] });
    const expanded = await json(await send('GET', `/inventoryItem/${id}?expandSubResources=true`));
    expect(expanded['subsidiary']).toMatchObject({
      links: [{ rel: 'self', href: self }],
      items: [
        { id: us, refName: 'TikSuite US' },
        { id: ca, refName: 'TikSuite Canada' },
      ],
      totalResults: 2,
      count: 2,
      hasMore: false,
    });
    const sub = await json(await send('GET', `/inventoryItem/${id}/subsidiary`));
    expect(sub['items']).toEqual(
      expanded['subsidiary'] && (expanded['subsidiary'] as { items: unknown })['items'],
    );
    // TikSuite's own reader (the wire schema behind the catalog flow) takes the collection.
    const read = await t.client.records.get('inventoryItem', id);
    expect(read.subsidiary).toMatchObject({ items: [{ id: us }, { id: ca }] });
  });

  it('replaces the collection on PATCH and clears it with { items: null }', async () => {
    const id = await create('inventoryItem', {
      itemId: 'MULTI-SUB-2',
      subsidiary: { items: [{ externalId: 'SUB-US' }] },
    });
    expect(
      (await send('PATCH', `/inventoryItem/${id}`, { subsidiary: { items: [{ externalId: 'SUB-UK' }] } }))
        .status,
    ).toBe(204);
    const got = await json(await send('GET', `/inventoryItem/${id}/subsidiary`));
    expect(got['items']).toMatchObject([{ id: await subId('SUB-UK') }]);
    expect((await send('PATCH', `/inventoryItem/${id}`, { subsidiary: { items: null } })).status).toBe(204);
    expect((await json(await send('GET', `/inventoryItem/${id}`)))['subsidiary']).toBeUndefined();
  });

  it('refuses a single reference with a clear error unless the sandbox setting allows it (UNCONFIRMED)', async () => {
    const body = { itemId: 'MULTI-SUB-3', subsidiary: { externalId: 'SUB-US' } };
    const refused = await problem(await send('POST', '/inventoryItem', body));
    expect(refused).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'subsidiary' });
    expect(refused?.detail).toMatch(/multi-select.*"items"/);
    const unknown = await problem(
      await send('POST', '/inventoryItem', {
        itemId: 'MULTI-SUB-3',
        subsidiary: { items: [{ id: '99999' }] },
      }),
    );
    expect(unknown).toMatchObject({ 'o:errorPath': 'subsidiary.items[0]' });
    expect(unknown?.detail).toMatch(/99999 for the following field: subsidiary/);
    await admin(t.sb, 'PATCH', '/settings', { behaviour: { singleRefInMultiSelect: true } });
    try {
      const id = await create('inventoryItem', body);
      const got = await json(await send('GET', `/inventoryItem/${id}/subsidiary`));
      expect(got['items']).toMatchObject([{ id: await subId('SUB-US') }]);
    } finally {
      await admin(t.sb, 'PATCH', '/settings', { behaviour: { singleRefInMultiSelect: false } });
    }
  });

  it('sells the item in any of its subsidiaries and refuses it in the others', async () => {
    await create('inventoryItem', {
      itemId: 'MULTI-SUB-4',
      externalId: 'SKU-MULTI-SUB-4',
      rate: 3,
      subsidiary: { items: [{ externalId: 'SUB-US' }, { externalId: 'SUB-CA' }] },
    });
    const line = { items: [{ item: { externalId: 'SKU-MULTI-SUB-4' }, quantity: 1 }] };
    await create('salesOrder', { entity: { externalId: 'CUST-CA' }, item: line });
    const refused = await problem(
      await send('POST', '/salesOrder', { entity: { externalId: 'CUST-UK' }, item: line }),
    );
    expect(refused).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'item.items[0].item' });
  });
});

describe('server-rendered item fields (reference 7.3)', () => {
  it('renders itemType as { id, refName } and every aggregate quantity; lines carry the same itemType', async () => {
    const item = await json(await send('GET', '/inventoryItem/eid:SKU-MUG-BLUE'));
    expect(item).toMatchObject({
      itemType: { id: 'InvtPart', refName: 'Inventory Item' },
      quantityOnHand: 45,
      quantityBackOrdered: 0,
      quantityOnOrder: 0,
    });
    const soId = await create('salesOrder', {
      entity: { externalId: 'CUST-DEMO' },
      item: { items: [{ item: { externalId: 'SKU-MUG-BLUE' }, quantity: 1 }] },
    });
    const lines = await json(await send('GET', `/salesOrder/${soId}/item`));
    expect(lines['items']).toMatchObject([{ itemType: { id: 'InvtPart', refName: 'Inventory Item' } }]);
  });

  it("checks an item's location reference", async () => {
    const bad = await problem(
      await send('POST', '/inventoryItem', { itemId: 'LOC-CHECK', location: { id: '99999' } }),
    );
    expect(bad).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'location' });
  });
});

describe('typed body fields of the other records (reference 7.1, 7.2, 7.4, 7.8)', () => {
  it('keeps the Refund Amount a client sends on a customer refund', async () => {
    const id = await create('customerRefund', {
      customer: { externalId: 'CUST-DEMO' },
      account: { externalId: 'ACC-BANK' },
      total: 12.5,
    });
    expect((await t.client.records.get('customerRefund', id)).total).toBe('12.5');
  });

  it('reads booleans and dates by their type and refuses malformed ones naming the field', async () => {
    const id = await create('salesOrder', {
      entity: { externalId: 'CUST-DEMO' },
      isTaxable: 'T',
      shipDate: '2026-03-15',
      item: { items: [{ item: { externalId: 'SKU-MUG-BLUE' }, quantity: 1 }] },
    });
    expect(await json(await send('GET', `/salesOrder/${id}`))).toMatchObject({
      isTaxable: true,
      shipDate: '2026-03-15',
    });
    const badDate = await problem(await send('PATCH', `/salesOrder/${id}`, { shipDate: '15/03/2026' }));
    expect(badDate).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'shipDate' });
    const custId = await create('customer', {
      firstName: 'Res',
      subsidiary: { externalId: 'SUB-US' },
      addressBook: { items: [{ label: 'Home', isResidential: 'F' }] },
    });
    const book = await json(await send('GET', `/customer/${custId}/addressBook`));
    expect(book['items']).toMatchObject([{ isResidential: false }]);
  });

  it('derives Adjust Qty By from an inventory adjustment line given only New Quantity (7.12)', async () => {
    const id = await create('inventoryAdjustment', {
      account: { externalId: 'ACC-ADJ' },
      subsidiary: { externalId: 'SUB-US' },
      adjLocation: { externalId: 'LOC-RNO' },
      inventory: { items: [{ item: { externalId: 'SKU-MUG-RED' }, newQuantity: 8 }] },
    });
    const lines = await json(await send('GET', `/inventoryAdjustment/${id}/inventory`));
    expect(lines['items']).toMatchObject([{ newQuantity: 8, adjustQtyBy: 3 }]);
    const item = await t.client.records.get('inventoryItem', { externalId: 'SKU-MUG-RED' });
    const reno = item.locations?.items?.find((l) => l.location?.refName === 'Reno DC');
    expect(reno?.quantityOnHand).toBe(8);
  });

  it("names a customer's creation date dateCreated", async () => {
    const customer = await json(await send('GET', '/customer/eid:CUST-DEMO'));
    expect(customer['dateCreated']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(customer['createdDate']).toBeUndefined();
  });
});
