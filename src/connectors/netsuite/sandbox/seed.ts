/**
 * Seeding: the default demo account (three subsidiaries, locations, accounts, items with stock,
 * customers, ship items) and the admin seed format. Records are created through the engine from wire-form
 * JSON, so seeds obey the same rules as client writes.
 */
import { z } from 'zod';
import type { RecordEngine } from './engine.ts';
import { readJson } from './values.ts';

const Named = z.object({ externalId: z.string().optional() }).loose();

export const SeedInput = z
  .object({
    currencies: z.array(Named).default([]),
    subsidiaries: z.array(Named).default([]),
    locations: z.array(Named).default([]),
    accounts: z.array(Named).default([]),
    items: z
      .array(
        Named.extend({
          type: z.enum(['inventoryItem', 'nonInventorySaleItem', 'kitItem']).default('inventoryItem'),
        }),
      )
      .default([]),
    customers: z.array(Named).default([]),
    /** Ship items (what a transaction's `shipMethod` points at): `{ itemId: "UPS Ground", externalId? }`. */
    shipItems: z.array(Named).default([]),
    /** On-hand quantities: item and location by internal id, externalId or itemId/name. */
    stock: z
      .array(z.object({ item: z.string(), location: z.string(), quantity: z.number().int().min(0) }))
      .default([]),
  })
  .strict();
export type SeedInput = z.input<typeof SeedInput>;

export interface SeedResult {
  ids: Record<string, string[]>;
}

/** Body objects travel through JSON text so numbers become exact literals, like a request. */
function wire(value: unknown): unknown {
  return readJson(JSON.stringify(value));
}

export function applySeed(engine: RecordEngine, raw: SeedInput, nowMs: number): SeedResult {
  const seed = SeedInput.parse(raw);
  const ids: Record<string, string[]> = {};
  const make = (
    type: Parameters<RecordEngine['create']>[0],
    list: Array<Record<string, unknown>>,
    key: string,
  ) => {
    ids[key] = list.map((body) => engine.create(type, wire(body)).id);
  };
  make('currency', seed.currencies, 'currencies');
  make('subsidiary', seed.subsidiaries, 'subsidiaries');
  make('location', seed.locations, 'locations');
  make('account', seed.accounts, 'accounts');
  ids['items'] = seed.items.map(({ type, ...body }) => engine.create(type, wire(body)).id);
  make('customer', seed.customers, 'customers');
  // Last, so the ids of everything above stay what they were before ship items existed.
  make('shipItem', seed.shipItems, 'shipItems');
  for (const s of seed.stock) {
    const item = findByName(engine, s.item, ['inventoryItem']);
    const location = findByName(engine, s.location, ['location']);
    const level = engine.store.stockAt(item, location, nowMs);
    level.onHand = s.quantity;
    level.lastAvailableChangeMs = nowMs;
  }
  return { ids };
}

function findByName(engine: RecordEngine, key: string, types: Array<'inventoryItem' | 'location'>): string {
  const direct = engine.store.get(key);
  if (direct && (types as readonly string[]).includes(direct.type)) return direct.id;
  for (const t of types) {
    const indexed =
      engine.store.byExternalId(t, key) ?? (t === 'location' ? undefined : engine.store.itemByName(key));
    if (indexed?.type === t) return indexed.id;
  }
  for (const t of types) {
    for (const rec of engine.store.ofType(t)) {
      if (rec.externalId === key || rec.body['itemId'] === key || rec.body['name'] === key) return rec.id;
    }
  }
  throw new Error(`seed: no ${types.join('/')} named ${key}`);
}

/** The default account every sandbox starts with. */
export const DEFAULT_SEED: SeedInput = {
  currencies: [
    { externalId: 'USD', name: 'US Dollar', symbol: 'USD' },
    { externalId: 'CAD', name: 'Canadian Dollar', symbol: 'CAD' },
    { externalId: 'GBP', name: 'British Pound', symbol: 'GBP' },
  ],
  subsidiaries: [
    { externalId: 'SUB-US', name: 'TikSuite US', currency: { externalId: 'USD' } },
    { externalId: 'SUB-CA', name: 'TikSuite Canada', currency: { externalId: 'CAD' } },
    { externalId: 'SUB-UK', name: 'TikSuite UK', currency: { externalId: 'GBP' } },
  ],
  locations: [
    { externalId: 'LOC-AUS', name: 'Austin DC', subsidiary: { externalId: 'SUB-US' } },
    { externalId: 'LOC-RNO', name: 'Reno DC', subsidiary: { externalId: 'SUB-US' } },
    { externalId: 'LOC-TOR', name: 'Toronto DC', subsidiary: { externalId: 'SUB-CA' } },
    { externalId: 'LOC-LON', name: 'London DC', subsidiary: { externalId: 'SUB-UK' } },
  ],
  accounts: [
    { externalId: 'ACC-UNDEP', acctName: 'Undeposited Funds', acctNumber: '1200', acctType: 'OthCurrAsset' },
    { externalId: 'ACC-BANK', acctName: 'Checking', acctNumber: '1000', acctType: 'Bank' },
    { externalId: 'ACC-ADJ', acctName: 'Inventory Adjustments', acctNumber: '5100', acctType: 'COGS' },
    { externalId: 'ACC-FEES', acctName: 'Marketplace Fees', acctNumber: '6100', acctType: 'Expense' },
  ],
  items: [
    {
      externalId: 'SKU-MUG-BLUE',
      itemId: 'MUG-BLUE-12OZ',
      displayName: 'Blue mug 12oz',
      upcCode: '012345678905',
      rate: 19.99,
      subsidiary: { items: [{ externalId: 'SUB-US' }] },
    },
    {
      externalId: 'SKU-MUG-RED',
      itemId: 'MUG-RED-12OZ',
      displayName: 'Red mug 12oz',
      upcCode: '012345678912',
      rate: 12.5,
      subsidiary: { items: [{ externalId: 'SUB-US' }] },
    },
    {
      externalId: 'SKU-TEE-CA',
      itemId: 'TEE-MAPLE',
      displayName: 'Maple tee',
      rate: 25,
      subsidiary: { items: [{ externalId: 'SUB-CA' }] },
    },
    {
      externalId: 'SKU-MUG-UK',
      itemId: 'MUG-UK-CLASSIC',
      displayName: 'Classic mug (UK)',
      rate: 9.5,
      subsidiary: { items: [{ externalId: 'SUB-UK' }] },
    },
    {
      type: 'nonInventorySaleItem',
      externalId: 'SKU-WRAP',
      itemId: 'GIFT-WRAP',
      displayName: 'Gift wrap',
      rate: 2,
    },
    { type: 'kitItem', externalId: 'SKU-MUG-SET', itemId: 'MUG-SET', displayName: 'Mug set', rate: 29.99 },
  ],
  customers: [
    {
      externalId: 'CUST-DEMO',
      isPerson: true,
      firstName: 'Jane',
      lastName: 'Buyer',
      email: 'jane@example.com',
      subsidiary: { externalId: 'SUB-US' },
    },
    {
      externalId: 'CUST-CA',
      companyName: 'Maple Retail',
      email: 'ops@maple.example',
      subsidiary: { externalId: 'SUB-CA' },
    },
    {
      externalId: 'CUST-UK',
      isPerson: true,
      firstName: 'Tom',
      lastName: 'Buyer',
      email: 'tom@example.co.uk',
      subsidiary: { externalId: 'SUB-UK' },
    },
  ],
  shipItems: [
    { externalId: 'SHIP-UPS-GROUND', itemId: 'UPS Ground' },
    { externalId: 'SHIP-USPS-PRIORITY', itemId: 'USPS Priority Mail' },
    { externalId: 'SHIP-FEDEX-HOME', itemId: 'FedEx Home Delivery' },
    { externalId: 'SHIP-LOCAL-COURIER', itemId: 'Local Courier' },
  ],
  stock: [
    { item: 'MUG-BLUE-12OZ', location: 'Austin DC', quantity: 45 },
    { item: 'MUG-RED-12OZ', location: 'Austin DC', quantity: 10 },
    { item: 'MUG-RED-12OZ', location: 'Reno DC', quantity: 5 },
    { item: 'TEE-MAPLE', location: 'Toronto DC', quantity: 30 },
    { item: 'MUG-UK-CLASSIC', location: 'London DC', quantity: 60 },
  ],
};
