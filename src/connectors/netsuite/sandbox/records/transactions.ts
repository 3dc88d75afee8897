/**
 * Transaction semantics: defaults inherited from the customer and subsidiary, references that
 * must agree on the subsidiary (customer, order, location, item), item lines priced from the
 * item, totals from lines in minor units, tran ids, and statuses (reference section 7).
 */

import { isoDate } from '../clock.ts';
import { invalidContent, invalidField, userError } from '../problem.ts';
import type { SandboxSettings } from '../settings.ts';
import { pairKey, type Store, type StoredRecord } from '../store.ts';
import { isItemType, itemTypeEnum, type TransactionType } from '../types.ts';
import { Dec, Enum, type Fields, Ref, refIds } from '../values.ts';
import { decMinor, exponentOf, lineAmount, minorDec, sumLines } from './money.ts';
import { ORDER_STATUS, SHIP_STATUS } from './specs.ts';
import { applyStatus } from './status.ts';

export interface TxCtx {
  store: Store;
  nowMs: number;
  behaviour: SandboxSettings['behaviour'];
}

const ITEM_SUBLIST_TYPES = new Set<TransactionType>([
  'salesOrder',
  'invoice',
  'cashSale',
  'returnAuthorization',
  'creditMemo',
  'cashRefund',
  'itemFulfillment',
  'itemReceipt',
]);

const TRAN_PREFIX: Record<TransactionType, string> = {
  salesOrder: 'SO',
  itemFulfillment: 'IF',
  invoice: 'INV',
  cashSale: 'CS',
  returnAuthorization: 'RMA',
  itemReceipt: 'IR',
  creditMemo: 'CM',
  cashRefund: 'CR',
  customerRefund: 'CRF',
  customerPayment: 'PYMT',
  deposit: 'DEP',
  journalEntry: 'JE',
  inventoryAdjustment: 'ADJ',
};

export function refOf(v: unknown): string | undefined {
  return v instanceof Ref ? v.id : undefined;
}

/** The subsidiary a record belongs to (a single-select reference). */
export function subsidiaryOf(rec: StoredRecord | undefined): string | undefined {
  return rec ? refOf(rec.body['subsidiary']) : undefined;
}

/** Fills defaults, checks agreement and computes totals/status. Throws before any mutation. */
export function prepareTransaction(ctx: TxCtx, type: TransactionType, rec: StoredRecord): void {
  const { store } = ctx;
  const customerField = type === 'customerPayment' || type === 'customerRefund' ? 'customer' : 'entity';
  const customer = store.get(refOf(rec.body[customerField]) ?? '');
  const subsidiary = resolveSubsidiary(store, rec, customer, customerField);
  if (subsidiary) rec.body['subsidiary'] = new Ref(subsidiary);
  if (rec.body['currency'] === undefined) {
    const cur = refOf(customer?.body['currency']) ?? refOf(store.get(subsidiary ?? '')?.body['currency']);
    if (cur) rec.body['currency'] = new Ref(cur);
  }
  checkLocation(store, refOf(rec.body['location']), subsidiary, 'location');
  checkLocation(store, refOf(rec.body['adjLocation']), subsidiary, 'adjLocation');
  rec.body['tranId'] ??= store.nextTranId(type, TRAN_PREFIX[type]);
  rec.body['tranDate'] ??= isoDate(ctx.nowMs);
  const b = ctx.behaviour;
  if (type === 'salesOrder')
    rec.body['orderStatus'] ??= new Enum(b.defaultOrderStatus, ORDER_STATUS[b.defaultOrderStatus]);
  if (type === 'itemFulfillment')
    rec.body['shipStatus'] ??= new Enum(b.defaultShipStatus, SHIP_STATUS[b.defaultShipStatus]);
  if (ITEM_SUBLIST_TYPES.has(type)) prepareItemLines(ctx, type, rec, subsidiary);
  if (type === 'inventoryAdjustment') prepareAdjustment(store, rec, subsidiary);
  computeTotals(ctx, type, rec);
  applyStatus(type, rec);
}

function resolveSubsidiary(
  store: Store,
  rec: StoredRecord,
  customer: StoredRecord | undefined,
  field: string,
) {
  const given = refOf(rec.body['subsidiary']);
  const fromCustomer = subsidiaryOf(customer);
  if (given && fromCustomer && given !== fromCustomer) {
    throw invalidContent(
      `The subsidiary ${given} does not match subsidiary ${fromCustomer} of the ${field} ${customer?.id}.`,
      'subsidiary',
    );
  }
  return given ?? fromCustomer ?? [...store.ofType('subsidiary')][0]?.id;
}

function checkLocation(
  store: Store,
  locationId: string | undefined,
  subsidiary: string | undefined,
  path: string,
): void {
  if (!locationId || !subsidiary) return;
  const locSub = subsidiaryOf(store.get(locationId));
  if (locSub && locSub !== subsidiary) {
    throw invalidContent(`Location ${locationId} belongs to subsidiary ${locSub}, not ${subsidiary}.`, path);
  }
}

function prepareItemLines(
  ctx: TxCtx,
  type: TransactionType,
  rec: StoredRecord,
  subsidiary: string | undefined,
) {
  const lines = rec.lines['item'] ?? [];
  if (lines.length === 0)
    throw userError('You must enter at least one line item for this transaction.', 'item');
  for (const [i, line] of lines.entries())
    prepareItemLine(ctx, type, rec, line, `item.items[${i}]`, subsidiary);
}

function prepareItemLine(
  ctx: TxCtx,
  type: TransactionType,
  rec: StoredRecord,
  line: Fields,
  path: string,
  sub?: string,
) {
  const item = ctx.store.get(refOf(line['item']) ?? '');
  if (!item || !isItemType(item.type)) throw userError('Please enter value(s) for: Item', `${path}.item`);
  if (item.body['isInactive'] === true) throw invalidField('item', item.id, `${path}.item`);
  // An item's subsidiary is a multi-select (section 7.3): the line's subsidiary must be one of them.
  const itemSubs = refIds(item.body['subsidiary']);
  if (sub && itemSubs.length > 0 && !itemSubs.includes(sub)) {
    throw invalidContent(`Item ${item.id} is not available in subsidiary ${sub}.`, `${path}.item`);
  }
  const quantity = line['quantity'] ?? 1;
  if (typeof quantity !== 'number' || quantity <= 0)
    throw invalidField('quantity', String(quantity), `${path}.quantity`);
  line['quantity'] = quantity;
  if (!(line['rate'] instanceof Dec) && !(line['amount'] instanceof Dec)) {
    line['rate'] = item.body['rate'] instanceof Dec ? item.body['rate'] : new Dec('0');
  }
  checkLocation(ctx.store, refOf(line['location']), sub, `${path}.location`);
  line['location'] ??= rec.body['location'] ?? null;
  if (line['location'] === null) delete line['location'];
  const stocked = item.type === 'inventoryItem';
  if (stocked && (type === 'itemFulfillment' || type === 'itemReceipt') && !line['location']) {
    throw userError('Please enter value(s) for: Location', `${path}.location`);
  }
  const itemType = itemTypeEnum(item.type);
  line['itemType'] = new Enum(itemType.id, itemType.refName);
}

function prepareAdjustment(store: Store, rec: StoredRecord, subsidiary: string | undefined): void {
  const lines = rec.lines['inventory'] ?? [];
  if (lines.length === 0)
    throw userError('You must enter at least one line item for this transaction.', 'inventory');
  lines.forEach((line, i) => {
    const path = `inventory.items[${i}]`;
    const item = store.get(refOf(line['item']) ?? '');
    if (item?.type !== 'inventoryItem')
      throw invalidField('item', String(refOf(line['item'])), `${path}.item`);
    line['location'] ??= rec.body['adjLocation'] ?? null;
    if (!refOf(line['location'])) throw userError('Please enter value(s) for: Location', `${path}.location`);
    checkLocation(store, refOf(line['location']), subsidiary, `${path}.location`);
    // "New Quantity" (section 7.12) sets on hand; NetSuite derives Adjust Qty By from it.
    if (line['adjustQtyBy'] === undefined && typeof line['newQuantity'] === 'number') {
      const onHand = store.stock.get(pairKey(item.id, refOf(line['location'])!))?.onHand ?? 0;
      line['adjustQtyBy'] = line['newQuantity'] - onHand;
    }
    if (typeof line['adjustQtyBy'] !== 'number' || line['adjustQtyBy'] === 0) {
      throw invalidField('adjustQtyBy', String(line['adjustQtyBy']), `${path}.adjustQtyBy`);
    }
  });
}

function computeTotals(ctx: TxCtx, type: TransactionType, rec: StoredRecord): void {
  const exp = exponentOf(ctx.store, rec);
  if (ITEM_SUBLIST_TYPES.has(type) && type !== 'itemFulfillment' && type !== 'itemReceipt') {
    let subtotal = 0n;
    for (const line of rec.lines['item'] ?? []) {
      const amount = lineAmount(line, exp);
      line['amount'] = minorDec(amount, exp);
      subtotal += amount;
    }
    rec.body['subtotal'] = minorDec(subtotal, exp);
    rec.body['total'] = minorDec(subtotal + decMinor(rec.body['shippingCost'], exp), exp);
    if (type === 'invoice' || type === 'creditMemo') rec.body['amountRemaining'] ??= rec.body['total'];
  }
  if (type === 'journalEntry') checkBalanced(rec, exp);
  if (type === 'deposit') {
    const payments = (rec.lines['payment'] ?? []).filter((l) => l['deposit'] !== false);
    const total =
      sumLines(payments, 'paymentAmount', exp) +
      sumLines(rec.lines['other'], 'amount', exp) -
      sumLines(rec.lines['cashback'], 'amount', exp);
    rec.body['total'] = minorDec(total, exp);
  }
}

function checkBalanced(rec: StoredRecord, exp: number): void {
  const lines = rec.lines['line'] ?? [];
  if (lines.length < 2) throw userError('A journal entry needs at least two lines.', 'line');
  const debit = sumLines(lines, 'debit', exp);
  const credit = sumLines(lines, 'credit', exp);
  if (debit !== credit)
    throw userError('The total of debit lines must equal the total of credit lines.', 'line');
}
