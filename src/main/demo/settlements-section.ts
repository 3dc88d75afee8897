/**
 * The lifecycle summary's `settlements` section, counted from the two sandboxes' own state (and the
 * tie-out TikSuite computes): every statement TikTok published booked once in NetSuite as TikTok
 * now states it (the clearing line equal to its payable amount), every entry balanced, every paid
 * payout deposited for its amount, and the tie-out with nothing unmatched or unexplained.
 */

import { decMinor } from '../../connectors/netsuite/sandbox/records/money.ts';
import type { StoredRecord } from '../../connectors/netsuite/sandbox/store.ts';
import type { Statement } from '../../connectors/tiktok-shop/sandbox/model-finance.ts';
import { paymentAmounts, paymentStatus } from '../../connectors/tiktok-shop/sandbox/payouts.ts';
import { statementPayable, statementTotals } from '../../connectors/tiktok-shop/sandbox/settlement.ts';
import { financeExternalId, type Reconciliation, reconcile } from '../../flows/settlements/index.ts';
import { currencyExponent, formatMoney } from '../../shared/money.ts';
import type { DemoEnv } from './demo-env.ts';
import type { SettlementsPlay } from './lifecycle-settlements.ts';

export interface SettlementsSection {
  statements: number;
  /** Statements whose settlement is below zero (refunds and chargebacks beyond the day's sales). */
  negativeStatements: number;
  currencies: string[];
  /** Statements with their journal entry in NetSuite, up to date with TikTok's latest figures. */
  booked: number;
  /** Journal entries whose debits differ from their credits. */
  unbalancedEntries: number;
  republished: number;
  adjustments: number;
  lateRefunds: number;
  /** Reserves withheld and released, per currency. */
  reserves: Record<string, { withheld: string; released: string }>;
  payouts: number;
  paid: number;
  /** Paid payouts with a NetSuite deposit of exactly their amount before exchange. */
  payoutsMatched: number;
  tieOut: { ordersMatched: number; unmatched: number; unexplainedCents: number; findings: number };
  examples: { findings: string[] };
}

/**
 * The JE's clearing line as a net debit (minor units of the statement currency): the line the entry
 * plan names `clearing` (the refunds line may post to the same account, so the account alone does
 * not tell it).
 */
export function entryClearing(je: StoredRecord, currency: string): bigint {
  const exp = currencyExponent(currency);
  let net = 0n;
  for (const l of je.lines['line'] ?? []) {
    if (typeof l['memo'] !== 'string' || !l['memo'].startsWith('clearing ')) continue;
    net += decMinor(l['debit'], exp) - decMinor(l['credit'], exp);
  }
  return net;
}

/**
 * What a statement's entry must carry on the clearing line: its payable amount; read with 202309,
 * whose statements do not list reserves, the reserves are booked with the payout instead.
 */
export function entryPayable(env: DemoEnv, s: Statement): bigint {
  return env.config.settlements.transactionsVersion === '202501'
    ? statementPayable(s)
    : statementTotals(s).settlement;
}

function balanced(je: StoredRecord, currency: string): boolean {
  const exp = currencyExponent(currency);
  let d = 0n;
  let c = 0n;
  for (const l of je.lines['line'] ?? []) {
    d += decMinor(l['debit'], exp);
    c += decMinor(l['credit'], exp);
  }
  return d === c;
}

/** `rec`: a tie-out already computed (a bench times `reconcile` itself); else it is run here. */
export async function settlementsSection(
  env: DemoEnv,
  play: SettlementsPlay,
  rec?: Reconciliation,
): Promise<SettlementsSection> {
  const { ctx } = env.tiktok;
  const store = env.netsuite.state.engine.store;
  const prefix = env.config.mappings.externalIdPrefix;
  const statements = [...ctx.state.statements.byId.values()];
  const payments = [...ctx.state.payments.byId.values()];
  let booked = 0;
  let unbalanced = 0;
  const reserves: Record<string, { withheld: bigint; released: bigint }> = {};
  for (const s of statements) {
    const je = store.byExternalId('journalEntry', financeExternalId(prefix, s.shopId, 'stmt', s.id));
    if (je && entryClearing(je, s.currency) === entryPayable(env, s)) booked++;
    if (je && !balanced(je, s.currency)) unbalanced++;
    const r = reserves[s.currency] ?? { withheld: 0n, released: 0n };
    reserves[s.currency] = r;
    for (const e of s.reserves) {
      if (e.amount < 0n) r.withheld -= e.amount;
      else r.released += e.amount;
    }
  }
  let paid = 0;
  let matched = 0;
  for (const p of payments) {
    if (paymentStatus(ctx, p) !== 'PAID') continue;
    paid++;
    const dep = store.byExternalId('deposit', financeExternalId(prefix, p.shopId, 'pay', p.id));
    const want = paymentAmounts(ctx, p).beforeExchange;
    if (dep && decMinor(dep.body['total'], currencyExponent(p.currency)) === want) matched++;
  }
  const services = env.rt.settlements?.services;
  const tie = rec ?? (services ? await reconcile(services) : undefined);
  return {
    statements: statements.length,
    negativeStatements: statements.filter((s) => statementTotals(s).settlement < 0n).length,
    currencies: [...new Set(statements.map((s) => s.currency))].sort(),
    booked,
    unbalancedEntries: unbalanced,
    republished: play.republished.length,
    adjustments: play.adjustments,
    lateRefunds: play.lateRefunds.length,
    reserves: Object.fromEntries(
      Object.entries(reserves).map(([cur, r]) => [
        cur,
        {
          withheld: formatMoney({ minor: r.withheld, currency: cur }),
          released: formatMoney({ minor: r.released, currency: cur }),
        },
      ]),
    ),
    payouts: payments.length,
    paid,
    payoutsMatched: matched,
    tieOut: {
      ordersMatched: tie?.summary.ordersMatched ?? 0,
      unmatched: tie?.summary.unmatched ?? 0,
      unexplainedCents: tie?.summary.unexplainedMinor ?? 0,
      findings: tie?.summary.findings ?? 0,
    },
    examples: { findings: (tie?.findings ?? []).slice(0, 5).map((f) => `${f.kind}: ${f.message}`) },
  };
}

export function settlementsPassed(s: SettlementsSection): boolean {
  return (
    s.statements > 0 &&
    s.booked === s.statements &&
    s.unbalancedEntries === 0 &&
    s.payoutsMatched === s.paid &&
    s.tieOut.unmatched === 0 &&
    s.tieOut.unexplainedCents === 0 &&
    s.tieOut.findings === 0
  );
}
