/**
 * Shared by the statement journal entry and the payment deposit (settlement-entry.ts): the sums of
 * a statement's parts per (group, key), the GL account of each, and the one error that lists every
 * key without an account. Pure: no I/O.
 */
import type { NsRefSetting } from '../config/order-settings.ts';
import type { SettlementAccounts } from '../config/settlement-settings.ts';
import type { ComponentGroup, SettledTransaction } from '../domain/settlement.ts';
import { AppError } from '../shared/errors.ts';
import { formatMoney } from '../shared/money.ts';

/** A NetSuite record reference as the config gives it: `{ id }` or `{ externalId }`. */
export type NsRef = NsRefSetting;

export type LineGroup = ComponentGroup | 'variance' | 'clearing';

export interface EntryContext {
  accounts: SettlementAccounts;
  subsidiary?: NsRef | undefined;
  /** The statement currency's NetSuite currency record. */
  currency?: NsRef | undefined;
  /** The payment's exchange rate, only when the statement currency is not the subsidiary's. */
  exchangeRate?: string | undefined;
  /** First part of every external id, e.g. `tiksuite`. */
  externalIdPrefix: string;
  /** Customer payments are applied from the clearing account: the sales side posts to clearing. */
  applyPayments: boolean;
  /** The reserve of the statement's payment, for statements read with 202309 (no reserve of their own). */
  reserveFromPayment?: bigint | undefined;
}

export interface PlannedLine {
  account: NsRef;
  group: LineGroup;
  key: string;
  /** Signed minor units: + credit, - debit (deposits: + other deposit, - cash back). */
  amount: bigint;
  memo: string;
}

export interface LineSpec {
  group: LineGroup;
  key: string;
  amount: bigint;
}

const ORDER: readonly LineGroup[] = [
  'sales',
  'refunds',
  'shipping',
  'fee',
  'adjustment',
  'reserve',
  'variance',
  'clearing',
];

/** One spec per (group, key) summed over the transactions, reserves left out; zero sums dropped. */
export function componentSums(transactions: readonly SettledTransaction[]): LineSpec[] {
  const sums = new Map<string, LineSpec>();
  for (const tx of transactions) {
    if (tx.kind === 'reserve') continue;
    for (const c of tx.components) {
      if (c.group === 'reserve') continue;
      const id = `${c.group}\u0000${c.key}`;
      const prev = sums.get(id);
      sums.set(id, { group: c.group, key: c.key, amount: (prev?.amount ?? 0n) + c.amount });
    }
  }
  return [...sums.values()]
    .filter((s) => s.amount !== 0n)
    .sort(
      (a, b) =>
        ORDER.indexOf(a.group) - ORDER.indexOf(b.group) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
}

export const total = (specs: readonly { amount: bigint }[]): bigint =>
  specs.reduce((a, s) => a + s.amount, 0n);

/** The account of a line, or the config path that would name it. */
function accountOf(spec: LineSpec, ctx: EntryContext): { ref: NsRef | undefined; path: string } {
  const a = ctx.accounts;
  const p = 'settlements.accounts';
  const sales = ctx.applyPayments
    ? { ref: a.clearing, path: `${p}.clearing` }
    : { ref: a.sales, path: `${p}.sales` };
  switch (spec.group) {
    case 'sales':
      return sales;
    case 'refunds':
      return a.refunds ? { ref: a.refunds, path: `${p}.refunds` } : { ref: sales.ref, path: `${p}.refunds` };
    case 'fee':
      return { ref: a.fees[spec.key], path: `${p}.fees.${spec.key}` };
    case 'shipping':
      return { ref: a.shipping[spec.key], path: `${p}.shipping.${spec.key}` };
    case 'adjustment': {
      const own = a.adjustments[spec.key];
      return own
        ? { ref: own, path: '' }
        : { ref: a.adjustments['default'], path: `${p}.adjustments.${spec.key}` };
    }
    case 'reserve':
      return { ref: a.reserve, path: `${p}.reserve` };
    case 'variance':
      return { ref: a.variance, path: `${p}.variance` };
    case 'clearing':
      return { ref: a.clearing, path: `${p}.clearing` };
  }
}

/**
 * The accounts of every line; throws one `settlement_account_missing` naming every key without an
 * account and the exact path to add (`settlements.accounts.fees.live_specials_fee`).
 */
export function resolveLines(
  specs: readonly LineSpec[],
  ctx: EntryContext,
  memo: (spec: LineSpec) => string,
  what: { shopId: string; label: string },
  extra: ReadonlyArray<{ key: string; path: string }> = [],
): PlannedLine[] {
  const missing: Array<{ key: string; path: string }> = [...extra];
  const lines: PlannedLine[] = [];
  for (const spec of specs) {
    const { ref, path } = accountOf(spec, ctx);
    if (ref)
      lines.push({ account: ref, group: spec.group, key: spec.key, amount: spec.amount, memo: memo(spec) });
    else missing.push({ key: spec.key, path });
  }
  if (missing.length > 0) throw accountMissing(missing, what);
  return lines;
}

function accountMissing(
  missing: Array<{ key: string; path: string }>,
  what: { shopId: string; label: string },
) {
  const or = (path: string) =>
    path.includes('.adjustments.') ? ` or ${path.replace(/[^.]+$/, 'default')}` : '';
  const list = missing.map((m) => `${m.key} (add ${m.path}${or(m.path)})`).join(', ');
  return new AppError(
    'settlement_account_missing',
    `${what.label} of shop ${what.shopId} cannot be booked: no NetSuite account for ${list}. Add each to ` +
      `tiksuite.yaml (or under settlements.shops.${what.shopId}.accounts for this shop alone), restart, then ` +
      `retry. Nothing was booked.`,
    { details: { shopId: what.shopId, keys: missing.map((m) => m.key), paths: missing.map((m) => m.path) } },
  );
}

/** Sums of the lines by group (every group present, 0 when it has no line). */
export function byGroupOf(lines: readonly PlannedLine[]): Record<LineGroup, bigint> {
  const out: Record<LineGroup, bigint> = {
    sales: 0n,
    refunds: 0n,
    shipping: 0n,
    fee: 0n,
    adjustment: 0n,
    reserve: 0n,
    variance: 0n,
    clearing: 0n,
  };
  for (const l of lines) out[l.group] += l.amount;
  return out;
}

/** Debits equal credits to the cent, by construction; anything else is a bug. */
export function assertBalanced(
  lines: readonly PlannedLine[],
  label: string,
): { debit: bigint; credit: bigint } {
  let debit = 0n;
  let credit = 0n;
  for (const l of lines) {
    if (l.amount < 0n) debit -= l.amount;
    else credit += l.amount;
  }
  if (debit !== credit) {
    throw new AppError('internal', `${label}: planned debits ${debit} and credits ${credit} differ`, {
      details: { debit: String(debit), credit: String(credit) },
    });
  }
  return { debit, credit };
}

export const fmt = (minor: bigint, currency: string): string => formatMoney({ minor, currency });

/** 'YYYY-MM-DD' of a Unix time, in UTC. */
export const utcDate = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 10);

/** Whether TikTok's six-decimal rate is 1. */
export const isRateOne = (rate: string): boolean => /^0*1(\.0*)?$/.test(rate.trim());
