import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  NetSuiteClient,
  type RunningSandbox,
  startNetSuiteSandbox,
} from '../../connectors/netsuite/index.ts';
import { ItemResolver } from './items.ts';

let sb: RunningSandbox;
let client: NetSuiteClient;

beforeAll(async () => {
  sb = await startNetSuiteSandbox({ port: 0 });
  const c = (await (await fetch(`${sb.url}/_sandbox/credentials`)).json()) as Record<string, string>;
  client = new NetSuiteClient({
    accountId: c.account_id!,
    baseUrl: sb.url,
    auth: {
      type: 'tba',
      consumerKey: c.consumer_key!,
      consumerSecret: c.consumer_secret!,
      tokenId: c.token_id!,
      tokenSecret: c.token_secret!,
    },
  });
  const res = await fetch(`${sb.url}/_sandbox/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      items: ['HOODIE', 'CAP'].map((sku) => ({
        type: 'inventoryItem',
        externalId: sku,
        itemId: sku,
        rate: 10,
      })),
    }),
  });
  expect(res.ok).toBe(true);
});
afterAll(() => sb.close());

it('resolves SKUs with one lookup, and a cached SKU stays found while another job forgets it mid-lookup', async () => {
  const r = new ItemResolver(client);
  expect((await r.resolve(['HOODIE'])).get('HOODIE')).toMatchObject({ sku: 'HOODIE', inactive: false });
  // HOODIE is a cache hit, CAP goes to NetSuite; meanwhile an error retry elsewhere forgets HOODIE.
  // (This used to answer HOODIE: null, an unknown SKU, after a crash restart retried many orders.)
  const both = r.resolve(['HOODIE', 'CAP', 'NOPE']);
  r.forget(['HOODIE']);
  const got = await both;
  expect(got.get('HOODIE')?.sku).toBe('HOODIE');
  expect(got.get('CAP')?.sku).toBe('CAP');
  expect(got.get('NOPE')).toBeNull();
  // Concurrent callers share one lookup and both get the answer.
  r.forget(['CAP']);
  const [a, b] = await Promise.all([r.resolve(['CAP']), r.resolve(['CAP', 'HOODIE'])]);
  expect(a.get('CAP')?.sku).toBe('CAP');
  expect(b.get('CAP')?.sku).toBe('CAP');
});
