/**
 * The golden sales orders against the NetSuite sandbox over real HTTP: every body (and per-buyer
 * customer) is accepted by an upsert, NetSuite's computed total equals the mapping's orderTotal,
 * and a repeated upsert leaves the same order. Item and customer references are re-pointed at
 * records of the sandbox's default account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InProcessGovernor,
  NetSuiteClient,
  type RunningSandbox,
  startNetSuiteSandbox,
} from '../connectors/netsuite/index.ts';
import { parseMoney } from '../shared/money.ts';
import { GOLDEN, loadWireOrder, mergePatch, settingsFor } from './golden/cases.ts';
import { compileOrderMapping } from './orders.ts';

let sb: RunningSandbox;
let ns: NetSuiteClient;
const itemIds = new Map<string, string>();
/** The golden settings' ship method (4512, the reference's example) is a real ship item here. */
let shipItemId = '';

/** Items the settings name by externalId, created without a subsidiary (valid in all). */
const NAMED_ITEMS = [
  'DISC-SELLER',
  'TIKTOK-RECEIVABLE',
  'TAX-FACILITATOR',
  'SHIPPING',
  'DISC-SAMPLES',
  'DISC-REPLACEMENTS',
];

beforeAll(async () => {
  sb = await startNetSuiteSandbox();
  const creds = sb.credentials();
  ns = new NetSuiteClient({
    accountId: creds.account_id,
    baseUrl: sb.url,
    auth: {
      type: 'tba',
      consumerKey: creds.consumer_key,
      consumerSecret: creds.consumer_secret,
      tokenId: creds.token_id,
      tokenSecret: creds.token_secret,
    },
    governor: new InProcessGovernor({ allocation: 5, throttlePauseMs: 20 }),
    // Bounds a hung call only: a loaded machine can take seconds to answer (retries would skew counts).
    timeoutMs: 60_000,
  });
  for (const externalId of [...NAMED_ITEMS, 'UK-MUG-ANY']) {
    await ns.records.create('nonInventorySaleItem', {
      externalId,
      itemId: externalId,
      displayName: externalId,
    });
  }
  await ns.records.create('customer', {
    externalId: 'TIKTOK-US-CUSTOMER',
    companyName: 'TikTok Shop US',
    subsidiary: { externalId: 'SUB-US' },
  });
  await ns.records.create('customer', {
    externalId: 'TIKTOK-UK-CUSTOMER',
    companyName: 'TikTok Shop UK',
    subsidiary: { externalId: 'SUB-UK' },
  });
  const skus = [
    ['MUG-BLUE-12OZ', 'inventoryItem', 'SKU-MUG-BLUE'],
    ['MUG-RED-12OZ', 'inventoryItem', 'SKU-MUG-RED'],
    ['red_xl', 'inventoryItem', 'SKU-MUG-RED'],
    ['GIFT-WRAP', 'nonInventorySaleItem', 'SKU-WRAP'],
    ['MUG-UK-CLASSIC', 'nonInventorySaleItem', 'UK-MUG-ANY'],
  ] as const;
  for (const [sku, type, externalId] of skus)
    itemIds.set(sku, (await ns.records.get(type, { externalId })).id);
  shipItemId = (await ns.records.get('shipItem', { externalId: 'SHIP-UPS-GROUND' })).id;
});

afterAll(async () => {
  await sb?.close();
});

function minor(amount: string | undefined, currency: string): bigint {
  return parseMoney(amount, currency, 'total').minor;
}

const GOOD = GOLDEN.cases.filter((c) => !c.name.startsWith('error-'));

describe('golden sales orders in the NetSuite sandbox', () => {
  it.each(GOOD.map((c) => [c.name, c] as const))('%s is accepted and totals as mapped', async (_name, c) => {
    const base = settingsFor(c) as { shipping?: { method?: unknown } };
    const settings = mergePatch(base, {
      items: { overrides: { 'GIFT-WRAP': itemIds.get('GIFT-WRAP') } },
      currency: { ids: { USD: { externalId: 'USD' }, GBP: { externalId: 'GBP' } } },
      ...(typeof base.shipping?.method === 'string' ? { shipping: { method: shipItemId } } : {}),
    });
    const mapping = compileOrderMapping(settings);
    const order = mapping.fromTikTok(loadWireOrder(c.order), GOLDEN.shops[c.shop]!);
    const result = mapping.toSalesOrder(order, {
      itemBySku: (sku) => {
        const id = itemIds.get(sku);
        return id ? { id } : undefined;
      },
      exchangeRate: (from, to) => GOLDEN.lookups.exchangeRates[`${from}>${to}`],
    });
    if (result.customer)
      await ns.records.upsert('customer', result.customer.externalId, result.customer.body);
    for (let i = 0; i < 2; i++) await ns.records.upsert('salesOrder', result.externalId, result.salesOrder);
    const so = await ns.records.get('salesOrder', { externalId: result.externalId });
    expect(so.item?.items).toHaveLength(result.salesOrder.item?.items.length ?? -1);
    expect(minor(so.total, order.currency)).toBe(minor(result.amounts.orderTotal.amount, order.currency));
  });
});
