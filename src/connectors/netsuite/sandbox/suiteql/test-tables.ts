/** Small in-memory tables shared by the engine's unit tests (imported only by *.test.ts). */
import {
  executeSuiteQL,
  type SuiteQLOptions,
  type SuiteQLResult,
  type SuiteQLRow,
  type SuiteQLTables,
} from './index.ts';

export const ITEMS: SuiteQLRow[] = [
  {
    id: 1,
    itemid: 'MUG-BLUE',
    displayname: 'Blue mug',
    itemtype: 'InvtPart',
    isinactive: false,
    upccode: '0012',
    lastmodifieddate: '2026-03-14T10:00:00.000Z',
  },
  {
    id: 2,
    itemid: 'MUG-RED',
    displayname: 'Red mug',
    itemtype: 'InvtPart',
    isinactive: true,
    upccode: null,
    lastmodifieddate: '2026-03-13T08:30:00.000Z',
  },
  {
    id: 3,
    itemid: 'TEE_S',
    displayname: "Kid's tee",
    itemtype: 'Assembly',
    isinactive: false,
    upccode: '12',
    lastmodifieddate: '2026-03-15T23:59:59.000Z',
  },
  {
    id: 10,
    itemid: 'GIFT-KIT',
    displayname: null,
    itemtype: 'Kit',
    isinactive: false,
    upccode: null,
    lastmodifieddate: '2026-03-01T00:00:00.000Z',
  },
];

export const LOCATIONS: SuiteQLRow[] = [
  { id: 1, name: 'Main warehouse', subsidiary: 1 },
  { id: 2, name: 'Overflow', subsidiary: 1 },
];

export const STOCK: SuiteQLRow[] = [
  {
    item: 1,
    location: 1,
    quantityavailable: 5,
    quantityonhand: 7,
    quantitycommitted: 2,
    lastquantityavailablechange: '2026-03-14T12:00:00.000Z',
  },
  {
    item: 1,
    location: 2,
    quantityavailable: 0,
    quantityonhand: 0,
    quantitycommitted: 0,
    lastquantityavailablechange: '2026-03-10T00:00:00.000Z',
  },
  {
    item: 3,
    location: 1,
    quantityavailable: 12,
    quantityonhand: 12,
    quantitycommitted: 0,
    lastquantityavailablechange: null,
  },
];

export const TRANSACTIONS: SuiteQLRow[] = [
  {
    id: 100,
    tranid: 'SO100',
    externalid: 'TTS-1',
    type: 'SalesOrd',
    entity: 7,
    trandate: '2026-03-14',
    status: 'B',
    foreigntotal: '10.10',
    currency: 1,
    lastmodifieddate: '2026-03-14T10:00:00.000Z',
  },
  {
    id: 101,
    tranid: 'SO101',
    externalid: 'TTS-2',
    type: 'SalesOrd',
    entity: 7,
    trandate: '2026-03-15',
    status: 'A',
    foreigntotal: '0.20',
    currency: 1,
    lastmodifieddate: '2026-03-15T10:00:00.000Z',
  },
  {
    id: 102,
    tranid: 'INV1',
    externalid: null,
    type: 'CustInvc',
    entity: 8,
    trandate: '2026-03-16',
    status: 'A',
    foreigntotal: '1000000000000000000.01',
    currency: 2,
    lastmodifieddate: '2026-03-16T10:00:00.000Z',
  },
];

export const LINES: SuiteQLRow[] = [
  {
    transaction: 100,
    linesequencenumber: 0,
    item: null,
    quantity: null,
    rate: null,
    foreignamount: '10.10',
    mainline: 'T',
    taxline: 'F',
    location: null,
  },
  {
    transaction: 100,
    linesequencenumber: 1,
    item: 1,
    quantity: -2,
    rate: '5.05',
    foreignamount: '-10.10',
    mainline: 'F',
    taxline: 'F',
    location: 1,
  },
  {
    transaction: 101,
    linesequencenumber: 1,
    item: 3,
    quantity: -1,
    rate: '0.1',
    foreignamount: '-0.10',
    mainline: 'F',
    taxline: 'F',
    location: 1,
  },
  {
    transaction: 101,
    linesequencenumber: 2,
    item: 3,
    quantity: -1,
    rate: '0.2',
    foreignamount: '-0.10',
    mainline: 'F',
    taxline: 'F',
    location: 2,
  },
];

export const TABLES: SuiteQLTables = {
  item: () => ITEMS,
  location: () => LOCATIONS,
  inventoryitemlocations: () => STOCK,
  transaction: () => TRANSACTIONS,
  transactionline: () => LINES,
  currency: () => [],
};

export function run(
  query: string,
  params: unknown[] = [],
  opts: Partial<SuiteQLOptions> = {},
  tables: SuiteQLTables = TABLES,
): SuiteQLResult {
  return executeSuiteQL(query, params, tables, { limit: 1000, offset: 0, ...opts });
}

/** The page's rows only. */
export function rows(
  query: string,
  params: unknown[] = [],
  opts: Partial<SuiteQLOptions> = {},
): SuiteQLRow[] {
  return run(query, params, opts).items;
}

/** One column of the page. */
export function column(query: string, name: string, params: unknown[] = []): unknown[] {
  return rows(query, params).map((r) => r[name]);
}
