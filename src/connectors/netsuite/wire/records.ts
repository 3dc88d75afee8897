/**
 * Read shapes of the records the flows use, as returned by `GET /{type}/{id}?expandSubResources=true`
 * (reference section 7, field names from the 2026.1 REST API Browser). Loose objects: NetSuite
 * returns many more fields (and custom ones) than we type; unknown fields pass through untouched.
 */
import { z } from 'zod';
import {
  nsAmount,
  nsDate,
  nsDateTime,
  nsEnum,
  nsId,
  nsLinks,
  nsQuantity,
  nsRef,
  nsSublist,
} from './common.ts';

const base = {
  id: nsId,
  externalId: z.string().optional(),
  links: nsLinks.optional(),
  lastModifiedDate: nsDateTime.optional(),
};

/** Address subrecord: `country` is an object, older examples a bare string (section 7.1). */
export const nsAddress = z
  .object({
    addressee: z.string().optional(),
    addr1: z.string().optional(),
    addr2: z.string().optional(),
    city: z.string().optional(),
    state: z.string().optional(),
    zip: z.string().optional(),
    country: z.union([nsEnum, z.string()]).optional(),
    addrPhone: z.string().optional(),
  })
  .loose();

export const customer = z
  .object({
    ...base,
    entityId: z.string().optional(),
    isPerson: z.boolean().optional(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    companyName: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
    subsidiary: nsRef.optional(),
    currency: nsRef.optional(),
    /** The customer schema's creation date (section 7.2; other records say `createdDate`). */
    dateCreated: nsDateTime.optional(),
    addressBook: nsSublist(
      z
        .object({
          defaultBilling: z.boolean().optional(),
          defaultShipping: z.boolean().optional(),
          addressBookAddress: nsAddress.optional(),
        })
        .loose(),
    ).optional(),
  })
  .loose();

export const itemLocation = z
  .object({
    location: nsRef.optional(),
    quantityAvailable: nsQuantity.optional(),
    quantityOnHand: nsQuantity.optional(),
    quantityCommitted: nsQuantity.optional(),
    quantityBackOrdered: nsQuantity.optional(),
  })
  .loose();

/** Pricing sublist element `inventoryItem-priceElement` (section 7.3). */
export const itemPrice = z
  .object({
    priceLevel: nsRef.optional(),
    priceLevelName: z.string().optional(),
    price: nsAmount.optional(),
    currencyPage: nsRef.optional(),
    priceQty: nsQuantity.optional(),
    isInactive: z.boolean().optional(),
  })
  .loose();

/** inventoryItem, nonInventorySaleItem and kitItem share these fields (section 7.3). */
export const item = z
  .object({
    ...base,
    itemId: z.string(),
    displayName: z.string().optional(),
    upcCode: z.string().optional(),
    isInactive: z.boolean().optional(),
    itemType: nsEnum.optional(),
    /** A multi-select (section 7.3): a collection; a single reference is tolerated. */
    subsidiary: z.union([nsRef, nsSublist(nsRef)]).optional(),
    location: nsRef.optional(),
    rate: nsAmount.optional(),
    quantityAvailable: nsQuantity.optional(),
    quantityOnHand: nsQuantity.optional(),
    quantityCommitted: nsQuantity.optional(),
    quantityBackOrdered: nsQuantity.optional(),
    quantityOnOrder: nsQuantity.optional(),
    locations: nsSublist(itemLocation).optional(),
    description: z.string().optional(),
    salesDescription: z.string().optional(),
    weight: nsAmount.optional(),
    /** The unit list's ids are UNCONFIRMED (section 7.3): text or an enumeration object. */
    weightUnit: z.union([z.string(), nsEnum]).optional(),
    price: nsSublist(itemPrice).optional(),
  })
  .loose();

export const location = z
  .object({
    ...base,
    name: z.string(),
    subsidiary: z.union([nsRef, nsSublist(nsRef)]).optional(),
    isInactive: z.boolean().optional(),
  })
  .loose();

export const subsidiary = z
  .object({ ...base, name: z.string(), currency: nsRef.optional(), isInactive: z.boolean().optional() })
  .loose();

export const currency = z.object({ ...base, name: z.string(), symbol: z.string().optional() }).loose();

/** A transaction item line (salesOrder-itemElement family, section 7.1). */
export const transactionLine = z
  .object({
    line: nsQuantity.optional(),
    orderLine: nsQuantity.optional(),
    item: nsRef.optional(),
    quantity: nsQuantity.optional(),
    rate: nsAmount.optional(),
    amount: nsAmount.optional(),
    location: nsRef.optional(),
    description: z.string().optional(),
    isClosed: z.boolean().optional(),
    itemReceive: z.boolean().optional(),
    quantityFulfilled: nsQuantity.optional(),
    quantityBilled: nsQuantity.optional(),
    quantityReceived: nsQuantity.optional(),
    quantityReturned: nsQuantity.optional(),
    quantityCredited: nsQuantity.optional(),
    quantityCommitted: nsQuantity.optional(),
    quantityRemaining: nsQuantity.optional(),
  })
  .loose();

export const applyLine = z
  .object({
    doc: nsRef.optional(),
    apply: z.boolean().optional(),
    amount: nsAmount.optional(),
    line: nsQuantity.optional(),
  })
  .loose();

const transactionBase = {
  ...base,
  tranId: z.string().optional(),
  tranDate: nsDate.optional(),
  entity: nsRef.optional(),
  subsidiary: nsRef.optional(),
  currency: nsRef.optional(),
  location: nsRef.optional(),
  memo: z.string().optional(),
  status: nsEnum.optional(),
  createdFrom: nsRef.optional(),
  createdDate: nsDateTime.optional(),
};

const itemTransaction = {
  ...transactionBase,
  otherRefNum: z.string().optional(),
  /** A ship item (section 7.1: `shipMethod` (→shipItem)); `refName` is its name. */
  shipMethod: nsRef.optional(),
  subtotal: nsAmount.optional(),
  total: nsAmount.optional(),
  shippingCost: nsAmount.optional(),
  shippingAddress: nsAddress.optional(),
  billingAddress: nsAddress.optional(),
  item: nsSublist(transactionLine).optional(),
};

export const salesOrder = z.object({ ...itemTransaction, orderStatus: nsEnum.optional() }).loose();
export const invoice = z.object(itemTransaction).loose();
export const cashSale = z.object(itemTransaction).loose();
export const returnAuthorization = z.object({ ...itemTransaction, orderStatus: nsEnum.optional() }).loose();
export const creditMemo = z.object({ ...itemTransaction, apply: nsSublist(applyLine).optional() }).loose();
export const cashRefund = z.object(itemTransaction).loose();

/** itemFulfillment package sublist element (section 7.4). */
export const fulfillmentPackage = z
  .object({
    /** The line number the sandbox gives each package; whether NetSuite renders one is UNCONFIRMED. */
    line: nsQuantity.optional(),
    packageTrackingNumber: z.string().optional(),
    packageWeight: nsAmount.optional(),
    packageDescr: z.string().optional(),
    packageCartonNumber: z.string().optional(),
  })
  .loose();

export const itemFulfillment = z
  .object({
    ...transactionBase,
    shipStatus: nsEnum.optional(),
    shipMethod: nsRef.optional(),
    shippedDate: nsDate.optional(),
    item: nsSublist(transactionLine).optional(),
    package: nsSublist(fulfillmentPackage).optional(),
  })
  .loose();

/**
 * A ship item, the target of `shipMethod` (section 7.1). The reference lists none of its fields:
 * its name (`itemId`, the refName) is what TikSuite maps to a carrier.
 */
export const shipItem = z
  .object({
    ...base,
    itemId: z.string(),
    displayName: z.string().optional(),
    description: z.string().optional(),
    isInactive: z.boolean().optional(),
  })
  .loose();

export const itemReceipt = z
  .object({ ...transactionBase, item: nsSublist(transactionLine).optional() })
  .loose();

export const customerPayment = z
  .object({
    ...transactionBase,
    customer: nsRef.optional(),
    payment: nsAmount.optional(),
    total: nsAmount.optional(),
    applied: nsAmount.optional(),
    unapplied: nsAmount.optional(),
    apply: nsSublist(applyLine).optional(),
  })
  .loose();

export const customerRefund = z
  .object({
    ...transactionBase,
    customer: nsRef.optional(),
    total: nsAmount.optional(),
    apply: nsSublist(applyLine).optional(),
  })
  .loose();

export const deposit = z
  .object({
    ...transactionBase,
    account: nsRef.optional(),
    total: nsAmount.optional(),
    payment: nsSublist(
      z
        .object({
          id: z.string().optional(),
          deposit: z.boolean().optional(),
          paymentAmount: nsAmount.optional(),
        })
        .loose(),
    ).optional(),
    other: nsSublist(z.object({ account: nsRef.optional(), amount: nsAmount.optional() }).loose()).optional(),
    cashback: nsSublist(
      z.object({ account: nsRef.optional(), amount: nsAmount.optional() }).loose(),
    ).optional(),
  })
  .loose();

export const journalEntry = z
  .object({
    ...transactionBase,
    line: nsSublist(
      z
        .object({
          account: nsRef.optional(),
          debit: nsAmount.optional(),
          credit: nsAmount.optional(),
          memo: z.string().optional(),
          entity: nsRef.optional(),
        })
        .loose(),
    ).optional(),
  })
  .loose();

export const inventoryAdjustment = z
  .object({
    ...transactionBase,
    account: nsRef.optional(),
    adjLocation: nsRef.optional(),
    inventory: nsSublist(
      z
        .object({
          item: nsRef.optional(),
          location: nsRef.optional(),
          adjustQtyBy: nsQuantity.optional(),
          newQuantity: nsQuantity.optional(),
        })
        .loose(),
    ).optional(),
  })
  .loose();

const schemas = {
  customer,
  inventoryItem: item,
  nonInventorySaleItem: item,
  kitItem: item,
  shipItem,
  location,
  subsidiary,
  currency,
  salesOrder,
  itemFulfillment,
  itemReceipt,
  invoice,
  cashSale,
  returnAuthorization,
  creditMemo,
  cashRefund,
  customerRefund,
  customerPayment,
  deposit,
  journalEntry,
  inventoryAdjustment,
} as const;

export type RecordType = keyof typeof schemas;
export type RecordOf<T extends RecordType> = z.output<(typeof schemas)[T]>;

/** Record type id (the URL segment, section 4.1) -> read schema. */
export const RECORD_SCHEMAS: { readonly [K in RecordType]: z.ZodType<RecordOf<K>> } = schemas;

export function isRecordType(value: string): value is RecordType {
  return Object.hasOwn(schemas, value);
}
