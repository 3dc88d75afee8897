/**
 * Write shapes (bodies of POST/PATCH/PUT/!transform) for the records the flows write, with
 * NetSuite's field names (reference section 7). Amounts are NsDecimal (exact number literals, see
 * json.ts), quantities integers; references are `{ id }` or `{ externalId }` (section 4.12).
 */
import type { NsDecimal } from '../json.ts';

export type RefInput = { id: string } | { externalId: string };
export type EnumInput = { id: string } | string;

export interface AddressInput {
  addressee?: string;
  addr1?: string;
  addr2?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: EnumInput;
  addrPhone?: string;
}

export interface Sublist<T> {
  items: T[];
}

export interface CustomerInput {
  externalId?: string;
  entityId?: string;
  isPerson?: boolean;
  firstName?: string;
  lastName?: string;
  companyName?: string;
  email?: string;
  phone?: string;
  subsidiary?: RefInput;
  currency?: RefInput;
  addressBook?: Sublist<{
    defaultBilling?: boolean;
    defaultShipping?: boolean;
    label?: string;
    addressBookAddress?: AddressInput;
  }>;
}

export interface ItemLineInput {
  line?: number;
  item?: RefInput;
  quantity?: number;
  rate?: NsDecimal;
  amount?: NsDecimal;
  price?: RefInput;
  location?: RefInput;
  description?: string;
  isClosed?: boolean;
  taxCode?: RefInput;
}

export interface SalesOrderInput {
  externalId?: string;
  entity?: RefInput;
  tranDate?: string;
  otherRefNum?: string;
  memo?: string;
  subsidiary?: RefInput;
  location?: RefInput;
  currency?: RefInput;
  orderStatus?: EnumInput;
  shipMethod?: RefInput;
  shippingCost?: NsDecimal;
  shippingAddress?: AddressInput;
  billingAddress?: AddressInput;
  item?: Sublist<ItemLineInput>;
}

/** An itemFulfillment package line (section 7.4); weight in pounds. */
export interface PackageInput {
  packageTrackingNumber?: string;
  packageWeight?: NsDecimal;
  packageDescr?: string;
  packageCartonNumber?: string;
}

/**
 * Body of `!transform/itemFulfillment` or `itemReceipt`: lines addressed by `orderLine` (section
 * 4.9). `shipMethod` defaults to the order's. The package sublist is not keyed: a PATCH appends
 * packages unless sent with `replace: ['package']`, which rebuilds the sublist from the body
 * (section 4.4), so a changed tracking number is a replace carrying every package to keep.
 */
export interface FulfillmentInput {
  externalId?: string;
  shipStatus?: EnumInput;
  shipMethod?: RefInput;
  memo?: string;
  tranDate?: string;
  shippedDate?: string;
  item?: Sublist<{ orderLine: number; quantity?: number; location?: RefInput; itemReceive?: boolean }>;
  package?: Sublist<PackageInput>;
}

export interface ApplyInput {
  doc: RefInput;
  apply: boolean;
  amount?: NsDecimal;
}

export interface TransactionInput {
  externalId?: string;
  tranDate?: string;
  memo?: string;
  item?: Sublist<ItemLineInput>;
  apply?: Sublist<ApplyInput>;
}

export interface CustomerPaymentInput {
  externalId?: string;
  customer: RefInput;
  payment: NsDecimal;
  tranDate?: string;
  memo?: string;
  undepFunds?: boolean | EnumInput;
  apply?: Sublist<ApplyInput>;
}

export interface JournalEntryInput {
  externalId?: string;
  subsidiary: RefInput;
  currency?: RefInput;
  tranDate?: string;
  memo?: string;
  line: Sublist<{
    account: RefInput;
    debit?: NsDecimal;
    credit?: NsDecimal;
    memo?: string;
    entity?: RefInput;
  }>;
}

export interface InventoryAdjustmentInput {
  externalId?: string;
  account: RefInput;
  subsidiary: RefInput;
  adjLocation?: RefInput;
  tranDate?: string;
  memo?: string;
  inventory: Sublist<{ item: RefInput; location: RefInput; adjustQtyBy: number; memo?: string }>;
}

/** Any record body: typed inputs above, or a plain object for fields we do not type. */
export type RecordBody = object;
