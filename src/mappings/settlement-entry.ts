/**
 * A canonical statement or payment (domain/settlement.ts) -> the NetSuite body that books it
 * (NetSuite reference 7.10 deposit, 7.11 journalEntry; accounting reference 3.3 items 3, 4 and 9).
 * Pure: the flow looks up the accounts and currencies, writes the bodies and ties them out.
 *
 * `journal_entry` model: one journal entry per statement, one line per (group, key) summed over its
 * transactions (every fee key on its own account, never lumped), a reserve line, a variance line
 * for what the parts miss of the settlement, and the clearing line (the payable amount); then one
 * deposit per payout from clearing to the bank. `deposit` model: one deposit per payment that
 * equals the payout, its parts as other-deposit (positive) and cash-back (negative) lines.
 */
import type { SettledPayment, SettledStatement } from '../domain/settlement.ts';
import { AppError } from '../shared/errors.ts';
import {
  assertBalanced,
  byGroupOf,
  componentSums,
  type EntryContext,
  fmt,
  isRateOne,
  type LineGroup,
  type LineSpec,
  type PlannedLine,
  resolveLines,
  total,
  utcDate,
} from './settlement-lines.ts';

export type { EntryContext, LineGroup, NsRef, PlannedLine } from './settlement-lines.ts';

export interface JournalEntryPlan {
  /** `<prefix>-<shopId>-stmt-<statementId>`: the upsert key. */
  externalId: string;
  /** The NetSuite journalEntry body (amounts as decimal strings). */
  body: Record<string, unknown>;
  /** Empty when nothing is to be booked (a statement of zeros). */
  lines: PlannedLine[];
  totals: { debit: bigint; credit: bigint };
  /** Settlement minus the sum of the transactions' parts (credit when positive). */
  variance: bigint;
  byGroup: Record<LineGroup, bigint>;
}

export interface DepositPlan {
  /** `<prefix>-<shopId>-pay-<paymentId>`: the upsert key. */
  externalId: string;
  /** The NetSuite deposit body. */
  body: Record<string, unknown>;
  /** + other deposit, - cash back. */
  lines: PlannedLine[];
  /** The deposit's total: the payment before exchange. */
  total: bigint;
  variance: bigint;
  byGroup: Record<LineGroup, bigint>;
}

const nonZero = (specs: LineSpec[]): LineSpec[] => specs.filter((s) => s.amount !== 0n);
const ref = <T>(name: string, v: T | undefined): Record<string, T> => (v === undefined ? {} : { [name]: v });

/** The journal entry of one statement. */
export function planStatementEntry(stmt: SettledStatement, ctx: EntryContext): JournalEntryPlan {
  const parts = componentSums(stmt.transactions);
  const reserve = ctx.reserveFromPayment ?? stmt.reserve;
  const variance = stmt.settlement - total(parts);
  const specs = nonZero([
    ...parts,
    { group: 'reserve', key: 'reserve', amount: reserve },
    { group: 'variance', key: 'variance', amount: variance },
    // the payable amount TikTok owes: debited to clearing (credited when the statement is negative)
    { group: 'clearing', key: 'clearing', amount: -(stmt.settlement + reserve) },
  ]);
  const label = `Statement ${stmt.id}`;
  const lines = resolveLines(specs, ctx, (s) => `${s.key} · statement ${stmt.id}`, {
    shopId: stmt.shopId,
    label,
  });
  const totals = assertBalanced(lines, label);
  const externalId = `${ctx.externalIdPrefix}-${stmt.shopId}-stmt-${stmt.id}`;
  const body = {
    externalId,
    ...ref('subsidiary', ctx.subsidiary),
    ...ref('currency', ctx.currency),
    ...ref('exchangeRate', ctx.exchangeRate),
    tranDate: utcDate(stmt.statementTime),
    memo: `TikTok statement ${stmt.id} · shop ${stmt.shopId}`,
    line: {
      items: lines.map((l) => ({
        account: l.account,
        [l.amount < 0n ? 'debit' : 'credit']: fmt(l.amount < 0n ? -l.amount : l.amount, stmt.currency),
        memo: l.memo,
      })),
    },
  };
  return { externalId, body, lines, totals, variance, byGroup: byGroupOf(lines) };
}

function depositHead(payment: SettledPayment, statementIds: readonly string[], ctx: EntryContext) {
  const rate =
    !isRateOne(payment.exchangeRate) || ctx.exchangeRate !== undefined ? payment.exchangeRate : undefined;
  const externalId = `${ctx.externalIdPrefix}-${payment.shopId}-pay-${payment.id}`;
  const head = {
    externalId,
    ...ref('account', ctx.accounts.bank),
    ...ref('subsidiary', ctx.subsidiary),
    ...ref('currency', ctx.currency),
    ...ref('exchangeRate', rate),
    tranDate: utcDate(payment.paidTime ?? payment.createTime),
    memo: `TikTok payout ${payment.id} · shop ${payment.shopId} · statements ${statementIds.join(', ') || 'none'}`,
  };
  const bankMissing = ctx.accounts.bank ? [] : [{ key: 'bank', path: 'settlements.accounts.bank' }];
  return { externalId, head, bankMissing };
}

const depositItem = (l: PlannedLine, currency: string) => ({
  account: l.account,
  amount: fmt(l.amount < 0n ? -l.amount : l.amount, currency),
  memo: l.memo,
});

/**
 * `journal_entry` model: the payout as a deposit from the clearing account into the bank. TikTok
 * pays nothing for a payment at or below zero: null, nothing to deposit.
 */
export function planPayoutDeposit(
  payment: SettledPayment,
  statementIds: readonly string[],
  ctx: EntryContext,
): DepositPlan | null {
  if (payment.beforeExchange <= 0n) return null;
  const { externalId, head, bankMissing } = depositHead(payment, statementIds, ctx);
  const specs: LineSpec[] = [{ group: 'clearing', key: 'clearing', amount: payment.beforeExchange }];
  const what = { shopId: payment.shopId, label: `Payment ${payment.id}` };
  const lines = resolveLines(specs, ctx, (s) => `${s.key} · payment ${payment.id}`, what, bankMissing);
  const body = { ...head, other: { items: lines.map((l) => depositItem(l, payment.currency)) } };
  return { externalId, body, lines, total: payment.beforeExchange, variance: 0n, byGroup: byGroupOf(lines) };
}

/**
 * `deposit` model: one deposit per payment that equals the payout, from the parts of its statements:
 * positive sums as other-deposit lines, negative ones as cash-back lines, the payment's reserve, and
 * a variance line for what the parts miss of the amount paid. Null when TikTok pays nothing.
 */
export function planPaymentDeposit(
  payment: SettledPayment,
  statements: readonly SettledStatement[],
  ctx: EntryContext,
): DepositPlan | null {
  if (payment.beforeExchange <= 0n) return null;
  for (const s of statements) {
    if (s.currency.toUpperCase() !== payment.currency.toUpperCase()) {
      throw new AppError(
        'validation_failed',
        `Statement ${s.id} is in ${s.currency}, its payment ${payment.id} in ${payment.currency}`,
        {
          details: { statementId: s.id, paymentId: payment.id },
        },
      );
    }
  }
  const { externalId, head, bankMissing } = depositHead(
    payment,
    statements.map((s) => s.id),
    ctx,
  );
  const parts = componentSums(statements.flatMap((s) => s.transactions));
  const variance = payment.beforeExchange - total(parts) - payment.reserve;
  const specs = nonZero([
    ...parts,
    { group: 'reserve', key: 'reserve', amount: payment.reserve },
    { group: 'variance', key: 'variance', amount: variance },
  ]);
  const what = { shopId: payment.shopId, label: `Payment ${payment.id}` };
  const lines = resolveLines(specs, ctx, (s) => `${s.key} · payment ${payment.id}`, what, bankMissing);
  if (total(lines) !== payment.beforeExchange) {
    throw new AppError(
      'internal',
      `Payment ${payment.id}: deposit lines ${total(lines)} differ from ${payment.beforeExchange}`,
    );
  }
  const other = lines.filter((l) => l.amount > 0n).map((l) => depositItem(l, payment.currency));
  const cashback = lines.filter((l) => l.amount < 0n).map((l) => depositItem(l, payment.currency));
  const body = {
    ...head,
    ...(other.length > 0 ? { other: { items: other } } : {}),
    ...(cashback.length > 0 ? { cashback: { items: cashback } } : {}),
  };
  return { externalId, body, lines, total: payment.beforeExchange, variance, byGroup: byGroupOf(lines) };
}
