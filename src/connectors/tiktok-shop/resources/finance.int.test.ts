import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMoney } from '../../../shared/money.ts';
import { type Harness, startSandboxWithClient, tradeForFinance } from '../testing.ts';
import type { Transaction202309 } from '../wire/finance.ts';
import { collect } from './paginate.ts';

let h: Harness;
const DAY = 86_400;
const cents = (v: string | undefined) => parseMoney(v, 'USD').minor;

/** UK/US identity (accounting §3.1): settlement = net_sales + shipping_cost + fee + adjustment. */
function identity(x: {
  settlement_amount: string;
  net_sales_amount?: string | undefined;
  shipping_cost_amount?: string | undefined;
  fee_amount?: string | undefined;
  adjustment_amount?: string | undefined;
}): void {
  const parts = [x.net_sales_amount, x.shipping_cost_amount, x.fee_amount, x.adjustment_amount];
  expect(cents(x.settlement_amount)).toBe(parts.reduce((a, p) => a + cents(p ?? '0'), 0n));
}

/** The first ORDER transaction of any statement, with its statement. */
async function firstOrderTx() {
  for (const s of await collect(h.us.finance.statements())) {
    const t = (await collect(h.us.finance.statementTransactions(s.id))).find((x) => x.type === 'ORDER');
    if (t) return { s, t };
  }
  throw new Error('no order transaction');
}

beforeAll(async () => {
  // Start just after midnight UTC so a known number of day boundaries pass.
  const start = Math.floor(Date.UTC(2026, 0, 5) / 1000) * 1000 + 60_000;
  h = await startSandboxWithClient({ seed: 31, startTime: start });
  await tradeForFinance(h, 7);
});
afterAll(() => h.close());

describe('finance', () => {
  it('builds daily statements whose settlement identity holds to the cent', async () => {
    const statements = await collect(h.us.finance.statements({}, { pageSize: 1 }));
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      identity(s);
      expect(s.statement_time % DAY).toBe(0);
      const txs = await collect(h.us.finance.statementTransactions(s.id, { pageSize: 3 }));
      let sum = 0n;
      for (const t of txs) {
        identity(t);
        sum += cents(t.settlement_amount);
      }
      expect(sum).toBe(cents(s.settlement_amount));
    }
    const all: Transaction202309[] = [];
    for (const s of statements) all.push(...(await collect(h.us.finance.statementTransactions(s.id))));
    expect(all.filter((t) => t.type === 'ORDER')).toHaveLength(7);
    expect(all.find((t) => t.type === 'CHARGE_BACK')?.settlement_amount).toBe('-4.25');
    const refunded = all.find((t) => t.type === 'ORDER' && cents(t.gross_sales_refund_amount) < 0n);
    expect(cents(refunded?.refund_administration_fee_amount)).toBeLessThan(0n);
  });

  it('checks the fee breakdown of one order: referral fee 6 % and sign conventions', async () => {
    const { t: tx } = await firstOrderTx();
    expect(cents(tx.fee_amount)).toBe(
      cents(tx.referral_fee_amount) +
        cents(tx.transaction_fee_amount) +
        cents(tx.refund_administration_fee_amount),
    );
    expect(cents(tx.fee_amount)).toBeLessThan(0n);
    const clean = (await collect(h.us.finance.statementTransactions((await firstOrderTx()).s.id))).find(
      (x) => x.type === 'ORDER' && cents(x.gross_sales_refund_amount) === 0n,
    );
    if (clean) {
      // Referral base: customer payment + platform discount - tax; lines round separately (±1 cent each).
      const base =
        cents(clean.customer_payment_amount) +
        cents(clean.platform_discount_amount) -
        cents(clean.sales_tax_amount);
      const diff = -cents(clean.referral_fee_amount) - (base * 6n + 50n) / 100n;
      expect(diff >= -5n && diff <= 5n).toBe(true);
    }
    expect(cents(tx.net_sales_amount)).toBe(
      cents(tx.gross_sales_amount) +
        cents(tx.gross_sales_refund_amount) +
        cents(tx.seller_discount_amount) +
        cents(tx.seller_discount_refund_amount),
    );
  });

  it('pays each statement once; a payment pays the sum of its statements', async () => {
    const statements = await collect(h.us.finance.statements());
    const payments = await collect(h.us.finance.payments({}, { pageSize: 2 }));
    // The chargeback's day alone is negative: it waits and is netted into the next payout.
    for (const s of statements) expect(payments.filter((x) => x.id === s.payment_id)).toHaveLength(1);
    for (const p of payments) {
      const paid = statements.filter((s) => s.payment_id === p.id);
      const sum = paid.reduce((a, s) => a + cents(s.settlement_amount), 0n);
      expect(p.amount.currency).toBe('USD');
      expect(cents(p.amount.value)).toBe(sum);
      expect(cents(p.settlement_amount?.value)).toBe(sum);
    }
  });

  it('serves the 202501 shape with the same totals', async () => {
    const [s] = await collect(h.us.finance.statements());
    const page = await h.us.finance.statementTransactionsPage202501(s!.id);
    expect(page.total_settlement_amount).toBe(s!.settlement_amount);
    const b = page.total_settlement_breakdown;
    expect(cents(page.total_settlement_amount)).toBe(
      cents(b.total_revenue_amount) +
        cents(b.total_shipping_cost_amount) +
        cents(b.total_fee_tax_amount) +
        cents(b.total_adjustment_amount),
    );
    const txs = await collect(h.us.finance.statementTransactions202501(s!.id, { pageSize: 2 }));
    expect(txs.reduce((a, t) => a + cents(t.settlement_amount), 0n)).toBe(cents(s!.settlement_amount));
  });

  it('serves transactions by order in both versions', async () => {
    const { s, t } = await firstOrderTx();
    const v1 = await h.us.finance.orderTransactions(t.order_id!);
    expect(v1.statement_transactions[0]).toMatchObject({
      statement_id: s.id,
      settlement_amount: t.settlement_amount,
    });
    const skuSum = v1.statement_transactions[0]!.sku_statement_transactions.reduce(
      (a, x) => a + cents(x.settlement_amount),
      0n,
    );
    expect(skuSum).toBe(cents(t.settlement_amount));
    const v2 = await h.us.finance.orderTransactions202501(t.order_id!);
    expect(v2.settlement_amount).toBe(t.settlement_amount);
    expect(v2.sku_transactions.reduce((a, x) => a + cents(x.settlement_amount), 0n)).toBe(
      cents(t.settlement_amount),
    );
  });

  it('can report 202501 fees and costs as positive magnitudes (sign setting)', async () => {
    const { s } = await firstOrderTx();
    await h.admin('PUT', '/settings', { business: { finance202501Sign: 'positive' } });
    try {
      const page = await h.us.finance.statementTransactionsPage202501(s.id);
      const b = page.total_settlement_breakdown;
      expect(cents(b.total_fee_tax_amount)).toBeGreaterThan(0n);
      // The documented 202501 formula with minus signs (reference §8.4).
      expect(cents(page.total_settlement_amount)).toBe(
        cents(b.total_revenue_amount) -
          cents(b.total_shipping_cost_amount) -
          cents(b.total_fee_tax_amount) +
          cents(b.total_adjustment_amount),
      );
    } finally {
      await h.admin('PUT', '/settings', { business: { finance202501Sign: 'negative' } });
    }
  });

  it('has no statements for a shop without completed orders', async () => {
    await expect(collect(h.gb.finance.statements())).resolves.toEqual([]);
  });
});
