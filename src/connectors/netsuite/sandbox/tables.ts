/**
 * SuiteQL tables over the record store (reference section 8.2), as row providers for the
 * SuiteQL engine (./suiteql): lower-case column names, ids as strings, booleans 'T'/'F',
 * amounts as decimal strings, quantities as integers, dates as Date. Sales lines carry negative
 * quantities and amounts when `negativeSalesLines` is on (UNCONFIRMED sign convention, 8.2).
 */
import { refName } from './render.ts';

export { COLUMNS } from './table-columns.ts';

import type { SandboxSettings } from './settings.ts';
import { type DeletedRecord, pairKey, type Store, type StoredRecord } from './store.ts';
import type { SuiteQLTables } from './suiteql/index.ts';
import {
  ITEM_TYPE_CODES,
  ITEM_TYPES,
  isItemType,
  isTransactionType,
  TRANSACTION_CODES,
  TRANSACTION_TYPES,
  type TransactionType,
} from './types.ts';
import { Dec, Enum, Ref, type Value } from './values.ts';

type Row = Record<string, unknown>;

const SALES = new Set<TransactionType>(['salesOrder', 'invoice', 'cashSale', 'itemFulfillment']);

function ref(v: Value | undefined): string | null {
  return v instanceof Ref ? v.id : null;
}
function str(v: Value | undefined): string | null {
  return typeof v === 'string' ? v : null;
}
function dec(v: Value | undefined): string | null {
  return v instanceof Dec ? v.text : null;
}
function tf(v: Value | undefined): 'T' | 'F' {
  return v === true ? 'T' : 'F';
}
function negate(text: string | null, on: boolean): string | null {
  if (text === null || !on) return text;
  return text.startsWith('-') ? text.slice(1) : text === '0' || /^0(\.0+)?$/.test(text) ? text : `-${text}`;
}

function packageTracking(r: StoredRecord): string[] {
  return (r.lines['package'] ?? []).flatMap((p) =>
    typeof p['packageTrackingNumber'] === 'string' ? [p['packageTrackingNumber']] : [],
  );
}

/** Tracking numbers per sales order, from its fulfillments' packages (built once per query). */
function trackingByOrder(store: Store): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of store.ofType('itemFulfillment')) {
    const so = ref(f.body['createdFrom']);
    if (so) out.set(so, [...(out.get(so) ?? []), ...packageTracking(f)]);
  }
  return out;
}

/** `linkedtrackingnumberlist` (section 8.2; list format UNCONFIRMED: space-separated here). */
function trackingNumbers(rec: StoredRecord, byOrder: Map<string, string[]>): string | null {
  const list =
    rec.type === 'itemFulfillment'
      ? packageTracking(rec)
      : rec.type === 'salesOrder'
        ? (byOrder.get(rec.id) ?? [])
        : [];
  return list.join(' ') || null;
}

function transactionRow(
  rec: StoredRecord,
  b: SandboxSettings['behaviour'],
  byOrder: Map<string, string[]>,
): Row {
  const code = isTransactionType(rec.type) ? TRANSACTION_CODES[rec.type] : rec.type;
  const status = rec.body['status'];
  const letter = status instanceof Enum ? status.id : null;
  const shipStatus = rec.type === 'itemFulfillment' ? rec.body['shipStatus'] : undefined;
  return {
    id: rec.id,
    tranid: str(rec.body['tranId']),
    externalid: rec.externalId ?? null,
    type: code,
    recordtype: rec.type.toLowerCase(),
    entity: ref(rec.body['entity']) ?? ref(rec.body['customer']),
    trandate: typeof rec.body['tranDate'] === 'string' ? new Date(`${rec.body['tranDate']}T00:00:00Z`) : null,
    status: letter && b.suiteqlStatusForm === 'prefixed' ? `${code}:${letter}` : letter,
    foreigntotal: dec(rec.body['total']) ?? dec(rec.body['payment']),
    currency: ref(rec.body['currency']),
    subsidiary: ref(rec.body['subsidiary']),
    location: ref(rec.body['location']),
    memo: str(rec.body['memo']),
    otherrefnum: str(rec.body['otherRefNum']),
    createdfrom: ref(rec.body['createdFrom']),
    // Neither column is listed in reference 8.2 (names UNCONFIRMED): the record's shipMethod
    // (BUILTIN.DF gives the ship item's name) and a fulfillment's shipStatus letter.
    shipmethod: ref(rec.body['shipMethod']),
    shipstatus: shipStatus instanceof Enum ? shipStatus.id : null,
    linkedtrackingnumberlist: trackingNumbers(rec, byOrder),
    // Nothing is voided in the sandbox (voiding is not emulated): always 'F' (8.2).
    void: 'F',
    voided: 'F',
    actualshipdate:
      rec.type === 'itemFulfillment' && typeof rec.body['tranDate'] === 'string'
        ? new Date(`${rec.body['tranDate']}T00:00:00Z`)
        : null,
    createddate: new Date(rec.createdMs),
    lastmodifieddate: new Date(rec.modifiedMs),
  };
}

function* lineRows(rec: StoredRecord, b: SandboxSettings['behaviour']): Generator<Row> {
  const type = rec.type;
  const neg = b.negativeSalesLines && isTransactionType(type) && SALES.has(type);
  const common = {
    transaction: rec.id,
    entity: ref(rec.body['entity']) ?? ref(rec.body['customer']),
    subsidiary: ref(rec.body['subsidiary']),
    createdfrom: ref(rec.body['createdFrom']),
    linelastmodifieddate: new Date(rec.modifiedMs),
  };
  yield {
    ...common,
    id: '0',
    linesequencenumber: 0,
    uniquekey: `${rec.id}-0`,
    mainline: 'T',
    taxline: 'F',
    foreignamount: dec(rec.body['total']),
    location: ref(rec.body['location']),
    isclosed: 'F',
  };
  const sublist = type === 'inventoryAdjustment' ? 'inventory' : 'item';
  for (const line of rec.lines[sublist] ?? []) {
    const n = typeof line['line'] === 'number' ? line['line'] : 0;
    const qty = type === 'inventoryAdjustment' ? line['adjustQtyBy'] : line['quantity'];
    const itemType = line['itemType'];
    yield {
      ...common,
      id: String(n),
      linesequencenumber: n,
      uniquekey: `${rec.id}-${n}`,
      item: ref(line['item']),
      itemtype: itemType instanceof Enum ? itemType.id : null,
      quantity: typeof qty === 'number' ? (neg ? -qty : qty) : null,
      rate: dec(line['rate']),
      netamount: negate(dec(line['amount']), neg),
      foreignamount: negate(dec(line['amount']), neg),
      location: ref(line['location']) ?? ref(rec.body['location']),
      mainline: 'F',
      taxline: 'F',
      isclosed: tf(line['isClosed']),
      quantityshiprecv:
        typeof line['quantityFulfilled'] === 'number'
          ? line['quantityFulfilled']
          : typeof line['quantityReceived'] === 'number'
            ? line['quantityReceived']
            : null,
      quantitybilled: typeof line['quantityBilled'] === 'number' ? line['quantityBilled'] : null,
    };
  }
}

function itemRow(store: Store, rec: StoredRecord): Row {
  const row: Row = {
    id: rec.id,
    itemid: str(rec.body['itemId']),
    displayname: str(rec.body['displayName']),
    fullname: str(rec.body['itemId']),
    upccode: str(rec.body['upcCode']),
    isinactive: tf(rec.body['isInactive']),
    itemtype: isItemType(rec.type) ? ITEM_TYPE_CODES[rec.type] : null,
    externalid: rec.externalId ?? null,
    description: str(rec.body['description']),
    createddate: new Date(rec.createdMs),
    lastmodifieddate: new Date(rec.modifiedMs),
  };
  // Read when asked for: stock moves all the time, the item itself rarely.
  Object.defineProperty(row, 'totalquantityonhand', {
    enumerable: true,
    get: () => {
      if (rec.type !== 'inventoryItem') return null;
      let sum = 0;
      for (const loc of store.ofType('location'))
        sum += store.stock.get(pairKey(rec.id, loc.id))?.onHand ?? 0;
      return sum;
    },
  });
  return row;
}

/**
 * Table rows kept between queries: the item table until an item record changes, the transaction
 * tables until a transaction record changes (or the behaviour settings their rows follow), the stock
 * tables until a stock level is added (their values are read from the live levels). The emulator has
 * no indexes, so a query scans its tables; building 150,000 row objects for every query of a
 * 50,000-item account made each one cost tens of milliseconds, and the transaction lines of 100,000
 * sales orders a second (a month's tie-out asks hundreds of times). Rows are never mutated by the
 * query engine.
 */
const cached = new WeakMap<Store, Map<string, { key: readonly unknown[]; rows: Row[] }>>();

function keep(store: Store, table: string, key: readonly unknown[], build: () => Row[]): Row[] {
  let byTable = cached.get(store);
  if (!byTable) {
    byTable = new Map();
    cached.set(store, byTable);
  }
  const hit = byTable.get(table);
  if (hit && hit.key.length === key.length && hit.key.every((k, i) => k === key[i])) return hit.rows;
  const rows = build();
  byTable.set(table, { key, rows });
  return rows;
}

function itemRows(store: Store): Row[] {
  return keep(store, 'item', [store.itemsVersion], () =>
    ITEM_TYPES.flatMap((t) => [...store.ofType(t)]).map((r) => itemRow(store, r)),
  );
}

function stockRows(store: Store, withStamp: boolean): Row[] {
  return keep(store, withStamp ? 'inventoryitemlocations' : 'aggregateitemlocation', [store.stock.size], () =>
    [...store.stock.values()].map((s) => {
      const row: Row = { item: s.item, location: s.location, quantitybackordered: 0, quantityonorder: 0 };
      const live = (name: string, get: () => unknown) =>
        Object.defineProperty(row, name, { enumerable: true, get });
      live('quantityavailable', () => s.onHand - s.committed);
      live('quantityonhand', () => s.onHand);
      live('quantitycommitted', () => s.committed);
      if (withStamp) live('lastquantityavailablechange', () => new Date(s.lastAvailableChangeMs));
      return row;
    }),
  );
}

function entityRow(rec: StoredRecord): Row {
  const b = rec.body;
  const base = {
    id: rec.id,
    externalid: rec.externalId ?? null,
    lastmodifieddate: new Date(rec.modifiedMs),
    isinactive: tf(b['isInactive']),
  };
  switch (rec.type) {
    case 'customer':
      return {
        ...base,
        entityid: str(b['entityId']),
        companyname: str(b['companyName']),
        email: str(b['email']),
        subsidiary: ref(b['subsidiary']),
        isperson: tf(b['isPerson']),
        firstname: str(b['firstName']),
        lastname: str(b['lastName']),
        phone: str(b['phone']),
        datecreated: new Date(rec.createdMs),
      };
    case 'location':
      return { ...base, name: str(b['name']), fullname: str(b['name']), subsidiary: ref(b['subsidiary']) };
    case 'subsidiary':
      return { ...base, name: str(b['name']), fullname: str(b['name']), currency: ref(b['currency']) };
    case 'currency':
      return {
        id: rec.id,
        externalid: rec.externalId ?? null,
        name: str(b['name']),
        symbol: str(b['symbol']),
      };
    default:
      return {
        ...base,
        acctname: str(b['acctName']),
        acctnumber: str(b['acctNumber']),
        accttype: str(b['acctType']),
      };
  }
}

/** Table name -> rows now; read lazily on every query so results always reflect the store. */
export function suiteqlTables(store: Store, settings: () => SandboxSettings): SuiteQLTables {
  const transactions = () => TRANSACTION_TYPES.flatMap((t) => [...store.ofType(t)]);
  const entities = (t: 'customer' | 'location' | 'subsidiary' | 'currency' | 'account') => () =>
    [...store.ofType(t)].map(entityRow);
  const version = () => [store.transactionsVersion, settings().behaviour];
  return {
    transaction: () =>
      keep(store, 'transaction', version(), () => {
        const byOrder = trackingByOrder(store);
        return transactions().map((r) => transactionRow(r, settings().behaviour, byOrder));
      }),
    transactionline: () =>
      keep(store, 'transactionline', version(), () =>
        transactions().flatMap((r) => [...lineRows(r, settings().behaviour)]),
      ),
    item: () => itemRows(store),
    inventoryitemlocations: () => stockRows(store, true),
    aggregateitemlocation: () => stockRows(store, false),
    customer: entities('customer'),
    customersubsidiaryrelationship: () =>
      [...store.ofType('customer')].map((c) => ({ entity: c.id, subsidiary: ref(c.body['subsidiary']) })),
    location: entities('location'),
    subsidiary: entities('subsidiary'),
    currency: entities('currency'),
    account: entities('account'),
    deletedrecord: () => store.deleted.map((d) => deletedRow(d, settings().behaviour)),
  };
}

/**
 * A `deletedrecord` row (columns from reference 8.2, values UNCONFIRMED): `type` per the
 * `deletedRecordType` setting; `recordtypeid` the record type in lower case; `scriptid` (custom
 * records only) and `deletedby` (the sandbox has no employees) are null; `context` is the REST web
 * services execution context every sandbox delete runs in; none is custom.
 */
function deletedRow(d: DeletedRecord, b: SandboxSettings['behaviour']): Row {
  const recordType = d.type.toLowerCase();
  const code = isTransactionType(d.type) ? TRANSACTION_CODES[d.type] : undefined;
  return {
    recordid: d.id,
    recordtypeid: recordType,
    scriptid: null,
    name: d.name,
    type: b.deletedRecordType === 'code' && code ? code : recordType,
    deleteddate: new Date(d.deletedMs),
    deletedby: null,
    context: 'RESTWEBSERVICES',
    iscustomrecord: 'F',
    iscustomtransaction: 'F',
    iscustomlist: 'F',
  };
}

/** BUILTIN.DF: a reference column shows its record's name; `status` its label. */
export function displayValue(store: Store) {
  return ({ column, value }: { table: string; column: string; value: string }): string | undefined => {
    if (column === 'status') return undefined;
    const rec = store.get(value);
    return rec ? refName(rec) : undefined;
  };
}
