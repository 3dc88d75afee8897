/**
 * Field specs per record type (names from reference section 7): which fields are typed and
 * checked, which references must exist, which sublists a record has and what their lines hold.
 * Fields not listed are stored as sent.
 */
import type { SbType } from '../types.ts';
import type { FieldSpec } from './input.ts';

export const ORDER_STATUS = { A: 'Pending Approval', B: 'Pending Fulfillment' };
export const SHIP_STATUS = { A: 'Picked', B: 'Packed', C: 'Shipped' };

/** The classification references of a line or header (department, class, location). */
const classified: FieldSpec = {
  department: { ref: 'any' },
  class: { ref: 'any' },
  location: { ref: 'location' },
};

const itemLine: FieldSpec = {
  item: { ref: 'item' },
  quantity: 'i',
  rate: 'd',
  amount: 'd',
  description: 's',
  isClosed: 'b',
  line: 'i',
  orderLine: 'i',
  itemReceive: 'b',
  price: { ref: 'any' },
  taxCode: { ref: 'any' },
  units: { ref: 'any' },
  ...classified,
};

const applyLine: FieldSpec = {
  doc: { ref: 'transaction' },
  apply: 'b',
  amount: 'd',
  line: 'i',
  applyDate: 'date',
};

const transaction: FieldSpec = {
  externalId: 's',
  tranId: 's',
  tranDate: 'date',
  entity: { ref: 'customer' },
  subsidiary: { ref: 'subsidiary' },
  currency: { ref: 'currency' },
  memo: 's',
  otherRefNum: 's',
  shippingCost: 'd',
  exchangeRate: 'd',
  shipMethod: { ref: 'shipItem' },
  ...classified,
};

export interface TypeSpec {
  body: FieldSpec;
  sublists: Readonly<Record<string, FieldSpec>>;
  required: readonly string[];
  /** Fields the server computes: ignored on input. */
  readOnly: readonly string[];
}

const entity = (
  body: FieldSpec,
  required: string[],
  sublists: Record<string, FieldSpec> = {},
  readOnly: string[] = [],
): TypeSpec => ({
  body: { externalId: 's', isInactive: 'b', ...body },
  sublists,
  required,
  readOnly: ['id', 'lastModifiedDate', 'dateCreated', 'createdDate', ...readOnly],
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
    // A multi-select (section 7.3: "subsidiary (collection)"), unlike a customer's or location's.
    subsidiary: { multi: 'subsidiary' },
    location: { ref: 'location' },
    weight: 'd',
    // The list's ids are not in the reference (UNCONFIRMED): stored as sent, like NetSuite's own text.
    weightUnit: 's',
  },
  ['itemId'],
  { price: priceLine },
  // Maintained by the server and by transactions (section 7.3).
  [
    'itemType',
    'quantityAvailable',
    'quantityOnHand',
    'quantityCommitted',
    'quantityBackOrdered',
    'quantityOnOrder',
    'locations',
  ],
);

/**
 * A ship item, what a transaction's `shipMethod` points at (reference 7.1: `shipMethod`
 * (→shipItem)). The reference lists none of its fields: the name is `itemId` as on other items
 * (it is the refName), plus `displayName` and `description` (UNCONFIRMED), kept minimal.
 */
const shipItem = entity({ itemId: 's', displayName: 's', description: 's' }, ['itemId']);

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
const tx = (
  body: FieldSpec,
  sublists: Record<string, FieldSpec>,
  required: string[] = [],
  readOnly: readonly string[] = TX_READ_ONLY,
): TypeSpec => ({
  body: { ...transaction, ...body },
  sublists,
  required,
  readOnly,
});

const salesOrderBody: FieldSpec = {
  orderStatus: { enum: ORDER_STATUS },
  shipDate: 'date',
  email: 's',
  discountItem: { ref: 'item' },
  discountRate: 'd',
  isTaxable: 'b',
  taxDetailsOverride: 'b',
  taxItem: { ref: 'any' },
  terms: { ref: 'any' },
  salesChannel: { ref: 'any' },
};

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
      mobilePhone: 's',
      subsidiary: { ref: 'subsidiary' },
      currency: { ref: 'currency' },
      defaultTaxReg: { ref: 'any' },
    },
    ['subsidiary'],
    { addressBook: { defaultBilling: 'b', defaultShipping: 'b', isResidential: 'b', label: 's' } },
  ),
  inventoryItem: item,
  nonInventorySaleItem: item,
  kitItem: item,
  shipItem,
  salesOrder: tx(
    salesOrderBody,
    { item: itemLine },
    ['entity'],
    [...TX_READ_ONLY, 'discountTotal', 'taxTotal'],
  ),
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
    {
      shipStatus: { enum: SHIP_STATUS },
      shippedDate: 'date',
      packedDate: 'date',
      pickedDate: 'date',
      handlingCost: 'd',
    },
    {
      item: itemLine,
      package: {
        packageTrackingNumber: 's',
        packageWeight: 'd',
        packageDescr: 's',
        packageCartonNumber: 's',
        packageTrackingNumberReturn: 's',
      },
    },
  ),
  itemReceipt: tx({}, { item: itemLine }),
  customerPayment: tx(
    {
      customer: { ref: 'customer' },
      payment: 'd',
      account: { ref: 'account' },
      arAcct: { ref: 'account' },
      autoApply: 'b',
      paymentOption: { ref: 'any' },
    },
    { apply: applyLine },
    ['customer', 'payment'],
    [...TX_READ_ONLY, 'applied', 'unapplied'],
  ),
  customerRefund: tx(
    { customer: { ref: 'customer' }, account: { ref: 'account' }, total: 'd', paymentOption: { ref: 'any' } },
    { apply: applyLine },
    ['customer'],
    // `total` is the Refund Amount the client enters (section 7.8), not a computed field.
    TX_READ_ONLY.filter((f) => f !== 'total'),
  ),
  deposit: tx(
    { account: { ref: 'account' } },
    {
      payment: { id: 's', deposit: 'b', paymentAmount: 'd' },
      other: {
        account: { ref: 'account' },
        amount: 'd',
        memo: 's',
        entity: { ref: 'customer' },
        paymentMethod: { ref: 'any' },
        refNum: 's',
        ...classified,
      },
      cashback: { account: { ref: 'account' }, amount: 'd', memo: 's', ...classified },
    },
    ['account'],
  ),
  journalEntry: tx(
    { approved: 'b', isReversal: 'b', reversalDate: 'date', postingPeriod: { ref: 'any' } },
    {
      line: {
        account: { ref: 'account' },
        debit: 'd',
        credit: 'd',
        memo: 's',
        entity: { ref: 'customer' },
        line: 'i',
        taxCode: { ref: 'any' },
        eliminate: 'b',
        ...classified,
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
        newQuantity: 'i',
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
