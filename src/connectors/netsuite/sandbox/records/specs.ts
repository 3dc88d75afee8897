/**
 * Field specs per record type (names from reference section 7): which fields are typed and
 * checked, which references must exist, which sublists a record has and what their lines hold.
 * Fields not listed are stored as sent.
 */
import type { SbType } from '../types.ts';
import type { FieldSpec } from './input.ts';

export const ORDER_STATUS = { A: 'Pending Approval', B: 'Pending Fulfillment' };
export const SHIP_STATUS = { A: 'Picked', B: 'Packed', C: 'Shipped' };

const itemLine: FieldSpec = {
  item: { ref: 'item' },
  quantity: 'i',
  rate: 'd',
  amount: 'd',
  location: { ref: 'location' },
  description: 's',
  isClosed: 'b',
  line: 'i',
  orderLine: 'i',
  itemReceive: 'b',
  price: { ref: 'any' },
  taxCode: { ref: 'any' },
};

const applyLine: FieldSpec = { doc: { ref: 'transaction' }, apply: 'b', amount: 'd', line: 'i' };

const transaction: FieldSpec = {
  externalId: 's',
  tranId: 's',
  tranDate: 'date',
  entity: { ref: 'customer' },
  subsidiary: { ref: 'subsidiary' },
  currency: { ref: 'currency' },
  location: { ref: 'location' },
  memo: 's',
  otherRefNum: 's',
  shippingCost: 'd',
  exchangeRate: 'd',
  department: { ref: 'any' },
  class: { ref: 'any' },
  shipMethod: { ref: 'any' },
};

export interface TypeSpec {
  body: FieldSpec;
  sublists: Readonly<Record<string, FieldSpec>>;
  required: readonly string[];
  /** Fields the server computes: ignored on input. */
  readOnly: readonly string[];
}

const entity = (body: FieldSpec, required: string[], sublists: Record<string, FieldSpec> = {}): TypeSpec => ({
  body: { externalId: 's', isInactive: 'b', ...body },
  sublists,
  required,
  readOnly: ['id', 'lastModifiedDate', 'dateCreated', 'createdDate'],
});

/** Pricing sublist element `inventoryItem-priceElement` (section 7.3); its edit semantics are UNCONFIRMED. */
const priceLine: FieldSpec = {
  priceLevel: { ref: 'any' },
  priceLevelName: 's',
  price: 'd',
  currencyPage: { ref: 'currency' },
  priceQty: 'i',
  isInactive: 'b',
};

const item = entity(
  {
    itemId: 's',
    displayName: 's',
    upcCode: 's',
    description: 's',
    salesDescription: 's',
    rate: 'd',
    subsidiary: { ref: 'subsidiary' },
    weight: 'd',
    // The list's ids are not in the reference (UNCONFIRMED): stored as sent, like NetSuite's own text.
    weightUnit: 's',
  },
  ['itemId'],
  { price: priceLine },
);

const TX_READ_ONLY = [
  'id',
  'status',
  'total',
  'subtotal',
  'createdDate',
  'lastModifiedDate',
  'createdFrom',
  'amountRemaining',
];
const tx = (body: FieldSpec, sublists: Record<string, FieldSpec>, required: string[] = []): TypeSpec => ({
  body: { ...transaction, ...body },
  sublists,
  required,
  readOnly: TX_READ_ONLY,
});

export const SPECS: Readonly<Record<SbType, TypeSpec>> = {
  subsidiary: entity({ name: 's', currency: { ref: 'currency' }, email: 's' }, ['name', 'currency']),
  currency: entity({ name: 's', symbol: 's' }, ['name', 'symbol']),
  location: entity({ name: 's', subsidiary: { ref: 'subsidiary' } }, ['name', 'subsidiary']),
  account: entity({ acctName: 's', acctNumber: 's', acctType: 's' }, ['acctName']),
  customer: entity(
    {
      entityId: 's',
      isPerson: 'b',
      firstName: 's',
      lastName: 's',
      companyName: 's',
      email: 's',
      phone: 's',
      subsidiary: { ref: 'subsidiary' },
      currency: { ref: 'currency' },
    },
    ['subsidiary'],
    { addressBook: { defaultBilling: 'b', defaultShipping: 'b', label: 's' } },
  ),
  inventoryItem: item,
  nonInventorySaleItem: item,
  kitItem: item,
  salesOrder: tx({ orderStatus: { enum: ORDER_STATUS } }, { item: itemLine }, ['entity']),
  invoice: tx({}, { item: itemLine }, ['entity']),
  cashSale: tx({}, { item: itemLine }, ['entity']),
  returnAuthorization: tx(
    { orderStatus: { enum: { A: 'Pending Approval', B: 'Pending Receipt' } } },
    { item: itemLine },
    ['entity'],
  ),
  creditMemo: tx({}, { item: itemLine, apply: applyLine }, ['entity']),
  cashRefund: tx({}, { item: itemLine }, ['entity']),
  itemFulfillment: tx(
    { shipStatus: { enum: SHIP_STATUS } },
    { item: itemLine, package: { packageTrackingNumber: 's', packageWeight: 'd', packageDescr: 's' } },
  ),
  itemReceipt: tx({}, { item: itemLine }),
  customerPayment: tx(
    { customer: { ref: 'customer' }, payment: 'd', account: { ref: 'account' } },
    { apply: applyLine },
    ['customer', 'payment'],
  ),
  customerRefund: tx(
    { customer: { ref: 'customer' }, account: { ref: 'account' }, total: 'd' },
    { apply: applyLine },
    ['customer'],
  ),
  deposit: tx(
    { account: { ref: 'account' } },
    {
      payment: { id: 's', deposit: 'b', paymentAmount: 'd' },
      other: { account: { ref: 'account' }, amount: 'd', memo: 's', entity: { ref: 'customer' } },
      cashback: { account: { ref: 'account' }, amount: 'd', memo: 's' },
    },
    ['account'],
  ),
  journalEntry: tx(
    { approved: 'b' },
    {
      line: {
        account: { ref: 'account' },
        debit: 'd',
        credit: 'd',
        memo: 's',
        entity: { ref: 'customer' },
        location: { ref: 'location' },
      },
    },
    ['subsidiary'],
  ),
  inventoryAdjustment: tx(
    { account: { ref: 'account' }, adjLocation: { ref: 'location' }, customer: { ref: 'customer' } },
    {
      inventory: {
        item: { ref: 'item' },
        location: { ref: 'location' },
        adjustQtyBy: 'i',
        unitCost: 'd',
        memo: 's',
        line: 'i',
      },
    },
    ['account', 'subsidiary'],
  ),
};

/** Every known field and sublist name of a type, for case-insensitive input. */
export function knownNames(type: SbType): string[] {
  const s = SPECS[type];
  return [...Object.keys(s.body), ...Object.keys(s.sublists), ...s.readOnly];
}
