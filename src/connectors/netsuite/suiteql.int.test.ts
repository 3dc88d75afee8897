import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import { tbaAuthorizationHeader } from './auth-tba.ts';
import type { NetSuiteClient } from './client.ts';
import { accountRealm } from './manifest.ts';
import type { RunningSandbox } from './sandbox/index.ts';
import { admin, type Credentials, startWithClient } from './test-support.ts';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

let sb: RunningSandbox;
let ns: NetSuiteClient;
let creds: Credentials;

beforeAll(async () => {
  ({ sb, client: ns, creds } = await startWithClient());
});
afterAll(() => sb.close());

describe('SuiteQL endpoint', () => {
  it('pages through rows with the async iterator (lower-case keys, string values)', async () => {
    const rows = [];
    for await (const row of ns.suiteql.rows('SELECT id, itemid, itemtype FROM item ORDER BY id', [], {
      pageSize: 2,
    }))
      rows.push(row);
    expect(rows.map((r) => r['itemid'])).toEqual([
      'MUG-BLUE-12OZ',
      'MUG-RED-12OZ',
      'TEE-MAPLE',
      'MUG-UK-CLASSIC',
      'GIFT-WRAP',
      'MUG-SET',
    ]);
    expect(rows[0]).toMatchObject({ itemtype: 'InvtPart' });
    const page = await ns.suiteql.page('SELECT id FROM item ORDER BY id', [], { limit: 2, offset: 2 });
    expect(page).toMatchObject({ count: 2, hasMore: true, offset: 2, totalResults: 6 });
  });

  it('pages by key past the offset ceiling with keysetRows', async () => {
    const ids = [];
    for await (const r of ns.suiteql.keysetRows('SELECT id, itemid FROM item WHERE id > ? ORDER BY id', [], {
      pageSize: 4,
    })) {
      ids.push(r['itemid']);
    }
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it('reflects stock moves and sales orders, with bind parameters', async () => {
    await ns.records.upsert('salesOrder', 'TTS-Q-1', {
      entity: { externalId: 'CUST-DEMO' },
      location: { externalId: 'LOC-AUS' },
      item: { items: [{ item: { externalId: 'SKU-MUG-BLUE' }, quantity: 2 }] },
    });
    const [so] = await collect(
      ns.suiteql.rows(
        "SELECT t.id, t.tranid, t.status, t.foreigntotal FROM transaction t WHERE t.type = 'SalesOrd' AND t.externalid = ?",
        ['TTS-Q-1'],
      ),
    );
    expect(so).toMatchObject({ status: 'B', foreigntotal: '39.98' });
    const stock = await collect(
      ns.suiteql.rows(
        'SELECT i.itemid, iil.quantityavailable, iil.quantitycommitted FROM item i JOIN inventoryitemlocations iil ON iil.item = i.id WHERE i.itemid = ? ORDER BY iil.location',
        ['MUG-BLUE-12OZ'],
      ),
    );
    expect(stock[0]).toMatchObject({ quantityavailable: '43', quantitycommitted: '2' });
    const lines = await collect(
      ns.suiteql.rows(
        "SELECT ABS(tl.quantity) AS qty FROM transactionline tl WHERE tl.transaction = ? AND tl.mainline = 'F'",
        [so!['id']!],
      ),
    );
    expect(lines).toEqual([{ qty: '2' }]);
    // Raw dates follow the user's date format; TO_CHAR gives a stable form (reference 8.1).
    const [dates] = await collect(
      ns.suiteql.rows(
        "SELECT t.trandate, TO_CHAR(t.trandate, 'YYYY-MM-DD') AS iso FROM transaction t WHERE t.id = ?",
        [so!['id']!],
      ),
    );
    const [y, m, d] = dates!['iso']!.split('-').map(Number);
    expect(dates!['trandate']).toBe(`${m}/${d}/${y}`);
  });

  it('stamps lastquantityavailablechange so stock can be polled incrementally (reference 8.3)', async () => {
    await admin(sb, 'POST', '/clock', { advance_ms: 120_000 });
    const since = new Date(Date.now() + 60_000).toISOString().slice(0, 19).replace('T', ' ');
    await admin(sb, 'POST', '/receive', { sku: 'SKU-MUG-RED', location: 'LOC-RNO', quantity: 4 });
    const changed = await collect(
      ns.suiteql.rows(
        `SELECT i.itemid, BUILTIN.DF(iil.location) AS location_name, iil.quantityavailable,
                TO_CHAR(iil.lastquantityavailablechange, 'YYYY-MM-DD HH24:MI:SS') AS qty_changed
         FROM item i JOIN inventoryitemlocations iil ON iil.item = i.id
         WHERE i.itemtype IN ('InvtPart', 'Assembly')
           AND (i.lastmodifieddate > TO_TIMESTAMP(?, 'YYYY-MM-DD HH24:MI:SS')
             OR iil.lastquantityavailablechange > TO_TIMESTAMP(?, 'YYYY-MM-DD HH24:MI:SS'))
         ORDER BY i.id, iil.location`,
        [since, since],
      ),
    );
    expect(changed).toEqual([
      {
        itemid: 'MUG-RED-12OZ',
        location_name: 'Reno DC',
        quantityavailable: '9',
        qty_changed: expect.any(String),
      },
    ]);
    await admin(sb, 'POST', '/clock', { set: new Date().toISOString() });
  });

  it('requires Prefer: transient and reports unsupported SQL as a validation error', async () => {
    const url = `${sb.url}/services/rest/query/v1/suiteql?limit=5&offset=0`;
    const authorization = tbaAuthorizationHeader(
      'POST',
      url,
      {
        consumerKey: creds.consumer_key,
        consumerSecret: creds.consumer_secret,
        tokenId: creds.token_id,
        tokenSecret: creds.token_secret,
      },
      {
        realm: accountRealm(creds.account_id),
        nonce: 'NoPrefer123',
        timestamp: Math.floor(Date.now() / 1000),
      },
    );
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: '{"q":"SELECT id FROM item"}',
    });
    expect(res.status).toBe(400);
    const err = await ns.suiteql.page('SELECT nope FROM nowhere').catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('netsuite_validation');
    expect(await admin(sb, 'GET', '/stats')).toMatchObject({ rejected_429: 0 });
  });
});

describe('suiteqlPageSnapshotSeconds (a load-test setting)', () => {
  it('cuts the pages of one query from its first page result, and re-runs the query when off', async () => {
    const q = 'SELECT id, itemid FROM item ORDER BY id';
    const paged = async () =>
      (await collect(ns.suiteql.rows(q, [], { pageSize: 2 }))).map((r) => r['itemid']);
    const expected = await paged();
    await admin(sb, 'PATCH', '/settings', { behaviour: { suiteqlPageSnapshotSeconds: 60 } });
    try {
      expect(await paged()).toEqual(expected);
      // An item created after the first page is not in the later pages of the same walk...
      const first = await ns.suiteql.page(q, [], { limit: 2, offset: 0 });
      await ns.records.create('inventoryItem', { itemId: 'ZZ-SNAPSHOT', externalId: 'SKU-ZZ-SNAPSHOT' });
      const rest = await collect(
        (async function* () {
          for (let offset = 2; ; offset += 2) {
            const p = await ns.suiteql.page(q, [], { limit: 2, offset });
            yield* p.items;
            if (!p.hasMore) return;
          }
        })(),
      );
      expect([...first.items, ...rest].map((r) => r['itemid'])).toEqual(expected);
      // ...and a new walk (offset 0) sees it.
      expect(await paged()).toEqual([...expected, 'ZZ-SNAPSHOT']);
    } finally {
      await admin(sb, 'PATCH', '/settings', { behaviour: { suiteqlPageSnapshotSeconds: 0 } });
    }
    // Off (NetSuite's behaviour): every page runs the query again.
    await ns.records.create('inventoryItem', { itemId: 'ZZ-LIVE', externalId: 'SKU-ZZ-LIVE' });
    expect((await paged()).slice(-2)).toEqual(['ZZ-SNAPSHOT', 'ZZ-LIVE']);
  });
});
