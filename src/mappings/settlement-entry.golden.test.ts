/**
 * Golden tests of the settlement bodies (settlement-normalize.ts, settlement-entry.ts): each case in
 * golden/settlements/in/ is TikTok wire JSON as the API reference section 8 shapes it (statements,
 * their 202309 transactions or 202501 first page, the payment) plus the settings it runs under; it
 * must produce exactly golden/settlements/<case>.json: the NetSuite journal entries and deposit
 * (bodies, variance, sums by group), or the error with its code, message and details.
 * Regenerate after a deliberate change with GOLDEN_UPDATE=1, then review the diff.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SettlementSettings, shopSettlement } from '../config/settlement-settings.ts';
import {
  Payment,
  Statement,
  StatementTransactions202501,
  Transaction202309,
} from '../connectors/tiktok-shop/index.ts';
import type { SettledStatement } from '../domain/settlement.ts';
import { isAppError } from '../shared/errors.ts';
import { formatMoney } from '../shared/money.ts';
import {
  type DepositPlan,
  type EntryContext,
  type JournalEntryPlan,
  planPaymentDeposit,
  planPayoutDeposit,
  planStatementEntry,
} from './settlement-entry.ts';
import {
  normalizePayment,
  normalizeStatement202309,
  normalizeStatement202501,
} from './settlement-normalize.ts';

const DIR = join(import.meta.dirname, 'golden', 'settlements');
const update = process.env['GOLDEN_UPDATE'] === '1';
const SHOP = '7495011';
const CURRENCIES: Record<string, { id: string }> = { USD: { id: '1' }, GBP: { id: '2' } };

/** The accounts every case starts from; a case's `settings` is laid over them. */
const BASE = {
  enabled: true,
  subsidiary: 1,
  accounts: {
    clearing: 1101,
    bank: 1000,
    sales: 4000,
    refunds: 4010,
    fees: {
      referral_fee: 6100,
      platform_commission: 6101,
      transaction_fee: 6110,
      affiliate_commission: 6120,
      refund_administration_fee: 6130,
    },
    shipping: { actual_shipping_fee: 6200 },
    adjustments: { CHARGE_BACK: 6300, default: 6390 },
    reserve: 1150,
    variance: 6999,
  },
};

const Case = z.object({
  description: z.string(),
  version: z.enum(['202309', '202501']),
  amounts: z.enum(['signed', 'magnitudes']).optional(),
  settings: z.record(z.string(), z.unknown()).default({}),
  subsidiaryCurrency: z.string().default('USD'),
  reserveFromPayment: z.boolean().default(false),
  statements: z.array(
    z.object({
      statement: Statement,
      transactions: z.array(Transaction202309).optional(),
      header: StatementTransactions202501.optional(),
    }),
  ),
  payment: Payment,
});
type Case = z.infer<typeof Case>;

const CASES = readdirSync(join(DIR, 'in'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

function load(name: string): Case {
  return Case.parse(JSON.parse(readFileSync(join(DIR, 'in', `${name}.json`), 'utf8')));
}

function normalize(c: Case): SettledStatement[] {
  return c.statements.map((s) =>
    c.version === '202309'
      ? normalizeStatement202309(SHOP, s.statement, s.transactions ?? [])
      : normalizeStatement202501(SHOP, s.statement, s.header!, s.header!.transactions, c.amounts ?? 'signed'),
  );
}

const money = (currency: string) => (x: bigint) => formatMoney({ minor: x, currency });
const groups = (g: Record<string, bigint>, m: (x: bigint) => string) =>
  Object.fromEntries(Object.entries(g).map(([k, v]) => [k, m(v)]));

function showEntry(p: JournalEntryPlan, currency: string) {
  const m = money(currency);
  return {
    externalId: p.externalId,
    body: p.body,
    totals: { debit: m(p.totals.debit), credit: m(p.totals.credit) },
    variance: m(p.variance),
    byGroup: groups(p.byGroup, m),
  };
}

function showDeposit(p: DepositPlan | null, currency: string) {
  if (!p) return null;
  const m = money(currency);
  return {
    externalId: p.externalId,
    body: p.body,
    total: m(p.total),
    variance: m(p.variance),
    byGroup: groups(p.byGroup, m),
  };
}

/** What the settlement flow does: parse the settings, pick the shop's accounts, plan. */
function run(c: Case): unknown {
  const settings = SettlementSettings.parse({
    ...BASE,
    ...c.settings,
    accounts: { ...BASE.accounts, ...(c.settings['accounts'] ?? {}) },
  });
  const { subsidiary, accounts } = shopSettlement(settings, SHOP, 'US');
  try {
    const payment = normalizePayment(SHOP, c.payment);
    const statements = normalize(c);
    const ctx = (s: { currency: string }): EntryContext => ({
      accounts,
      subsidiary,
      currency: CURRENCIES[s.currency],
      exchangeRate: s.currency === c.subsidiaryCurrency ? undefined : payment.exchangeRate,
      externalIdPrefix: 'tiksuite',
      applyPayments: settings.applyPayments,
      reserveFromPayment: c.reserveFromPayment ? payment.reserve : undefined,
    });
    const ids = statements.map((s) => s.id);
    if (settings.model === 'deposit') {
      return {
        deposit: showDeposit(planPaymentDeposit(payment, statements, ctx(payment)), payment.currency),
      };
    }
    return {
      entries: statements.map((s) => showEntry(planStatementEntry(s, ctx(s)), s.currency)),
      deposit: showDeposit(planPayoutDeposit(payment, ids, ctx(payment)), payment.currency),
    };
  } catch (err) {
    if (!isAppError(err)) throw err;
    return { error: { code: err.code, message: err.message, details: err.details } };
  }
}

describe('settlement golden cases', () => {
  it.each(CASES)('%s', (name) => {
    const actual = JSON.stringify(run(load(name)), null, 2);
    const file = join(DIR, `${name}.json`);
    if (update) {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(file, `${actual}\n`);
    }
    expect(existsSync(file), `missing golden ${file}`).toBe(true);
    expect(JSON.parse(actual)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });

  it('books a 202501 statement, signed or as magnitudes, exactly as its 202309 twin', () => {
    const twin = run(load('ordinary-day-202309'));
    expect(run(load('ordinary-day-202501-signed'))).toEqual(twin);
    expect(run(load('ordinary-day-202501-magnitudes'))).toEqual(twin);
    expect(run(load('reserve-202309-from-payment'))).toEqual(run(load('reserve-202501')));
  });

  it('gives the same components from both API versions', () => {
    const a = normalize(load('ordinary-day-202309'));
    const strip = (ss: SettledStatement[]) =>
      ss.map((s) => ({ ...s, transactions: s.transactions.map((t) => ({ ...t, info: {} })) }));
    expect(strip(normalize(load('ordinary-day-202501-signed')))).toEqual(strip(a));
    expect(strip(normalize(load('ordinary-day-202501-magnitudes')))).toEqual(strip(a));
  });
});
