/** Entity and item semantics: defaults and uniqueness rules (reference sections 7.2, 7.3). */
import { invalidContent, userError } from '../problem.ts';
import type { Store, StoredRecord } from '../store.ts';
import { isItemType } from '../types.ts';
import { Ref, refIds } from '../values.ts';
import { refOf } from './transactions.ts';

export function prepareEntity(store: Store, rec: StoredRecord): void {
  if (rec.type === 'customer') prepareCustomer(store, rec);
  if (isItemType(rec.type)) prepareItem(store, rec);
  if (rec.type === 'shipItem') prepareShipItem(store, rec);
  if (
    rec.type === 'currency' &&
    typeof rec.body['symbol'] === 'string' &&
    !/^[A-Z]{3}$/.test(rec.body['symbol'])
  ) {
    throw invalidContent('A currency symbol is an ISO 4217 code like USD.', 'symbol');
  }
}

function prepareCustomer(store: Store, rec: StoredRecord): void {
  const b = rec.body;
  b['isPerson'] ??= b['companyName'] === undefined;
  const name = [b['firstName'], b['lastName']].filter((x) => typeof x === 'string').join(' ');
  b['entityId'] ??=
    (typeof b['companyName'] === 'string' && b['companyName']) ||
    name ||
    (typeof b['email'] === 'string' && b['email']) ||
    `CUST${rec.id}`;
  const sub = store.get(refOf(b['subsidiary']) ?? '');
  if (b['currency'] === undefined && sub && b['subsidiary'] instanceof Ref) {
    const cur = refOf(sub.body['currency']);
    if (cur) b['currency'] = new Ref(cur);
  }
}

function prepareItem(store: Store, rec: StoredRecord): void {
  const itemId = rec.body['itemId'];
  const other = typeof itemId === 'string' ? store.itemByName(itemId) : undefined;
  if (other && other.id !== rec.id) {
    throw userError(`The item name ${String(itemId)} is already used by item ${other.id}.`, 'itemId');
  }
}

/** Ship item names are unique like item names (a handful of records: a scan is enough). */
function prepareShipItem(store: Store, rec: StoredRecord): void {
  const name = rec.body['itemId'];
  const other = [...store.ofType('shipItem')].find((s) => s.id !== rec.id && s.body['itemId'] === name);
  if (other) throw userError(`The item name ${String(name)} is already used by item ${other.id}.`, 'itemId');
}

/** Records pointing at `target` (by reference field, line reference, createdFrom or apply doc). */
export function dependents(store: Store, target: StoredRecord): StoredRecord[] {
  const out: StoredRecord[] = [];
  const points = (v: unknown) => refIds(v).includes(target.id);
  for (const rec of store.records.values()) {
    if (rec.id === target.id) continue;
    const inBody = Object.values(rec.body).some(points);
    const inLines =
      !inBody && Object.values(rec.lines).some((ls) => ls.some((l) => Object.values(l).some(points)));
    if (inBody || inLines) out.push(rec);
  }
  return out;
}
