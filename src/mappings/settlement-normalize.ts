/**
 * TikTok statements, their transactions and payments (API reference section 8, 202309 flat and
 * 202501 nested) -> the canonical SettledStatement / SettledPayment of domain/settlement.ts.
 * Amounts become signed minor units in the statement's currency, 202309's convention: money to the
 * seller positive, deductions negative. Which key goes to which group: settlement-keys.ts.
 * A transaction whose parts do not add up to its settlement is kept as it is (the entry plan books
 * the difference on the variance line, the tie-out reports it); only a 202501 statement that is off
 * by exactly twice its fees and shipping costs is refused: the `amounts202501` reading is wrong.
 */
import type {
  Payment,
  Statement,
  StatementTransactions202501,
  Transaction202309,
  Transaction202501,
} from '../connectors/tiktok-shop/index.ts';
import type { SettledPayment, SettledStatement, SettledTransaction } from '../domain/settlement.ts';
import { AppError } from '../shared/errors.ts';
import { formatMoney } from '../shared/money.ts';
import { isAmountField, keyOf, RENAMED_202501 } from './settlement-keys.ts';
import {
  adjustmentTx,
  amountOf,
  checkCurrency,
  invalid,
  Parts,
  reserveTx,
  statementOf,
} from './settlement-parts.ts';

export type Amounts202501 = 'signed' | 'magnitudes';

// ---------------------------------------------------------------------------------------- 202309

function order202309(tx: Transaction202309, id: string, currency: string, where: string): SettledTransaction {
  const parts = new Parts();
  for (const [field, value] of Object.entries(tx)) {
    if (value === undefined || value === null || !isAmountField(field, value)) continue;
    parts.add(keyOf(field), amountOf(value, currency, `${where}.${field}`));
  }
  return {
    id,
    kind: 'order',
    type: 'ORDER',
    orderId: tx.order_id,
    settlement: amountOf(tx.settlement_amount, currency, `${where}.settlement_amount`),
    components: parts.sorted(),
    info: parts.info,
  };
}

function tx202309(tx: Transaction202309, index: number, s: Statement): SettledTransaction {
  const id = tx.id ?? tx.adjustment_id ?? tx.order_id ?? `${s.id}-${index}`;
  const where = `statement ${s.id} transaction ${id}`;
  checkCurrency(tx.currency, s.currency, where);
  const type = tx.type ?? (tx.adjustment_id ? 'OTHER_ADJUSTMENT' : 'ORDER');
  if (type === 'ORDER') return order202309(tx, id, s.currency, where);
  if (type === 'RESERVE') return reserveTx(tx, id, s.currency, where);
  return adjustmentTx(tx, id, type, s.currency, where);
}

/** A statement read with the 202309 transactions API (flat fields); its reserve is 0 (see the payment). */
export function normalizeStatement202309(
  shopId: string,
  statement: Statement,
  txs: Transaction202309[],
): SettledStatement {
  const settlement = amountOf(
    statement.settlement_amount,
    statement.currency,
    `statement ${statement.id}.settlement_amount`,
  );
  const transactions = txs.map((tx, i) => tx202309(tx, i, statement));
  return statementOf(shopId, statement, settlement, 0n, transactions);
}

// ---------------------------------------------------------------------------------------- 202501

interface BreakdownRead {
  parts: Parts;
  currency: string;
  where: string;
  /** Negate (fee/cost magnitudes read as deductions). */
  negate: boolean;
  /** Counts toward the sign check. */
  flippable: boolean;
}

const canonical = (field: string): string => {
  const key = keyOf(field);
  return RENAMED_202501[key] ?? key;
};

/**
 * One breakdown object; nested objects (`supplementary_component`) are read the same way, except a
 * key the outer object already gave with the same amount is the same figure told twice: once.
 */
function readBreakdown(
  r: BreakdownRead,
  obj: Record<string, unknown>,
  path: string,
  seen?: Map<string, bigint>,
) {
  const here = new Map<string, bigint>();
  for (const [field, value] of Object.entries(obj)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'object' && !Array.isArray(value)) continue;
    if (!isAmountField(field, value)) continue;
    const raw = amountOf(value, r.currency, `${r.where}.${path}.${field}`);
    const amount = r.negate ? -raw : raw;
    const key = canonical(field);
    here.set(key, amount);
    if (seen?.get(key) === amount) continue;
    r.parts.add(key, amount, r.flippable);
  }
  for (const [field, value] of Object.entries(obj)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      readBreakdown(r, Object.fromEntries(Object.entries(value)), `${path}.${field}`, here);
    }
  }
}

const BREAKDOWNS_202501: Readonly<Record<string, boolean>> = {
  revenue_breakdown: false,
  shipping_cost_breakdown: true,
  fee_tax_breakdown: true,
  supplementary_component: false,
};
/** Totals that 202501 gives as magnitudes too. */
const FLIPPED_TOTALS = new Set(['shipping_cost_amount', 'fee_tax_amount']);

function order202501(tx: Transaction202501, currency: string, where: string, amounts: Amounts202501) {
  const parts = new Parts();
  const magnitudes = amounts === 'magnitudes';
  for (const [field, value] of Object.entries(tx)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'object' && !Array.isArray(value)) {
      const costs = BREAKDOWNS_202501[field] ?? false;
      const r = { parts, currency, where, negate: costs && magnitudes, flippable: costs };
      readBreakdown(r, Object.fromEntries(Object.entries(value)), field);
      continue;
    }
    if (!isAmountField(field, value)) continue;
    const raw = amountOf(value, currency, `${where}.${field}`);
    parts.add(canonical(field), magnitudes && FLIPPED_TOTALS.has(field) ? -raw : raw);
  }
  const tr: SettledTransaction = {
    id: tx.id,
    kind: 'order',
    type: tx.type,
    orderId: tx.order_id,
    settlement: amountOf(tx.settlement_amount, currency, `${where}.settlement_amount`),
    components: parts.sorted(),
    info: parts.info,
  };
  return { tx: tr, flippable: parts.flippable };
}

function tx202501(tx: Transaction202501, currency: string, statementId: string, amounts: Amounts202501) {
  const where = `statement ${statementId} transaction ${tx.id}`;
  if (tx.type === 'ORDER') return order202501(tx, currency, where, amounts);
  if (tx.type === 'RESERVE') return { tx: reserveTx(tx, tx.id, currency, where), flippable: 0n };
  return { tx: adjustmentTx(tx, tx.id, tx.type, currency, where), flippable: 0n };
}

const settling = (txs: SettledTransaction[]) =>
  txs
    .filter((t) => t.kind !== 'reserve')
    .flatMap((t) => t.components)
    .reduce((a, c) => a + c.amount, 0n);

function signCheck(
  shopId: string,
  s: Statement,
  sums: { settlement: bigint; parts: bigint; costs: bigint },
  amounts: Amounts202501,
) {
  const diff = sums.settlement - sums.parts;
  if (diff === 0n || sums.costs === 0n || diff !== -2n * sums.costs) return;
  const other = amounts === 'signed' ? 'magnitudes' : 'signed';
  const fmt = (minor: bigint) => formatMoney({ minor, currency: s.currency });
  throw new AppError(
    'settlement_sign_mismatch',
    `Statement ${s.id} of shop ${shopId} does not add up read with settlements.amounts202501: ${amounts}: ` +
      `its parts sum to ${fmt(sums.parts)} ${s.currency} against a settlement of ${fmt(sums.settlement)}, off by ` +
      `exactly twice its fees and shipping costs (${fmt(sums.costs)}). TikTok returns them as ${other}: set ` +
      `settlements.amounts202501 to ${other}, restart and retry. Nothing was booked.`,
    {
      details: {
        shopId,
        statementId: s.id,
        setting: 'settlements.amounts202501',
        current: amounts,
        suggested: other,
        settlement: fmt(sums.settlement),
        parts: fmt(sums.parts),
        feesAndShipping: fmt(sums.costs),
      },
    },
  );
}

/**
 * A statement read with the 202501 transactions API: `header` is the first page (its totals),
 * `txs` every page's transactions. `amounts` is the `settlements.amounts202501` setting.
 */
export function normalizeStatement202501(
  shopId: string,
  statement: Statement,
  header202501: StatementTransactions202501,
  txs: Transaction202501[],
  amounts: Amounts202501,
): SettledStatement {
  const currency = statement.currency;
  checkCurrency(header202501.currency, currency, `statement ${statement.id} transactions`);
  const read = txs.map((tx) => tx202501(tx, currency, statement.id, amounts));
  const transactions = read.map((r) => r.tx);
  const where = `statement ${statement.id}`;
  const settlement = amountOf(
    header202501.total_settlement_amount,
    currency,
    `${where}.total_settlement_amount`,
  );
  const reserve =
    header202501.total_reserve_amount === undefined
      ? transactions
          .filter((t) => t.kind === 'reserve')
          .reduce((a, t) => a + (t.components[0]?.amount ?? 0n), 0n)
      : amountOf(header202501.total_reserve_amount, currency, `${where}.total_reserve_amount`);
  const costs = read.reduce((a, r) => a + r.flippable, 0n);
  signCheck(shopId, statement, { settlement, parts: settling(transactions), costs }, amounts);
  return statementOf(shopId, statement, settlement, reserve, transactions);
}

/** What a transaction's parts miss of its settlement (0 when it adds up; reserves always 0). */
export function transactionDifference(tx: SettledTransaction): bigint {
  if (tx.kind === 'reserve') return 0n;
  return tx.settlement - tx.components.reduce((a, c) => a + c.amount, 0n);
}

// ---------------------------------------------------------------------------------------- payment

/** A TikTok payment (bank transfer, section 8.2). Reserve, when absent, is what before-exchange leaves. */
export function normalizePayment(shopId: string, p: Payment): SettledPayment {
  const where = `payment ${p.id}`;
  const currency =
    p.settlement_amount?.currency ?? p.payment_amount_before_exchange?.currency ?? p.amount.currency;
  const money = (v: { value: string; currency: string } | undefined, field: string): bigint => {
    if (v) checkCurrency(v.currency, currency, `${where}.${field}`);
    return amountOf(v?.value, currency, `${where}.${field}`);
  };
  const settlement = money(p.settlement_amount, 'settlement_amount');
  const beforeExchange = money(p.payment_amount_before_exchange, 'payment_amount_before_exchange');
  const reserve = p.reserve_amount ? money(p.reserve_amount, 'reserve_amount') : beforeExchange - settlement;
  const sameCurrency = p.amount.currency.toUpperCase() === currency.toUpperCase();
  if (p.exchange_rate === undefined && !sameCurrency) {
    throw invalid(`${where} pays ${p.amount.currency} for ${currency} without an exchange_rate`, {
      field: 'exchange_rate',
    });
  }
  return {
    shopId,
    id: p.id,
    status: p.status,
    createTime: p.create_time,
    paidTime: p.paid_time,
    currency,
    settlement,
    reserve,
    beforeExchange,
    payoutCurrency: p.amount.currency,
    amount: amountOf(p.amount.value, p.amount.currency, `${where}.amount`),
    exchangeRate: p.exchange_rate ?? '1.000000',
  };
}
