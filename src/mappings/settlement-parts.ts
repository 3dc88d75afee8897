/**
 * Readers shared by the 202309 and 202501 normalisers (settlement-normalize.ts): amounts as minor
 * units (a decimal string or an error, never a guess), the parts of one transaction merged by key,
 * adjustment and reserve transactions, the canonical statement.
 */
import type { Statement } from '../connectors/tiktok-shop/index.ts';
import type {
  ComponentGroup,
  SettledStatement,
  SettledTransaction,
  StatementComponent,
} from '../domain/settlement.ts';
import { AppError } from '../shared/errors.ts';
import { parseMoney } from '../shared/money.ts';
import { groupOf } from './settlement-keys.ts';

const GROUP_ORDER: readonly ComponentGroup[] = [
  'sales',
  'refunds',
  'shipping',
  'fee',
  'adjustment',
  'reserve',
];

export function invalid(message: string, details: Record<string, unknown>): AppError {
  return new AppError('validation_failed', message, { details });
}

/** A decimal string on the wire -> minor units; anything else is refused, never guessed. */
export function amountOf(value: unknown, currency: string, field: string): bigint {
  if (typeof value !== 'string') {
    throw invalid(`${field} is ${JSON.stringify(value)}: an amount must be a decimal string`, { field });
  }
  return parseMoney(value, currency, field).minor;
}

/** The parts of one transaction as they are read, merged by key. */
export class Parts {
  readonly components = new Map<string, StatementComponent>();
  readonly info: Record<string, bigint> = {};
  /** Sum of the settling parts read from 202501's shipping and fee/tax breakdowns (the sign check). */
  flippable = 0n;

  add(key: string, amount: bigint, flippable = false): void {
    const group = groupOf(key);
    if (group === 'info') {
      this.info[key] = (this.info[key] ?? 0n) + amount;
      return;
    }
    if (flippable) this.flippable += amount;
    const prev = this.components.get(key);
    this.components.set(key, { key, group, amount: (prev?.amount ?? 0n) + amount });
  }

  sorted(): StatementComponent[] {
    return [...this.components.values()]
      .filter((c) => c.amount !== 0n)
      .sort((a, b) => GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group) || cmp(a.key, b.key));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** The order an adjustment or reserve relates to. */
export function relatedOrder(tx: Record<string, unknown>): string | undefined {
  return str(tx['adjustment_order_id']) ?? str(tx['associated_order_id']) ?? str(tx['order_id']);
}

export function adjustmentTx(
  tx: Record<string, unknown>,
  id: string,
  type: string,
  currency: string,
  where: string,
): SettledTransaction {
  const settlement = amountOf(tx['settlement_amount'], currency, `${where}.settlement_amount`);
  const raw = tx['adjustment_amount'];
  const amount =
    raw === undefined || raw === null ? settlement : amountOf(raw, currency, `${where}.adjustment_amount`);
  return {
    id,
    kind: 'adjustment',
    type,
    orderId: relatedOrder(tx),
    settlement,
    components: amount === 0n ? [] : [{ key: type, group: 'adjustment', amount }],
    info: {},
  };
}

export function reserveTx(
  tx: Record<string, unknown>,
  id: string,
  currency: string,
  where: string,
): SettledTransaction {
  const amount = amountOf(tx['reserve_amount'], currency, `${where}.reserve_amount`);
  return {
    id,
    kind: 'reserve',
    type: 'RESERVE',
    orderId: relatedOrder(tx),
    settlement: 0n,
    components: amount === 0n ? [] : [{ key: 'reserve', group: 'reserve', amount }],
    info: {},
  };
}

export function checkCurrency(found: string | undefined, currency: string, where: string): void {
  if (found !== undefined && found.toUpperCase() !== currency.toUpperCase()) {
    throw invalid(`${where} is in ${found}, its statement in ${currency}`, { found, currency });
  }
}

export function statementOf(
  shopId: string,
  s: Statement,
  settlement: bigint,
  reserve: bigint,
  txs: SettledTransaction[],
) {
  return {
    shopId,
    id: s.id,
    statementTime: s.statement_time,
    currency: s.currency,
    settlement,
    reserve,
    paymentId: s.payment_id,
    paymentStatus: s.payment_status,
    transactions: txs,
  } satisfies SettledStatement;
}
