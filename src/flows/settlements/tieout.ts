/**
 * The tie-out of one statement (docs/settlements.md "Tie-out"): order, statement line and payout.
 *
 * - Every order the statement settles is matched to its sales order, and the statement's sales side
 *   for it (gross sales, seller discounts, customer shipping) to the sales order's total (less the
 *   pass-through tax line, when the mapping puts one on it).
 * - Every refund the statement nets is matched to the order's credit memos / cash refunds.
 * - The payout is matched to the statements it pays, its deposit to the payout.
 * - The statement's settlement minus what NetSuite says the orders are worth is explained by
 *   category: fees, shipping, refunds, adjustments, reserves, rounding (parts TikTok states that do
 *   not add up to its totals), and at the payout, FX and its rounding. What no category explains is
 *   `unexplained`, and each piece of it is a finding naming the order.
 */
import type { SettledStatement } from '../../domain/settlement.ts';
import { formatMoney, parseMoney } from '../../shared/money.ts';
import { financeExternalId, type SettlementServices } from './deps.ts';

export interface Finding {
  kind:
    | 'order_not_in_netsuite'
    | 'order_unaccounted'
    | 'order_amount_differs'
    | 'refund_not_credited'
    | 'refund_amount_differs'
    | 'entry_not_booked'
    | 'payout_not_booked'
    | 'payout_statements_differ'
    | 'deposit_amount_differs'
    | 'statement_parts_differ';
  message: string;
  orderId?: string;
  amount?: string;
}

export interface TieOut {
  shopId: string;
  statementId: string;
  statementTime: number;
  currency: string;
  settlement: string;
  orders: { settled: number; matched: number; unmatched: string[] };
  refunds: { orders: number; matched: number; unmatched: string[] };
  entry: { model: string; id: string | null };
  payout: {
    paymentId: string | null;
    status: string | null;
    matched: boolean;
    depositId: string | null;
    statements: string[];
    /** What TikTok pays out (after exchange), in the payout currency. */
    amount: string | null;
    payoutCurrency: string | null;
    /** Statements' settlement plus reserves, in the statement currency. */
    beforeExchange: string | null;
    exchangeRate: string | null;
    /** FX: the amount before exchange converted exactly at TikTok's rate, in the payout currency. */
    atRate: string | null;
    /** The rounding TikTok applied to reach `amount` from `atRate`. */
    rounding: string;
  };
  /**
   * settlement = ordersInNetSuite + refunds + fees + shipping + adjustments + rounding + unexplained;
   * reserves come on top (what the statement pays = settlement + reserves).
   */
  variance: {
    /** What the settled orders' sales orders are worth in NetSuite. */
    ordersInNetSuite: string;
    /** The refunds netted, as NetSuite credits them (credit memos, cash refunds). */
    refunds: string;
    fees: string;
    shipping: string;
    adjustments: string;
    reserves: string;
    rounding: string;
    unexplained: string;
  };
  /** The unexplained amount in minor units (a number for summaries; exact below 2^53). */
  unexplainedMinor: number;
  findings: Finding[];
  computedAt: string;
}

const BATCH = 500;

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/**
 * What each sales order is worth now: its total less its closed lines (cancelled units TikTok does
 * not settle). A sales line's transactionline amount is negative (reference section 8.2), so the
 * closed lines' sum is added.
 */
async function totalsById(s: SettlementServices, ids: readonly string[], currency: string) {
  const out = new Map<string, bigint>();
  for (const part of chunks(ids, BATCH)) {
    const marks = part.map(() => '?').join(', ');
    for await (const r of s.netsuite.suiteql.rows(
      `SELECT id, foreigntotal FROM transaction WHERE id IN (${marks})`,
      part,
    ))
      out.set(String(r['id']), parseMoney(String(r['foreigntotal'] ?? '0'), currency).minor);
    for await (const r of s.netsuite.suiteql.rows(
      `SELECT transaction, SUM(foreignamount) AS closed FROM transactionline WHERE transaction IN (${marks}) AND mainline = 'F' AND isclosed = 'T' GROUP BY transaction`,
      part,
    )) {
      const id = String(r['transaction']);
      const closed = parseMoney(String(r['closed'] ?? '0'), currency).minor;
      out.set(id, (out.get(id) ?? 0n) + closed);
    }
  }
  return out;
}

/** TikSuite's credits (credit memos, cash refunds) per TikTok order, by their other reference number. */
async function creditsByOrder(
  s: SettlementServices,
  shopId: string,
  orderIds: readonly string[],
  currency: string,
) {
  const out = new Map<string, bigint[]>();
  const like = `${s.mappings.externalIdPrefix}-${shopId}-cm-%`;
  for (const part of chunks(orderIds, BATCH)) {
    const q = `SELECT id, foreigntotal, otherrefnum FROM transaction WHERE type IN ('CustCred', 'CashRfnd') AND externalid LIKE ? AND otherrefnum IN (${part.map(() => '?').join(', ')})`;
    for await (const r of s.netsuite.suiteql.rows(q, [like, ...part])) {
      const order = String(r['otherrefnum']);
      const list = out.get(order) ?? [];
      list.push(parseMoney(String(r['foreigntotal'] ?? '0'), currency).minor);
      out.set(order, list);
    }
  }
  return out;
}

async function depositTotal(s: SettlementServices, externalId: string, currency: string) {
  const page = await s.netsuite.suiteql.page(
    'SELECT id, foreigntotal FROM transaction WHERE externalid = ?',
    [externalId],
  );
  const r = page.items[0];
  return r ? parseMoney(String(r['foreigntotal'] ?? '0'), currency).minor : undefined;
}

/** Sums of one statement's parts: per order (sales, refunds) and per group. */
function partsOf(stmt: SettledStatement) {
  const perOrder = new Map<string, { sales: bigint; refunds: bigint; tax: bigint }>();
  const groups = { fee: 0n, shipping: 0n, refunds: 0n, adjustment: 0n, sales: 0n };
  let parts = 0n;
  for (const t of stmt.transactions) {
    if (t.kind === 'reserve') continue;
    parts += t.components.reduce((x, c) => x + c.amount, 0n);
    const o =
      t.kind === 'order' && t.orderId
        ? (perOrder.get(t.orderId) ?? { sales: 0n, refunds: 0n, tax: 0n })
        : undefined;
    for (const c of t.components) {
      if (c.group === 'reserve') continue;
      groups[c.group] += c.amount;
      if (o && c.group === 'sales') o.sales += c.amount;
      if (o && c.group === 'refunds') o.refunds += c.amount;
    }
    if (o && t.orderId) {
      o.tax += (t.info['sales_tax'] ?? 0n) + (t.info['sales_tax_refund'] ?? 0n);
      perOrder.set(t.orderId, o);
    }
  }
  return { perOrder, groups, parts };
}

export async function tieOutStatement(
  s: SettlementServices,
  shopId: string,
  statementId: string,
): Promise<TieOut | undefined> {
  const stmt = await s.finance.statement(shopId, statementId);
  return stmt ? tieOut(s, stmt) : undefined;
}

/** The tie-out of a statement already read from the store. */
export async function tieOut(s: SettlementServices, stmt: SettledStatement): Promise<TieOut> {
  const shopId = stmt.shopId;
  const cur = stmt.currency;
  const fmt = (minor: bigint, currency = cur) => formatMoney({ minor, currency });
  const findings: Finding[] = [];
  const { perOrder, groups, parts } = partsOf(stmt);
  const orderIds = [...perOrder.keys()];
  const soOf = await s.salesOrdersOf(shopId, orderIds);
  const soTotals = await totalsById(s, [...new Set(soOf.values())], cur);
  const refunded = orderIds.filter((o) => perOrder.get(o)!.refunds !== 0n);
  const credits = refunded.length
    ? await creditsByOrder(s, shopId, refunded, cur)
    : new Map<string, bigint[]>();
  const taxOnOrder = s.mappings.tax.treatment === 'pass_through';

  let soSum = 0n;
  let creditSum = 0n;
  let unexplained = 0n;
  const orders = { settled: 0, matched: 0, unmatched: [] as string[] };
  const refunds = { orders: refunded.length, matched: 0, unmatched: [] as string[] };
  for (const [orderId, o] of perOrder) {
    if (o.sales !== 0n) {
      orders.settled++;
      const so = soOf.get(orderId);
      const total = so ? soTotals.get(so) : undefined;
      if (total === undefined) {
        orders.unmatched.push(orderId);
        unexplained += o.sales;
        findings.push({
          kind: 'order_not_in_netsuite',
          orderId,
          amount: fmt(o.sales),
          message: `order ${orderId} is settled (${fmt(o.sales)} sales) but has no sales order in NetSuite`,
        });
      } else {
        const expected = total - (taxOnOrder ? o.tax : 0n);
        soSum += expected;
        if (expected === o.sales) orders.matched++;
        else {
          unexplained += o.sales - expected;
          findings.push({
            kind: 'order_amount_differs',
            orderId,
            amount: fmt(o.sales - expected),
            message: `order ${orderId}: TikTok settles ${fmt(o.sales)} of sales, sales order ${so} is worth ${fmt(expected)}`,
          });
        }
      }
    }
    if (o.refunds !== 0n) {
      const list = credits.get(orderId) ?? [];
      const sum = list.reduce((a, b) => a + b, 0n);
      const want = -o.refunds;
      const one = list.find((c) => c === want);
      const credited = one ?? (sum === want ? sum : undefined);
      if (credited !== undefined) {
        refunds.matched++;
        creditSum += credited;
      } else {
        refunds.unmatched.push(orderId);
        creditSum += sum;
        unexplained += o.refunds + sum;
        findings.push({
          kind: list.length ? 'refund_amount_differs' : 'refund_not_credited',
          orderId,
          amount: fmt(o.refunds + sum),
          message: list.length
            ? `order ${orderId}: TikTok nets ${fmt(want)} of refunds, NetSuite credits ${fmt(sum)}`
            : `order ${orderId}: TikTok nets ${fmt(want)} of refunds and NetSuite has no credit for it`,
        });
      }
    }
  }
  const rounding = stmt.settlement - parts;
  if (rounding !== 0n)
    findings.push({
      kind: 'statement_parts_differ',
      amount: fmt(rounding),
      message: `statement ${stmt.id}: its transactions add up to ${fmt(parts)}, TikTok states ${fmt(stmt.settlement)}; the difference is on the variance line`,
    });

  const booked = await s.finance.entryOf(shopId, stmt.id);
  const model = s.settings.model;
  if (model === 'journal_entry' && !booked.entryId)
    findings.push({ kind: 'entry_not_booked', message: `statement ${stmt.id} has no journal entry yet` });

  const payout = await payoutOf(s, shopId, stmt, findings);
  // The refund category is what TikTok nets; what NetSuite credits is in ordersInNetSuite.
  // settlement = sales orders - credits + fees + shipping + adjustments + rounding + unexplained,
  // where unexplained is the sum of the findings' amounts (what differs order by order).
  const identity =
    soSum - creditSum + groups.fee + groups.shipping + groups.adjustment + rounding + unexplained;
  if (identity !== stmt.settlement)
    findings.push({
      kind: 'statement_parts_differ',
      amount: fmt(stmt.settlement - identity),
      message: `statement ${stmt.id}: the tie-out's categories add up to ${fmt(identity)}, not ${fmt(stmt.settlement)}`,
    });
  return {
    shopId,
    statementId: stmt.id,
    statementTime: stmt.statementTime,
    currency: cur,
    settlement: fmt(stmt.settlement),
    orders,
    refunds,
    entry: { model, id: booked.entryId },
    payout,
    variance: {
      ordersInNetSuite: fmt(soSum),
      fees: fmt(groups.fee),
      shipping: fmt(groups.shipping),
      refunds: fmt(-creditSum),
      adjustments: fmt(groups.adjustment),
      reserves: fmt(stmt.reserve),
      rounding: fmt(rounding),
      unexplained: fmt(unexplained),
    },
    unexplainedMinor: Number(unexplained),
    findings,
    computedAt: new Date().toISOString(),
  };
}

async function payoutOf(
  s: SettlementServices,
  shopId: string,
  stmt: SettledStatement,
  findings: Finding[],
): Promise<TieOut['payout']> {
  const none = {
    paymentId: stmt.paymentId ?? null,
    status: stmt.paymentStatus ?? null,
    matched: false,
    depositId: null,
    statements: [],
    amount: null,
    payoutCurrency: null,
    beforeExchange: null,
    exchangeRate: null,
    atRate: null,
    rounding: '0',
  };
  if (!stmt.paymentId) return none;
  const pay = await s.finance.payment(shopId, stmt.paymentId);
  if (!pay) return none;
  const fmt = (minor: bigint, currency: string) => formatMoney({ minor, currency });
  const statements = await s.finance.statementsOfPayment(shopId, pay.id);
  const paid = statements.reduce((t, x) => t + x.settlement, 0n);
  let matched = pay.status === 'PAID' && paid === pay.settlement;
  if (paid !== pay.settlement)
    findings.push({
      kind: 'payout_statements_differ',
      amount: fmt(pay.settlement - paid, pay.currency),
      message: `payment ${pay.id} settles ${fmt(pay.settlement, pay.currency)}, its statements add up to ${fmt(paid, pay.currency)}`,
    });
  if (pay.status === 'PAID' && !pay.depositId) {
    matched = false;
    findings.push({
      kind: 'payout_not_booked',
      message: `payment ${pay.id} is paid and has no deposit in NetSuite yet`,
    });
  }
  if (pay.depositId) {
    const eid = financeExternalId(s.mappings.externalIdPrefix, shopId, 'pay', pay.id);
    const total = await depositTotal(s, eid, pay.currency);
    if (total !== pay.beforeExchange) {
      matched = false;
      findings.push({
        kind: 'deposit_amount_differs',
        message: `deposit ${pay.depositId} of payment ${pay.id} is ${total === undefined ? 'missing' : fmt(total, pay.currency)}, the payout before exchange is ${fmt(pay.beforeExchange, pay.currency)}`,
      });
    }
  }
  const { atRate, rounding } = exchangeParts(
    pay.beforeExchange,
    pay.amount,
    pay.exchangeRate,
    pay.currency,
    pay.payoutCurrency,
  );
  return {
    paymentId: pay.id,
    status: pay.status,
    matched,
    depositId: pay.depositId,
    statements: statements.map((x) => x.id),
    amount: fmt(pay.amount, pay.payoutCurrency),
    payoutCurrency: pay.payoutCurrency,
    beforeExchange: fmt(pay.beforeExchange, pay.currency),
    exchangeRate: pay.exchangeRate,
    atRate: fmt(atRate, pay.payoutCurrency),
    rounding: fmt(rounding, pay.payoutCurrency),
  };
}

/**
 * A payout's exchange: the amount before exchange converted exactly at TikTok's rate (half up, in
 * the payout currency's minor units), and the rounding TikTok applied to reach `amount`.
 */
export function exchangeParts(
  before: bigint,
  amount: bigint,
  rate: string,
  from: string,
  to: string,
): { atRate: bigint; rounding: bigint } {
  const [whole = '0', frac = ''] = rate.split('.');
  const scale = 10n ** BigInt(frac.length);
  const r = BigInt(`${whole}${frac}`);
  const toUnit = parseMoney('1', to).minor;
  const fromUnit = parseMoney('1', from).minor;
  const num = before * r * toUnit;
  const den = scale * fromUnit;
  const atRate = (2n * num + (num >= 0n ? den : -den)) / (2n * den);
  return { atRate, rounding: amount - atRate };
}
