/** Record types the sandbox knows, their families and SuiteQL transaction type codes. */

export const ENTITY_TYPES = ['subsidiary', 'currency', 'location', 'customer', 'account'] as const;
export const ITEM_TYPES = ['inventoryItem', 'nonInventorySaleItem', 'kitItem'] as const;
/**
 * Lists a transaction points at that are neither entities nor items sold on lines: `shipItem`,
 * the target of a transaction's `shipMethod` (reference 7.1: `shipMethod` (→shipItem)).
 */
export const LIST_TYPES = ['shipItem'] as const;

/** Transaction record type -> `transaction.type` code (reference section 8.2). */
export const TRANSACTION_CODES = {
  salesOrder: 'SalesOrd',
  itemFulfillment: 'ItemShip',
  invoice: 'CustInvc',
  cashSale: 'CashSale',
  returnAuthorization: 'RtnAuth',
  itemReceipt: 'ItemRcpt',
  creditMemo: 'CustCred',
  cashRefund: 'CashRfnd',
  customerRefund: 'CustRfnd',
  customerPayment: 'CustPymt',
  deposit: 'Deposit',
  journalEntry: 'Journal',
  inventoryAdjustment: 'InvAdjst',
} as const;

export type EntityType = (typeof ENTITY_TYPES)[number];
export type ItemType = (typeof ITEM_TYPES)[number];
export type ListType = (typeof LIST_TYPES)[number];
export type TransactionType = keyof typeof TRANSACTION_CODES;
export type SbType = EntityType | ItemType | ListType | TransactionType;

/** SuiteQL `item.itemtype` values (section 8.2). */
export const ITEM_TYPE_CODES: Record<ItemType, string> = {
  inventoryItem: 'InvtPart',
  nonInventorySaleItem: 'NonInvtPart',
  kitItem: 'Kit',
};

/**
 * An item record's `itemType` enumeration `{ id, refName }` (section 7.3 shows
 * `{ "id": "InvtPart", "refName": "Inventory Item" }`; the other labels are NetSuite's UI names).
 */
const ITEM_TYPE_LABELS: Record<ItemType, string> = {
  inventoryItem: 'Inventory Item',
  nonInventorySaleItem: 'Non-inventory Item',
  kitItem: 'Kit/Package',
};

export function itemTypeEnum(t: ItemType): { id: string; refName: string } {
  return { id: ITEM_TYPE_CODES[t], refName: ITEM_TYPE_LABELS[t] };
}

/** Every transaction record type (the keys of TRANSACTION_CODES). */
export const TRANSACTION_TYPES = Object.keys(TRANSACTION_CODES) as TransactionType[];

const ALL: readonly SbType[] = [...ENTITY_TYPES, ...ITEM_TYPES, ...LIST_TYPES, ...TRANSACTION_TYPES];
const BY_LOWER = new Map(ALL.map((t) => [t.toLowerCase(), t]));

/** URL type segments are matched case-insensitively (section 4.1: clients send `/customerpayment`). */
export function resolveType(segment: string): SbType | undefined {
  return BY_LOWER.get(segment.toLowerCase());
}

export function isItemType(t: SbType): t is ItemType {
  return (ITEM_TYPES as readonly string[]).includes(t);
}

export function isTransactionType(t: SbType): t is TransactionType {
  return Object.hasOwn(TRANSACTION_CODES, t);
}

/** Transforms offered by the 2026.1 browser for the records we emulate (section 4.9). */
export const TRANSFORMS: Partial<Record<TransactionType, readonly TransactionType[]>> = {
  salesOrder: ['itemFulfillment', 'invoice', 'cashSale', 'returnAuthorization'],
  invoice: ['creditMemo', 'customerPayment'],
  cashSale: ['cashRefund', 'returnAuthorization'],
  returnAuthorization: ['itemReceipt', 'creditMemo', 'cashRefund'],
};
