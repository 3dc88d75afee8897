/**
 * Transaction statuses derived from line quantities (sales order ids A-H, reference section 7.1;
 * other labels are NetSuite's UI names, UNCONFIRMED as REST ids beyond the sales order).
 */
import type { StoredRecord } from '../store.ts';
import type { TransactionType } from '../types.ts';
import { Dec, Enum, type Fields } from '../values.ts';

const SO = {
  A: 'Pending Approval',
  B: 'Pending Fulfillment',
  C: 'Cancelled',
  D: 'Partially Fulfilled',
  E: 'Pending Billing/Partially Fulfilled',
  F: 'Pending Billing',
  G: 'Billed',
  H: 'Closed',
} as const;

const RA = {
  A: 'Pending Approval',
  B: 'Pending Receipt',
  D: 'Partially Received',
  F: 'Pending Refund',
  G: 'Refunded',
} as const;

function q(line: Fields, field: string): number {
  const v = line[field];
  return typeof v === 'number' ? v : 0;
}

function enumId(v: unknown): string | undefined {
  return v instanceof Enum ? v.id : undefined;
}

function salesOrderStatus(rec: StoredRecord): keyof typeof SO {
  if (enumId(rec.body['orderStatus']) === 'A') return 'A';
  const lines = rec.lines['item'] ?? [];
  if (lines.length > 0 && lines.every((l) => l['isClosed'] === true)) return 'H';
  const open = lines.filter((l) => l['isClosed'] !== true);
  const allFulfilled = open.every((l) => q(l, 'quantityFulfilled') >= q(l, 'quantity'));
  const anyFulfilled = open.some((l) => q(l, 'quantityFulfilled') > 0);
  const allBilled = open.every((l) => q(l, 'quantityBilled') >= q(l, 'quantity'));
  const anyBilled = open.some((l) => q(l, 'quantityBilled') > 0);
  if (allFulfilled && allBilled) return 'G';
  if (allFulfilled) return 'F';
  if (anyFulfilled) return anyBilled ? 'E' : 'D';
  return 'B';
}

function returnStatus(rec: StoredRecord): keyof typeof RA {
  if (enumId(rec.body['orderStatus']) === 'A') return 'A';
  const lines = rec.lines['item'] ?? [];
  const allReceived = lines.every((l) => q(l, 'quantityReceived') >= q(l, 'quantity'));
  const anyReceived = lines.some((l) => q(l, 'quantityReceived') > 0);
  const allCredited = lines.every((l) => q(l, 'quantityCredited') >= q(l, 'quantity'));
  if (allReceived && allCredited) return 'G';
  if (allReceived) return 'F';
  return anyReceived ? 'D' : 'B';
}

function isZero(v: unknown): boolean {
  return v instanceof Dec && /^-?0(?:\.0+)?$/.test(v.text);
}

function statusOf(type: TransactionType, rec: StoredRecord): readonly [string, string] | undefined {
  switch (type) {
    case 'salesOrder': {
      const id = salesOrderStatus(rec);
      return [id, SO[id]];
    }
    case 'returnAuthorization': {
      const id = returnStatus(rec);
      return [id, RA[id]];
    }
    case 'invoice':
      return isZero(rec.body['amountRemaining']) ? ['B', 'Paid In Full'] : ['A', 'Open'];
    case 'creditMemo':
      return isZero(rec.body['amountRemaining']) ? ['B', 'Fully Applied'] : ['A', 'Open'];
    case 'itemFulfillment': {
      const ship = rec.body['shipStatus'];
      return ship instanceof Enum ? [ship.id, ship.refName] : undefined;
    }
    case 'cashSale':
    case 'customerPayment':
      return ['B', 'Not Deposited'];
    case 'journalEntry':
      return ['B', 'Approved for Posting'];
    default:
      return undefined;
  }
}

export function applyStatus(type: TransactionType, rec: StoredRecord): void {
  const status = statusOf(type, rec);
  if (status) rec.body['status'] = new Enum(status[0], status[1]);
}
