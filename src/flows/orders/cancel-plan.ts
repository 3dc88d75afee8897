/**
 * Cancellations on a sales order NetSuite has started to fulfil (docs/orders.md "Cancellations",
 * accounting reference §3.3 item 7): which item lines to close or reduce so that NetSuite holds
 * the units TikTok still sells. Pure: NetSuite's lines and the desired sales order in, line
 * updates keyed by `line` (reference 4.4) and refusals out. Planned against what NetSuite shows
 * now, so a re-run after the write finds nothing left to change.
 */
import { type ItemLineInput, nsDecimal } from '../../connectors/netsuite/index.ts';
import type { SalesOrderMapping } from '../../mappings/index.ts';
import { formatMoney, parseMoney } from '../../shared/money.ts';
import type { NsSalesOrder } from './sales-order.ts';

type NsLine = NonNullable<NonNullable<NsSalesOrder['item']>['items']>[number];

/** Units TikTok cancelled that NetSuite already fulfilled: the line is left for a human. */
export interface Refusal {
  sku: string;
  line: number;
  cancelled: number;
  unfulfilled: number;
  fulfilled: number;
}

export type CancelPlan =
  | { ok: true; changes: ItemLineInput[]; refused: Refusal[] }
  /** NetSuite's lines do not match the order (edited by hand, ambiguous): not ours to change. */
  | { ok: false; why: string };

interface Wanted {
  sku: string;
  /** Units TikTok still sells (lines not cancelled). */
  active: number;
  /** The mapping puts a discount line after this item's lines. */
  discounted: boolean;
}

interface Entry {
  line: NsLine;
  discount?: NsLine;
}

/** Per NetSuite item id: what the desired sales order holds of it. */
function wantedItems(desired: SalesOrderMapping): Map<string, Wanted> {
  const lines = desired.salesOrder.item?.items ?? [];
  const out = new Map<string, Wanted>();
  let last: Wanted | undefined;
  desired.lineRoles.forEach((role, i) => {
    const line = lines[i];
    if (role.kind === 'discount' && last) last.discounted = true;
    if (role.kind !== 'item' || !line?.item || !('id' in line.item)) return;
    last = out.get(line.item.id) ?? { sku: role.sku, active: 0, discounted: false };
    if (!line.isClosed) last.active += line.quantity ?? 0;
    out.set(line.item.id, last);
  });
  return out;
}

/**
 * NetSuite's item lines per item id, each with the discount line right after it. Order-level
 * lines (shipping, receivable, tax) close the list, as the mapping writes them: a negative line
 * among them is never taken for a discount.
 */
function nsEntries(lines: readonly NsLine[], wanted: Map<string, Wanted>, otherCount: number) {
  const out = new Map<string, Entry[]>();
  let last: (Entry & { discounted: boolean }) | undefined;
  lines.forEach((line, i) => {
    const w = line.item ? wanted.get(line.item.id) : undefined;
    if (w && line.item) {
      last = { line, discounted: w.discounted };
      out.set(line.item.id, [...(out.get(line.item.id) ?? []), last]);
      return;
    }
    const negative = (line.amount ?? '').startsWith('-');
    if (last?.discounted && !last.discount && negative && i < lines.length - otherCount) last.discount = line;
    last = undefined;
  });
  return out;
}

const n = (v: number | undefined) => v ?? 0;

/** Units the line still sells: a closed line keeps what it fulfilled. */
function sold(line: NsLine): number {
  return line.isClosed ? n(line.quantityFulfilled) : n(line.quantity);
}

export function planCancellations(input: {
  lines: readonly NsLine[];
  desired: SalesOrderMapping;
}): CancelPlan {
  const { desired } = input;
  const currency = desired.amounts.orderTotal.currency;
  const wanted = wantedItems(desired);
  const otherCount = desired.lineRoles.filter((r) => r.kind === 'other').length;
  const entries = nsEntries(input.lines, wanted, otherCount);
  const changes: ItemLineInput[] = [];
  const refused: Refusal[] = [];
  for (const [itemId, w] of wanted) {
    const found = entries.get(itemId) ?? [];
    if (found.length === 0) return { ok: false, why: `it has no line for SKU "${w.sku}"` };
    const cancelled = found.reduce((acc, e) => acc + sold(e.line), 0) - w.active;
    if (cancelled === 0) continue;
    if (cancelled < 0) return { ok: false, why: `SKU "${w.sku}" has more units in TikTok than in NetSuite` };
    const open = found.filter((e) => !e.line.isClosed);
    if (open.length !== 1 || open[0]!.line.line === undefined) {
      return {
        ok: false,
        why: `SKU "${w.sku}" has ${open.length} open lines, so the cancelled units have no one line`,
      };
    }
    const planned = planLine(open[0]!, cancelled, w.sku, currency);
    if ('refused' in planned) refused.push(planned.refused);
    else changes.push(...planned.changes);
  }
  return { ok: true, changes, refused };
}

/**
 * One item line losing `cancelled` units. All of what is left unfulfilled: the line is closed
 * (its discount line too) and NetSuite keeps the fulfilled units, unless some of those are not
 * billed yet: a closed line leaves the billing queue (Oracle: "Closing a Sales Order"), so that
 * line is reduced to its fulfilled quantity instead and stays billable. Fewer units: the line is
 * reduced. More: TikTok cancelled units the warehouse shipped; the line is left alone.
 */
function planLine(
  entry: Entry,
  cancelled: number,
  sku: string,
  currency: string,
): { changes: ItemLineInput[] } | { refused: Refusal } {
  const { line, discount } = entry;
  const at = line.line!;
  const quantity = n(line.quantity);
  const fulfilled = n(line.quantityFulfilled);
  const unfulfilled = quantity - fulfilled;
  if (cancelled > unfulfilled) return { refused: { sku, line: at, cancelled, unfulfilled, fulfilled } };
  const keep = quantity - cancelled;
  if (keep === fulfilled && n(line.quantityBilled) >= fulfilled) {
    const close = [{ line: at, isClosed: true }];
    if (discount?.line !== undefined) close.push({ line: discount.line, isClosed: true });
    return { changes: close };
  }
  const money = (minor: bigint) => nsDecimal(formatMoney({ minor, currency }));
  const changes: ItemLineInput[] = [
    { line: at, quantity: keep, amount: money(reducedAmount(line, keep, currency)) },
  ];
  if (discount?.line !== undefined && discount.amount !== undefined) {
    const amount = prorata(parseMoney(discount.amount, currency).minor, keep, quantity);
    changes.push({ line: discount.line, amount: money(amount) });
  }
  return { changes };
}

/** The line's rate times the units kept when the rate prices the line exactly; else pro rata. */
function reducedAmount(line: NsLine, keep: number, currency: string): bigint {
  const amount = parseMoney(line.amount, currency, 'amount').minor;
  const quantity = n(line.quantity);
  const rate = exactMinor(line.rate, currency);
  if (rate !== undefined && rate * BigInt(quantity) === amount) return rate * BigInt(keep);
  return prorata(amount, keep, quantity);
}

/** A rate in minor units, or undefined when NetSuite holds it more precisely than the currency. */
function exactMinor(text: string | undefined, currency: string): bigint | undefined {
  if (text === undefined) return undefined;
  try {
    return parseMoney(text, currency).minor;
  } catch {
    return undefined;
  }
}

/** amount x keep / of, rounded half away from zero, in minor units. */
export function prorata(amount: bigint, keep: number, of: number): bigint {
  const x = amount * BigInt(keep);
  const d = BigInt(of);
  const magnitude = ((x < 0n ? -x : x) * 2n + d) / (2n * d);
  return x < 0n ? -magnitude : magnitude;
}
