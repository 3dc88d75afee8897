/**
 * Property tests of the settlement mapping: random statements (orders, refunds, fee keys known and
 * unknown, adjustments, reserves, 202309 flat or 202501 nested, signed or magnitudes, currencies
 * of 0, 2 and 3 decimals, amounts chosen to make rounding hurt) from a seeded PRNG. Each failing
 * case names its seed; PROPERTY_SEED=<n> runs that one alone.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SettlementAccounts } from '../config/settlement-settings.ts';
import {
  Payment,
  Statement,
  StatementTransactions202501,
  Transaction202309,
  Transaction202501,
} from '../connectors/tiktok-shop/index.ts';
import type { SettledStatement } from '../domain/settlement.ts';
import { isAppError } from '../shared/errors.ts';
import { formatMoney, parseMoney } from '../shared/money.ts';
import {
  type EntryContext,
  type JournalEntryPlan,
  planPaymentDeposit,
  planStatementEntry,
} from './settlement-entry.ts';
import {
  normalizePayment,
  normalizeStatement202309,
  normalizeStatement202501,
} from './settlement-normalize.ts';

// ------------------------------------------------------------------------------------------ PRNG

/** mulberry32: small, seeded, good enough to spread cases. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const chance = (p: number) => next() < p;
  /** Minor units, mostly awkward: single cents, repeating digits, large sums. */
  const minor = (): bigint => {
    const kind = int(0, 4);
    if (kind === 0) return BigInt(int(1, 9));
    if (kind === 1) return BigInt(pick([333, 3333, 33333, 6667, 9999, 99999, 101, 1001]));
    if (kind === 2) return BigInt(int(1, 99_999));
    if (kind === 3) return BigInt(int(1, 2_000_000_000)) * BigInt(int(1, 50));
    return BigInt(int(100, 5_000));
  };
  return { int, pick, chance, minor };
}
type Rng = ReturnType<typeof prng>;

// ---------------------------------------------------------------------------------- the model

/** Where each key sits in 202501 (API reference 8.4); the test's own table, not the code's. */
const SHIPPING_MAIN = [
  'actual_shipping_fee',
  'return_shipping_fee',
  'signature_confirmation_fee',
  'shipping_insurance_fee',
];
const SHIPPING_SUPP = [
  'platform_shipping_fee_discount',
  'promo_shipping_incentive',
  'shipping_fee_subsidy',
  'customer_shipping_fee_offset',
  'fbm_shipping_cost',
  'fbt_shipping_cost',
  'fbt_fulfillment_fee',
];
const FEES = [
  'platform_commission',
  'referral_fee',
  'transaction_fee',
  'refund_administration_fee',
  'affiliate_commission',
  'affiliate_partner_commission',
  'affiliate_ads_commission',
];
const ADJUSTMENTS = [
  'CHARGE_BACK',
  'PLATFORM_COMPENSATION',
  'SHIPPING_FEE_ADJUSTMENT',
  'PLATFORM_PENALTY',
  'OTHER_ADJUSTMENT',
];
const CURRENCIES = ['USD', 'GBP', 'JPY', 'KWD'];

interface Order {
  id: string;
  orderId: string;
  /** Canonical key -> signed minor units. */
  parts: Map<string, bigint>;
  info: Map<string, bigint>;
  /** What TikTok states the order settles (its parts, sometimes off). */
  settlement: bigint;
  /** 202501: tell fbt_fulfillment_fee_reimbursement twice (breakdown and its supplementary part). */
  twice: boolean;
}
interface Adjustment {
  id: string;
  type: string;
  amount: bigint;
}
interface Model {
  id: string;
  currency: string;
  time: number;
  orders: Order[];
  adjustments: Adjustment[];
  reserves: bigint[];
  settlement: bigint;
  /** Whether some stated settlement differs from its parts. */
  off: boolean;
}

const sum = (xs: Iterable<bigint>): bigint => {
  let t = 0n;
  for (const x of xs) t += x;
  return t;
};
const neg = (x: bigint) => -x;

function genOrder(r: Rng, i: number): Order {
  const parts = new Map<string, bigint>();
  const put = (k: string, v: bigint) => parts.set(k, (parts.get(k) ?? 0n) + v);
  const refund = r.chance(0.3);
  if (!refund || r.chance(0.3)) {
    put('gross_sales', r.minor());
    if (r.chance(0.5)) put('seller_discount', -r.minor());
    if (r.chance(0.5)) put('customer_paid_shipping_fee', r.minor());
  }
  if (refund) {
    put('gross_sales_refund', -r.minor());
    if (r.chance(0.5)) put('seller_discount_refund', r.minor());
    if (r.chance(0.5)) put('customer_paid_shipping_fee_refund', -r.minor());
  }
  for (let n = r.int(0, 3); n > 0; n--)
    put(r.pick([...SHIPPING_MAIN, ...SHIPPING_SUPP]), r.chance(0.8) ? -r.minor() : r.minor());
  for (let n = r.int(0, 4); n > 0; n--)
    put(r.pick([...FEES, 'pit', 'mystery_fee_1', 'mystery_fee_2']), r.chance(0.85) ? -r.minor() : r.minor());
  const twice = r.chance(0.15);
  if (twice) put('fbt_fulfillment_fee_reimbursement', r.minor());
  const info = new Map<string, bigint>([['customer_payment', r.minor()]]);
  if (r.chance(0.5)) info.set('sales_tax', r.minor());
  if (r.chance(0.3)) info.set('platform_discount', r.minor());
  const off = r.chance(0.1) ? BigInt(r.int(1, 5)) * (r.chance(0.5) ? 1n : -1n) : 0n;
  const id = `71${String(i).padStart(8, '0')}`;
  return {
    id,
    orderId: `57${String(i).padStart(8, '0')}`,
    parts,
    info,
    settlement: sum(parts.values()) + off,
    twice,
  };
}

/** Fees and shipping of a statement as 202501 reads them (the sign check's figure). */
const costs = (m: Model) =>
  sum(m.orders.flatMap((o) => [...o.parts].filter(([k]) => !isRevenue(k)).map(([, v]) => v)));
const isRevenue = (k: string) =>
  ['gross_sales', 'seller_discount', 'gross_sales_refund', 'seller_discount_refund'].includes(k);
const partsOf = (m: Model) =>
  sum(m.orders.flatMap((o) => [...o.parts.values()])) + sum(m.adjustments.map((a) => a.amount));

function genModel(r: Rng, seed: number): Model {
  const orders = Array.from({ length: r.int(0, 5) }, (_, i) => genOrder(r, i));
  const adjustments = Array.from({ length: r.int(0, 3) }, (_, i) => ({
    id: `72${String(i).padStart(8, '0')}`,
    type: r.pick(ADJUSTMENTS),
    amount: r.chance(0.6) ? -r.minor() : r.minor(),
  }));
  const reserves = Array.from({ length: r.chance(0.3) ? r.int(1, 2) : 0 }, () =>
    r.chance(0.7) ? -r.minor() : r.minor(),
  );
  const m: Model = {
    id: `73${seed}`,
    currency: r.pick(CURRENCIES),
    time: 1_767_225_600 + 86_400 * r.int(0, 400),
    orders,
    adjustments,
    reserves,
    settlement: 0n,
    off: false,
  };
  let settlement = sum(orders.map((o) => o.settlement)) + sum(adjustments.map((a) => a.amount));
  if (r.chance(0.1)) settlement += BigInt(r.int(1, 7));
  // a difference of exactly twice the costs is the sign check's signal: never make one by chance
  if (settlement - partsOf(m) !== 0n && settlement - partsOf(m) === -2n * costs(m)) settlement += 1n;
  m.settlement = settlement;
  m.off = settlement !== partsOf(m);
  return m;
}

// -------------------------------------------------------------------------------- wire renderings

function renderStatement(m: Model): Statement {
  return Statement.parse({
    id: m.id,
    statement_time: m.time,
    currency: m.currency,
    settlement_amount: fmt(m, m.settlement),
    fee_amount: fmt(m, 0n),
    adjustment_amount: fmt(m, sum(m.adjustments.map((a) => a.amount))),
    payment_status: 'PAID',
    payment_id: `34${m.id}`,
  });
}

const fmt = (m: Model, minor: bigint) => formatMoney({ minor, currency: m.currency });

function render202309(m: Model, r: Rng): Transaction202309[] {
  const orders = m.orders.map((o) => {
    const flat: Record<string, unknown> = {
      id: o.id,
      type: 'ORDER',
      currency: m.currency,
      order_id: o.orderId,
    };
    flat['settlement_amount'] = fmt(m, o.settlement);
    for (const [k, v] of [...o.parts, ...o.info]) {
      // an unknown fee may come without `_amount`: still read, as a decimal string
      flat[k.startsWith('mystery') && r.chance(0.5) ? k : `${k}_amount`] = fmt(m, v);
    }
    return flat;
  });
  const adjustments = m.adjustments.map((a) => ({
    id: a.id,
    type: a.type,
    currency: m.currency,
    adjustment_id: a.id,
    settlement_amount: fmt(m, a.amount),
    adjustment_amount: fmt(m, a.amount),
  }));
  return [...orders, ...adjustments].map((t) => Transaction202309.parse(t));
}

const RENAMED: Record<string, string> = {
  gross_sales: 'subtotal_before_discount',
  gross_sales_refund: 'refund_subtotal_before_discount',
};

function order202501(m: Model, o: Order, magnitudes: boolean) {
  const cost = (v: bigint) => fmt(m, magnitudes ? neg(v) : v);
  const revenue: Record<string, string> = {};
  const shipping: Record<string, unknown> = {};
  const supp: Record<string, string> = {};
  const fee: Record<string, string> = {};
  const tax: Record<string, string> = {};
  for (const [k, v] of o.parts) {
    if (isRevenue(k)) revenue[`${RENAMED[k] ?? k}_amount`] = fmt(m, v);
    else if (k === 'customer_paid_shipping_fee_refund')
      supp['refunded_customer_shipping_fee_amount'] = cost(v);
    else if (SHIPPING_SUPP.includes(k)) supp[`${k}_amount`] = cost(v);
    else if (k === 'customer_paid_shipping_fee' || SHIPPING_MAIN.includes(k))
      shipping[`${k}_amount`] = cost(v);
    else if (k === 'fbt_fulfillment_fee_reimbursement') {
      shipping[`${k}_amount`] = cost(v);
      supp[`${k}_amount`] = cost(v);
    } else if (k === 'pit') tax['pit_amount'] = cost(v);
    else fee[`${k}_amount`] = cost(v);
  }
  return {
    id: o.id,
    type: 'ORDER',
    order_id: o.orderId,
    settlement_amount: fmt(m, o.settlement),
    revenue_breakdown: revenue,
    shipping_cost_breakdown: { ...shipping, supplementary_component: supp },
    fee_tax_breakdown: { fee, tax },
    supplementary_component: Object.fromEntries([...o.info].map(([k, v]) => [`${k}_amount`, fmt(m, v)])),
  };
}

function render202501(m: Model, magnitudes: boolean) {
  const txs = [
    ...m.orders.map((o) => order202501(m, o, magnitudes)),
    ...m.adjustments.map((a) => ({
      id: a.id,
      type: a.type,
      adjustment_id: a.id,
      settlement_amount: fmt(m, a.amount),
      adjustment_amount: fmt(m, a.amount),
    })),
    ...m.reserves.map((x, i) => ({
      id: `74${String(i).padStart(8, '0')}`,
      type: 'RESERVE',
      reserve_amount: fmt(m, x),
      settlement_amount: fmt(m, 0n),
    })),
  ].map((t) => Transaction202501.parse(t));
  const header = StatementTransactions202501.parse({
    id: m.id,
    currency: m.currency,
    total_settlement_amount: fmt(m, m.settlement),
    total_reserve_amount: fmt(m, sum(m.reserves)),
    total_settlement_breakdown: {},
    transactions: txs,
  });
  return { header, txs };
}

// ---------------------------------------------------------------------------------- properties

/** The planned bodies as the NetSuite sandbox would read them: amounts are decimal strings. */
const JeBody = z.object({ line: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) });
const Items = z.object({ items: z.array(z.object({ amount: z.string() })) }).default({ items: [] });
const DepositBody = z.object({ other: Items, cashback: Items });

function context(m: Model, applyPayments: boolean, reserve?: bigint): EntryContext {
  const keys = m.orders.flatMap((o) => [...o.parts.keys()]);
  const ref = (k: string) => ({ externalId: `GL-${k}` });
  return {
    accounts: SettlementAccounts.parse({
      clearing: 1101,
      bank: 1000,
      sales: 4000,
      refunds: 4010,
      fees: Object.fromEntries(keys.map((k) => [k, ref(k)])),
      shipping: Object.fromEntries(keys.map((k) => [k, ref(k)])),
      adjustments: { CHARGE_BACK: 6300, default: 6390 },
      reserve: 1150,
      variance: 6999,
    }),
    currency: { id: m.currency },
    externalIdPrefix: 'tiksuite',
    applyPayments,
    reserveFromPayment: reserve,
  };
}

/** The body's own text balances, and the plan's figures keep the identities of the brief. */
function checkEntry(m: Model, s: SettledStatement, p: JournalEntryPlan, reserve: bigint): void {
  const parse = (v: unknown) => parseMoney(String(v), m.currency).minor;
  const items = JeBody.parse(p.body).line.items;
  const debit = sum(items.filter((l) => 'debit' in l).map((l) => parse(l['debit'])));
  const credit = sum(items.filter((l) => 'credit' in l).map((l) => parse(l['credit'])));
  expect(debit).toBe(credit);
  expect(p.totals).toEqual({ debit, credit });
  expect(sum(Object.values(p.byGroup))).toBe(0n);
  expect(p.byGroup.clearing).toBe(-(m.settlement + reserve));
  expect(p.variance).toBe(m.settlement - partsOf(m));
  expect(p.byGroup.variance).toBe(p.variance);
  expect(p.byGroup.reserve).toBe(reserve);
  const seen = p.lines.map((l) => `${l.group}/${l.key}`);
  expect(new Set(seen).size).toBe(seen.length);
  expect(p.lines.every((l) => l.amount !== 0n)).toBe(true);
  expect(s.transactions.filter((t) => t.kind !== 'reserve').length).toBe(
    m.orders.length + m.adjustments.length,
  );
}

const comparable = (s: SettledStatement) =>
  s.transactions
    .filter((t) => t.kind !== 'reserve')
    .map(({ id, kind, type, settlement, components }) => ({ id, kind, type, settlement, components }));

function property(seed: number): void {
  const r = prng(seed);
  const m = genModel(r, seed);
  const magnitudes = r.chance(0.5);
  const applyPayments = r.chance(0.3);
  const stmt = renderStatement(m);
  const s309 = normalizeStatement202309('shop1', stmt, render202309(m, r));
  const { header, txs } = render202501(m, magnitudes);
  const s501 = normalizeStatement202501('shop1', stmt, header, txs, magnitudes ? 'magnitudes' : 'signed');
  expect(comparable(s501)).toEqual(comparable(s309));
  expect(s501.reserve).toBe(sum(m.reserves));

  const reserve = sum(m.reserves);
  const e501 = planStatementEntry(s501, context(m, applyPayments));
  checkEntry(m, s501, e501, reserve);
  const e309 = planStatementEntry(s309, context(m, applyPayments, reserve));
  expect(e309).toEqual(e501);

  checkDeposit(m, s501, r, applyPayments);
  checkWrongReading(m, stmt, header, txs, magnitudes);
  checkMissingAccount(m, s501, r);
}

function checkDeposit(m: Model, s: SettledStatement, r: Rng, applyPayments: boolean): void {
  const reserve = r.chance(0.5) ? -r.minor() : 0n;
  const before = m.settlement + reserve + (r.chance(0.1) ? 1n : 0n);
  const v = (x: bigint) => ({ value: fmt(m, x), currency: m.currency });
  const payment = normalizePayment(
    'shop1',
    Payment.parse({
      id: `34${m.id}`,
      status: 'PAID',
      create_time: m.time,
      amount: v(before),
      settlement_amount: v(m.settlement),
      reserve_amount: v(reserve),
      payment_amount_before_exchange: v(before),
      exchange_rate: '1.000000',
    }),
  );
  const d = planPaymentDeposit(payment, [s], context(m, applyPayments));
  if (before <= 0n) {
    expect(d).toBeNull();
    return;
  }
  const body = DepositBody.parse(d!.body);
  const text = (items: Array<{ amount: string }>) =>
    sum(items.map((i) => parseMoney(i.amount, m.currency).minor));
  expect(text(body.other.items) - text(body.cashback.items)).toBe(before);
  expect(sum(Object.values(d!.byGroup))).toBe(before);
  expect(d!.variance).toBe(before - partsOf(m) - reserve);
}

/** Data of one sign read with the other: refused by name whenever fees and costs are not zero. */
function checkWrongReading(
  m: Model,
  stmt: Statement,
  header: StatementTransactions202501,
  txs: Transaction202501[],
  magnitudes: boolean,
): void {
  const wrong = magnitudes ? 'signed' : 'magnitudes';
  const read = () => normalizeStatement202501('shop1', stmt, header, txs, wrong);
  if (m.off || costs(m) === 0n) return;
  expect(read).toThrow(expect.objectContaining({ code: 'settlement_sign_mismatch' }));
}

/** An account removed: the error names that key (and only keys without an account). */
function checkMissingAccount(m: Model, s: SettledStatement, r: Rng): void {
  const ctx = context(m, false);
  const fees = Object.keys(ctx.accounts.fees).filter((k) =>
    s.transactions.some((t) => t.components.some((c) => c.key === k && c.group === 'fee')),
  );
  if (fees.length === 0) return;
  const gone = r.pick(fees);
  const rest = Object.fromEntries(Object.entries(ctx.accounts.fees).filter(([k]) => k !== gone));
  try {
    planStatementEntry(s, { ...ctx, accounts: { ...ctx.accounts, fees: rest } });
  } catch (err) {
    if (!isAppError(err)) throw err;
    expect(err.code).toBe('settlement_account_missing');
    expect(err.details['keys']).toEqual([gone]);
    expect(err.message).toContain(`settlements.accounts.fees.${gone}`);
    return;
  }
  // the key's sum over the statement may be 0 (a fee and its reversal): then it has no line
  const total = sum(
    s.transactions.flatMap((t) => t.components.filter((c) => c.key === gone).map((c) => c.amount)),
  );
  expect(total).toBe(0n);
}

const ONE = process.env['PROPERTY_SEED'];
const SEEDS = ONE ? [Number(ONE)] : Array.from({ length: 400 }, (_, i) => 1000 + i * 7919);

describe('settlement mapping properties', () => {
  it(`holds for ${SEEDS.length} random statements`, () => {
    for (const seed of SEEDS) {
      try {
        property(seed);
      } catch (err) {
        throw new Error(`seed ${seed} (rerun alone with PROPERTY_SEED=${seed}): ${String(err)}`, {
          cause: err,
        });
      }
    }
  });
});
