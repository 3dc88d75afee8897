/**
 * Statements and payments as the TikTok sandbox serves them (read by the real client over HTTP,
 * 202309 and 202501, fees signed or as magnitudes) through the settlement mapping into the NetSuite
 * sandbox: every transaction adds up, both API versions give the same components and the same
 * entry, NetSuite accepts each journal entry (balanced) and each deposit, and its deposit total is
 * what TikTok paid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettlementAccounts } from '../config/settlement-settings.ts';
import { DEFAULT_SEED, type NetSuiteClient, type RunningSandbox } from '../connectors/netsuite/index.ts';
import { startWithClient } from '../connectors/netsuite/test-support.ts';
import {
  collect,
  type Harness,
  startSandboxWithClient,
  tradeForFinance,
} from '../connectors/tiktok-shop/index.ts';
import type { SettledStatement } from '../domain/settlement.ts';
import { parseMoney } from '../shared/money.ts';
import {
  type EntryContext,
  planPaymentDeposit,
  planPayoutDeposit,
  planStatementEntry,
} from './settlement-entry.ts';
import {
  type Amounts202501,
  normalizePayment,
  normalizeStatement202309,
  normalizeStatement202501,
  transactionDifference,
} from './settlement-normalize.ts';

let h: Harness;
let sb: RunningSandbox;
let ns: NetSuiteClient;
let shopId: string;

const GL = {
  clearing: 'GL-CLEARING',
  bank: 'ACC-BANK',
  sales: 'GL-SALES',
  refunds: 'GL-REFUNDS',
  referral_fee: 'GL-REFERRAL',
  transaction_fee: 'GL-TRANSACTION',
  refund_administration_fee: 'GL-REFUND-ADMIN',
  affiliate_commission: 'GL-AFFILIATE',
  actual_shipping_fee: 'GL-LABELS',
  CHARGE_BACK: 'GL-CHARGEBACK',
  default: 'GL-ADJUSTMENTS',
  reserve: 'GL-RESERVE',
  variance: 'GL-VARIANCE',
};
const ref = (externalId: string) => ({ externalId });

const ctx = (prefix: string): EntryContext => ({
  accounts: SettlementAccounts.parse({
    clearing: ref(GL.clearing),
    bank: ref(GL.bank),
    sales: ref(GL.sales),
    refunds: ref(GL.refunds),
    fees: Object.fromEntries(
      (['referral_fee', 'transaction_fee', 'refund_administration_fee', 'affiliate_commission'] as const).map(
        (k) => [k, ref(GL[k])],
      ),
    ),
    shipping: { actual_shipping_fee: ref(GL.actual_shipping_fee) },
    adjustments: { CHARGE_BACK: ref(GL.CHARGE_BACK), default: ref(GL.default) },
    reserve: ref(GL.reserve),
    variance: ref(GL.variance),
  }),
  subsidiary: ref('SUB-US'),
  currency: ref('USD'),
  externalIdPrefix: prefix,
  applyPayments: false,
});

async function startNetSuite(): Promise<void> {
  // The default demo account plus the GL accounts the settings name (the bank is the demo's Checking).
  const accounts = Object.entries(GL)
    .filter(([, externalId]) => externalId !== GL.bank)
    .map(([name, externalId]) => ({
      externalId,
      acctName: `TikTok ${name}`,
      acctType: name === 'clearing' ? 'Bank' : name === 'reserve' ? 'OthCurrAsset' : 'Expense',
    }));
  ({ sb, client: ns } = await startWithClient({
    seed: { ...DEFAULT_SEED, accounts: [...(DEFAULT_SEED.accounts ?? []), ...accounts] },
  }));
}

/** Days of orders in the TikTok sandbox: shipped, delivered, one refunded, one charged back. */
async function tradeInTikTok(): Promise<void> {
  h = await startSandboxWithClient({ seed: 14, startTime: Date.UTC(2026, 0, 5) + 60_000 });
  shopId = h.creds.shops[0]!.id;
  await tradeForFinance(h, 5);
}

beforeAll(async () => {
  await Promise.all([tradeInTikTok(), startNetSuite()]);
});
afterAll(async () => {
  await h?.close();
  await sb?.close();
});

async function read202309(): Promise<SettledStatement[]> {
  const out: SettledStatement[] = [];
  for (const s of await collect(h.us.finance.statements())) {
    out.push(normalizeStatement202309(shopId, s, await collect(h.us.finance.statementTransactions(s.id))));
  }
  return out;
}

async function read202501(amounts: Amounts202501): Promise<SettledStatement[]> {
  const out: SettledStatement[] = [];
  for (const s of await collect(h.us.finance.statements())) {
    const first = await h.us.finance.statementTransactionsPage202501(s.id);
    const txs = await collect(h.us.finance.statementTransactions202501(s.id, { pageSize: 2 }));
    out.push(normalizeStatement202501(shopId, s, first, txs, amounts));
  }
  return out;
}

const cents = (v: unknown) => parseMoney(String(v), 'USD').minor;
const withoutInfo = (ss: SettledStatement[]) =>
  ss.map((s) => ({ ...s, transactions: s.transactions.map((t) => ({ ...t, info: {} })) }));

describe('TikTok sandbox statements into the NetSuite sandbox', () => {
  it('read with 202309: every transaction adds up, and refunds, fees and the chargeback are there', async () => {
    const statements = await read202309();
    expect(statements.length).toBeGreaterThan(0);
    const txs = statements.flatMap((s) => s.transactions);
    expect(txs.every((t) => transactionDifference(t) === 0n)).toBe(true);
    const keys = new Set(txs.flatMap((t) => t.components.map((c) => `${c.group}/${c.key}`)));
    for (const k of [
      'sales/gross_sales',
      'refunds/gross_sales_refund',
      'fee/referral_fee',
      'fee/refund_administration_fee',
      'adjustment/CHARGE_BACK',
    ]) {
      expect(keys, k).toContain(k);
    }
  });

  it('gives the same components and entries read with 202501, fees signed or as magnitudes', async () => {
    const base = await read202309();
    expect(withoutInfo(await read202501('signed'))).toEqual(withoutInfo(base));
    await h.admin('PUT', '/settings', { business: { finance202501Sign: 'positive' } });
    try {
      const magnitudes = await read202501('magnitudes');
      expect(withoutInfo(magnitudes)).toEqual(withoutInfo(base));
      expect(magnitudes.map((s) => planStatementEntry(s, ctx('t')).body)).toEqual(
        base.map((s) => planStatementEntry(s, ctx('t')).body),
      );
      await expect(read202501('signed')).rejects.toMatchObject({ code: 'settlement_sign_mismatch' });
    } finally {
      await h.admin('PUT', '/settings', { business: { finance202501Sign: 'negative' } });
    }
  });

  it('books each statement as a balanced journal entry and each payout as a deposit NetSuite totals as paid', async () => {
    const statements = await read202309();
    for (const s of statements) {
      const plan = planStatementEntry(s, ctx('tiksuite'));
      expect(plan.variance).toBe(0n);
      await ns.records.upsert('journalEntry', plan.externalId, plan.body);
      const je = await ns.records.get('journalEntry', { externalId: plan.externalId });
      const lines = je.line?.items ?? [];
      expect(lines).toHaveLength(plan.lines.length);
      expect(lines.reduce((a, l) => a + (l.debit === undefined ? 0n : cents(l.debit)), 0n)).toBe(
        plan.totals.debit,
      );
    }
    for (const p of await collect(h.us.finance.payments())) {
      const payment = normalizePayment(shopId, p);
      const ids = statements.filter((s) => s.paymentId === payment.id).map((s) => s.id);
      const plan = planPayoutDeposit(payment, ids, ctx('tiksuite'));
      if (!plan) continue;
      await ns.records.upsert('deposit', plan.externalId, plan.body);
      const dep = await ns.records.get('deposit', { externalId: plan.externalId });
      expect(cents(dep.total)).toBe(cents(p.amount.value));
    }
  });

  it('books a payment as one deposit of its statement parts (deposit model) that NetSuite totals as paid', async () => {
    const statements = await read202309();
    let booked = 0;
    for (const p of await collect(h.us.finance.payments())) {
      const payment = normalizePayment(shopId, p);
      const plan = planPaymentDeposit(
        payment,
        statements.filter((s) => s.paymentId === payment.id),
        ctx('tiksuite-dm'),
      );
      if (!plan) continue;
      expect(plan.variance).toBe(0n);
      await ns.records.upsert('deposit', plan.externalId, plan.body);
      const dep = await ns.records.get('deposit', { externalId: plan.externalId });
      expect(cents(dep.total)).toBe(cents(p.amount.value));
      booked++;
    }
    expect(booked).toBeGreaterThan(0);
  });
});
