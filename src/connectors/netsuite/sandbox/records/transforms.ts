/**
 * `!transform` (reference section 4.9): a new record built from a source transaction. Lines
 * default to what remains open on the source and are addressed by `orderLine`; `itemReceive:
 * false` drops a line; a quantity above what remains is refused. While the new record exists it
 * counts against its source (quantityFulfilled, quantityBilled, ...), and applied payments and
 * credits reduce the invoice's amountRemaining.
 */
import { invalidContent, invalidRequest, userError } from '../problem.ts';
import type { Store, StoredRecord } from '../store.ts';
import { isTransactionType, TRANSFORMS, type TransactionType } from '../types.ts';
import { Dec, type Fields, Ref } from '../values.ts';
import type { Built } from './build.ts';
import { decMinor, exponentOf, minorDec } from './money.ts';
import { applyStatus } from './status.ts';

interface Rule {
  /** Source line counter the target's quantities add to. */
  counter: string;
  /** What remains open on a source line. */
  remaining: (line: Fields, billOnlyFulfilled: boolean) => number;
}

const n = (line: Fields, f: string) => (typeof line[f] === 'number' ? line[f] : 0);

const RULES: Record<string, Rule> = {
  'salesOrder>itemFulfillment': {
    counter: 'quantityFulfilled',
    remaining: (l) => n(l, 'quantity') - n(l, 'quantityFulfilled'),
  },
  'salesOrder>invoice': { counter: 'quantityBilled', remaining: billable },
  'salesOrder>cashSale': { counter: 'quantityBilled', remaining: billable },
  'salesOrder>returnAuthorization': {
    counter: 'quantityReturned',
    remaining: (l) => n(l, 'quantityFulfilled') - n(l, 'quantityReturned'),
  },
  'cashSale>returnAuthorization': {
    counter: 'quantityReturned',
    remaining: (l) => n(l, 'quantity') - n(l, 'quantityReturned'),
  },
  'cashSale>cashRefund': {
    counter: 'quantityRefunded',
    remaining: (l) => n(l, 'quantity') - n(l, 'quantityRefunded'),
  },
  'returnAuthorization>itemReceipt': {
    counter: 'quantityReceived',
    remaining: (l) => n(l, 'quantity') - n(l, 'quantityReceived'),
  },
  'returnAuthorization>creditMemo': {
    counter: 'quantityCredited',
    remaining: (l) => n(l, 'quantity') - n(l, 'quantityCredited'),
  },
  'returnAuthorization>cashRefund': {
    counter: 'quantityCredited',
    remaining: (l) => n(l, 'quantity') - n(l, 'quantityCredited'),
  },
  'invoice>creditMemo': {
    counter: 'quantityCredited',
    remaining: (l) => n(l, 'quantity') - n(l, 'quantityCredited'),
  },
};

/** bigint minimum (Math.min takes numbers only). */
function smaller(a: bigint, b: bigint): bigint {
  if (a < b) return a;
  return b;
}

function billable(l: Fields, billOnlyFulfilled: boolean): number {
  return (billOnlyFulfilled ? n(l, 'quantityFulfilled') : n(l, 'quantity')) - n(l, 'quantityBilled');
}

const HEADER_COPY = [
  'entity',
  'subsidiary',
  'currency',
  'location',
  'otherRefNum',
  'shippingAddress',
  'billingAddress',
  'department',
  'class',
];

const SHIPPING_TARGETS = new Set<TransactionType>(['itemFulfillment', 'invoice', 'cashSale']);

export function checkTransform(source: StoredRecord, target: TransactionType): void {
  const allowed = isTransactionType(source.type) ? (TRANSFORMS[source.type] ?? []) : [];
  if (!allowed.includes(target)) {
    throw invalidRequest(`Transformation from ${source.type} to ${target} is not supported.`);
  }
}

/** Builds the target's fields: source defaults, then the request's overrides. */
export function transformFields(
  store: Store,
  source: StoredRecord,
  target: TransactionType,
  overrides: Built,
  billOnlyFulfilled: boolean,
): Built {
  const body: Fields = {};
  for (const f of HEADER_COPY) if (source.body[f] !== undefined) body[f] = source.body[f]!;
  // The order's ship method carries to what ships or bills it; the body may change it.
  if (SHIPPING_TARGETS.has(target) && source.body['shipMethod'] !== undefined)
    body['shipMethod'] = source.body['shipMethod']!;
  // Shipping is billed once, on the first bill of the order.
  const firstBill =
    (target === 'invoice' || target === 'cashSale') &&
    (source.lines['item'] ?? []).every((l) => n(l, 'quantityBilled') === 0);
  if (firstBill && source.body['shippingCost'] !== undefined)
    body['shippingCost'] = source.body['shippingCost']!;
  Object.assign(body, overrides.body, { createdFrom: new Ref(source.id) });
  if (target === 'customerPayment') return paymentFromInvoice(store, source, body, overrides);
  const rule = RULES[`${source.type}>${target}`]!;
  const defaults = (source.lines['item'] ?? [])
    .filter((l) => l['isClosed'] !== true && rule.remaining(l, billOnlyFulfilled) > 0)
    .map((l) => lineFrom(l, rule.remaining(l, billOnlyFulfilled)));
  const lines = applyLineOverrides(source, defaults, overrides.lines['item'] ?? [], rule, billOnlyFulfilled);
  if (lines.length === 0)
    throw userError(
      `There are no lines left to transform into ${target} on ${source.type} ${source.id}.`,
      'item',
    );
  return { body, lines: { ...overrides.lines, item: lines.map((l, i) => ({ ...l, line: i + 1 })) } };
}

function lineFrom(src: Fields, quantity: number): Fields {
  const line: Fields = { orderLine: src['line'] ?? null, item: src['item'] ?? null, quantity };
  for (const f of ['rate', 'location', 'description', 'price', 'taxCode'])
    if (src[f] !== undefined) line[f] = src[f]!;
  return line;
}

function applyLineOverrides(
  source: StoredRecord,
  defaults: Fields[],
  overrides: Fields[],
  rule: Rule,
  bof: boolean,
): Fields[] {
  const byOrderLine = new Map(defaults.map((l) => [l['orderLine'], l]));
  const extra: Fields[] = [];
  overrides.forEach((o, i) => {
    const path = `item.items[${i}]`;
    if (o['orderLine'] === undefined) {
      extra.push(o);
      return;
    }
    const base = byOrderLine.get(o['orderLine']);
    const srcLine = (source.lines['item'] ?? []).find((l) => l['line'] === o['orderLine']);
    if (!base || !srcLine)
      throw invalidContent(
        `Line ${String(o['orderLine'])} has nothing left to transform.`,
        `${path}.orderLine`,
      );
    if (o['itemReceive'] === false) {
      byOrderLine.delete(o['orderLine']);
      return;
    }
    const remaining = rule.remaining(srcLine, bof);
    const quantity = typeof o['quantity'] === 'number' ? o['quantity'] : remaining;
    if (quantity > remaining) {
      throw invalidContent(
        `You cannot transform more than the remaining quantity (${remaining}) of line ${String(o['orderLine'])}.`,
        `${path}.quantity`,
      );
    }
    const { line: _line, itemReceive: _ir, ...rest } = o;
    byOrderLine.set(o['orderLine'], { ...base, ...rest, quantity });
  });
  return [...byOrderLine.values(), ...extra];
}

function paymentFromInvoice(store: Store, invoice: StoredRecord, body: Fields, overrides: Built): Built {
  body['customer'] = invoice.body['entity'] ?? null;
  delete body['entity'];
  delete body['location'];
  const remaining =
    invoice.body['amountRemaining'] instanceof Dec ? invoice.body['amountRemaining'] : new Dec('0');
  body['payment'] ??= remaining;
  const exp = exponentOf(store, invoice);
  const paid = decMinor(body['payment'], exp);
  const open = decMinor(remaining, exp);
  const amount = minorDec(smaller(paid, open), exp);
  const apply = overrides.lines['apply']?.length
    ? overrides.lines['apply']
    : [{ doc: new Ref(invoice.id), apply: true, amount }];
  return { body, lines: { apply } };
}

// --- effects on sources while a target exists ---

interface CounterDelta {
  source: string;
  orderLine: unknown;
  field: string;
  qty: number;
}

interface ApplyDelta {
  doc: string;
  minor: bigint;
  exp: number;
}

export function counterDeltas(store: Store, rec: StoredRecord): CounterDelta[] {
  const sourceId = rec.body['createdFrom'] instanceof Ref ? rec.body['createdFrom'].id : undefined;
  const source = sourceId ? store.get(sourceId) : undefined;
  const rule = source ? RULES[`${source.type}>${rec.type}`] : undefined;
  if (!source || !rule) return [];
  return (rec.lines['item'] ?? [])
    .filter((l) => l['orderLine'] !== undefined && typeof l['quantity'] === 'number')
    .map((l) => ({
      source: source.id,
      orderLine: l['orderLine'],
      field: rule.counter,
      qty: n(l, 'quantity'),
    }));
}

/** Amounts applied to invoices by payments and credit memos. */
export function applyDeltas(store: Store, rec: StoredRecord): ApplyDelta[] {
  if (rec.type !== 'customerPayment' && rec.type !== 'creditMemo') return [];
  const exp = exponentOf(store, rec);
  const explicit = (rec.lines['apply'] ?? []).flatMap((l) =>
    l['apply'] !== false && l['doc'] instanceof Ref
      ? [{ doc: l['doc'].id, minor: decMinor(l['amount'], exp), exp }]
      : [],
  );
  if (explicit.length > 0) return explicit;
  const from = rec.body['createdFrom'];
  if (rec.type === 'creditMemo' && from instanceof Ref && store.get(from.id)?.type === 'invoice') {
    return [{ doc: from.id, minor: decMinor(rec.body['total'], exp), exp }];
  }
  return [];
}

/** Validates applications against open balances; `sign` -1 undoes them. */
export function checkApplies(store: Store, rec: StoredRecord, deltas: ApplyDelta[]): void {
  const customer = rec.body['customer'] ?? rec.body['entity'];
  deltas.forEach((d, i) => {
    const inv = store.get(d.doc);
    const path = `apply.items[${i}].doc`;
    if (inv?.type !== 'invoice') throw invalidContent(`Document ${d.doc} is not an open invoice.`, path);
    if (
      !(customer instanceof Ref) ||
      !(inv.body['entity'] instanceof Ref) ||
      inv.body['entity'].id !== customer.id
    ) {
      throw invalidContent(`Invoice ${d.doc} belongs to another customer.`, path);
    }
    if (d.minor > decMinor(inv.body['amountRemaining'], d.exp)) {
      throw invalidContent(
        `The amount applied to invoice ${d.doc} exceeds its amount remaining.`,
        `apply.items[${i}].amount`,
      );
    }
  });
}

export function applySourceEffects(
  store: Store,
  rec: StoredRecord,
  sign: 1 | -1,
  nowMs: number,
): Set<string> {
  const touched = new Set<string>();
  for (const d of counterDeltas(store, rec)) {
    const src = store.get(d.source);
    const line = src?.lines['item']?.find((l) => l['line'] === d.orderLine);
    if (!src || !line) continue;
    line[d.field] = n(line, d.field) + sign * d.qty;
    touched.add(src.id);
  }
  for (const d of applyDeltas(store, rec)) {
    const inv = store.get(d.doc);
    if (!inv) continue;
    inv.body['amountRemaining'] = minorDec(
      decMinor(inv.body['amountRemaining'], d.exp) - BigInt(sign) * d.minor,
      d.exp,
    );
    touched.add(inv.id);
  }
  for (const id of touched) {
    const src = store.get(id)!;
    if (isTransactionType(src.type)) applyStatus(src.type, src);
    src.modifiedMs = nowMs;
  }
  return touched;
}
