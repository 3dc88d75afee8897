/**
 * Payouts of the sandbox's finance (issue 14) through the real client over HTTP: a refund after
 * settlement makes a negative statement netted into the next payout, the minimum payout carries a
 * balance over, PROCESSING turns PAID when the clock passes paid_time, reserves are withheld and
 * released, and GBP statements are paid in USD.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseMoney } from '../../../shared/money.ts';
import { advancePastMidnight, deliveredOrder, type Harness, startSandboxWithClient } from '../testing.ts';
import type { Statement } from '../wire/finance.ts';
import { collect } from './paginate.ts';

const DAY = 86_400;
/** Just after 00:00 UTC, so each advancePastMidnight is one daily settlement. */
const START = Date.UTC(2026, 0, 5) + 60_000;
const MIDNIGHT_1 = Date.UTC(2026, 0, 6) / 1000;
const cents = (v: string | undefined, currency = 'USD') => parseMoney(v, currency).minor;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function sandbox(business: Record<string, unknown>): Promise<Harness> {
  h = await startSandboxWithClient({
    seed: 71,
    startTime: START,
    business: { completeAfterSeconds: 0, ...business },
  });
  for (const [i, currency] of ['USD', 'GBP'].entries()) {
    await h.admin('POST', '/products', {
      shop_id: h.creds.shops[i]!.id,
      title: `Lamp ${currency}`,
      skus: [{ seller_sku: 'LAMP', price: '19.99', quantity: 500 }],
    });
  }
  return h;
}

const lamps = (quantity: number, shipping = '0') => ({
  lines: [{ seller_sku: 'LAMP', quantity }],
  shipping_fee: shipping,
});

/** The statements of the US shop, oldest first. */
async function statements(x: Harness, paymentStatus?: 'PAID' | 'PROCESSING'): Promise<Statement[]> {
  return collect(x.us.finance.statements(paymentStatus ? { paymentStatus } : {}));
}

describe('refunds after settlement', () => {
  it('settle in the statement of their day: a negative statement netted into the next payout', async () => {
    const x = await sandbox({ extraFees: [{ key: 'affiliate_commission', rate: '0.10' }] });
    const a = await deliveredOrder(x, 'us', lamps(1, '4.99'));
    advancePastMidnight(x);
    const [s1] = await statements(x);
    const [sale] = (await x.us.finance.orderTransactions(a.order_id)).statement_transactions;
    expect(sale).toMatchObject({ statement_id: s1!.id, settlement_amount: '21.48' });
    expect(sale).toMatchObject({ referral_fee_amount: '-1.50', affiliate_commission_amount: '-2.00' });

    // The buyer asks for a refund of the COMPLETED, settled order; it completes the next day.
    const { return_id } = await x.admin<{ return_id: string }>('POST', `/orders/${a.order_id}/return`, {
      return_type: 'REFUND',
    });
    await x.us.returns.approveReturn(return_id, { decision: 'APPROVE_REFUND' });
    advancePastMidnight(x);
    const s2 = (await statements(x))[1]!;
    expect(s2.settlement_amount).toBe('-21.78');
    expect(s2).toMatchObject({ payment_status: 'PROCESSING', payment_id: '' });
    expect(await collect(x.us.finance.payments())).toHaveLength(1);

    const [refund, ...none] = await collect(x.us.finance.statementTransactions(s2.id));
    expect(none).toEqual([]);
    expect(refund).toMatchObject({
      type: 'ORDER',
      order_id: a.order_id,
      gross_sales_amount: '0.00',
      gross_sales_refund_amount: '-19.99',
      customer_refund_amount: '-26.58',
      sales_tax_refund_amount: '-1.60',
      customer_paid_shipping_fee_refund_amount: '-4.99',
      // The line's fees come back, the refund administration fee (20 % of the referral) is charged.
      referral_fee_amount: '1.50',
      affiliate_commission_amount: '2.00',
      refund_administration_fee_amount: '-0.30',
    });
    expect(refund!.id).not.toBe(sale!.id);
    const parts = ['net_sales_amount', 'shipping_cost_amount', 'fee_amount', 'adjustment_amount'] as const;
    expect(cents(refund!.settlement_amount)).toBe(parts.reduce((t, k) => t + cents(refund![k]), 0n));

    // By order: one transaction per statement, in both versions.
    const v1 = await x.us.finance.orderTransactions(a.order_id);
    expect(v1.statement_transactions.map((t) => t.statement_id)).toEqual([s1!.id, s2.id]);
    const v2 = await x.us.finance.orderTransactions202501(a.order_id);
    expect(v2.sku_transactions.map((t) => t.statement_id)).toEqual([s1!.id, s2.id]);
    expect(v2.settlement_amount).toBe('-0.30');

    // The next day's sale pays both: the payment's settlement is the sum of its statements.
    await deliveredOrder(x, 'us', lamps(3));
    advancePastMidnight(x);
    const all = await statements(x);
    const s3 = all[2]!;
    const payments = await collect(x.us.finance.payments());
    expect(payments).toHaveLength(2);
    const p2 = payments[1]!;
    expect(all.map((s) => s.payment_id)).toEqual([payments[0]!.id, p2.id, p2.id]);
    expect(cents(p2.settlement_amount?.value)).toBe(
      cents(s2.settlement_amount) + cents(s3.settlement_amount),
    );
    expect(p2.amount).toEqual({ value: p2.settlement_amount?.value, currency: 'USD' });
  });
});

describe('payments', () => {
  it('carry a balance below the minimum payout, then pay it: PROCESSING until paid_time, then PAID', async () => {
    const x = await sandbox({ minPayout: '50.00', payoutDelaySeconds: DAY });
    await deliveredOrder(x, 'us', lamps(1));
    advancePastMidnight(x);
    expect(await statements(x)).toMatchObject([{ payment_status: 'PROCESSING', payment_id: '' }]);
    expect(await collect(x.us.finance.payments())).toEqual([]);

    await deliveredOrder(x, 'us', lamps(2));
    advancePastMidnight(x);
    const [p] = await collect(x.us.finance.payments());
    expect(p).toMatchObject({
      status: 'PROCESSING',
      create_time: MIDNIGHT_1 + DAY,
      paid_time: MIDNIGHT_1 + 2 * DAY,
    });
    const waiting = await statements(x, 'PROCESSING');
    expect(waiting.map((s) => s.payment_id)).toEqual([p!.id, p!.id]);
    expect(waiting.every((s) => s.payment_time === undefined)).toBe(true);
    expect(await statements(x, 'PAID')).toEqual([]);
    expect(cents(p!.amount.value)).toBe(waiting.reduce((t, s) => t + cents(s.settlement_amount), 0n));

    advancePastMidnight(x);
    expect((await collect(x.us.finance.payments()))[0]!.status).toBe('PAID');
    const paid = await statements(x, 'PAID');
    expect(paid.map((s) => [s.payment_status, s.payment_time])).toEqual([
      ['PAID', p!.paid_time],
      ['PAID', p!.paid_time],
    ]);
    expect(await statements(x, 'PROCESSING')).toEqual([]);
  });

  it('pay GBP statements in USD at the configured rate, rounded half up to the cent', async () => {
    const x = await sandbox({ payoutExchange: { GBP: { currency: 'USD', rate: '1.270000' } } });
    await x.admin('POST', '/adjustments', { shop_id: x.creds.shops[1]!.id, amount: '11.50', type: 'REBATE' });
    advancePastMidnight(x);
    const [p1] = await collect(x.gb.finance.payments());
    // 11.50 x 1.27 = 14.605: half up, not to even and not truncated.
    expect(p1).toMatchObject({
      amount: { value: '14.61', currency: 'USD' },
      payment_amount_before_exchange: { value: '11.50', currency: 'GBP' },
      settlement_amount: { value: '11.50', currency: 'GBP' },
      exchange_rate: '1.270000',
    });

    await deliveredOrder(x, 'gb', lamps(3, '2.49'));
    advancePastMidnight(x);
    const [s2] = (await collect(x.gb.finance.statements())).slice(1);
    const p2 = (await collect(x.gb.finance.payments()))[1]!;
    const before = cents(s2!.settlement_amount, 'GBP');
    expect(p2.payment_amount_before_exchange).toEqual({ value: s2!.settlement_amount, currency: 'GBP' });
    expect(cents(p2.amount.value)).toBe((before * 1_270_000n + 500_000n) / 1_000_000n);
    expect(p2.amount.currency).toBe('USD');
  });
});

describe('reserves', () => {
  it('are withheld from a statement and released in the first statement after the hold', async () => {
    const x = await sandbox({ reserveRate: '0.10', reserveHoldDays: 2 });
    await deliveredOrder(x, 'us', lamps(3));
    advancePastMidnight(x);
    const [s1] = await statements(x);
    expect(s1!.settlement_amount).toBe('56.37');
    const [p1] = await collect(x.us.finance.payments());
    expect(p1).toMatchObject({
      settlement_amount: { value: '56.37' },
      reserve_amount: { value: '-5.64' },
      payment_amount_before_exchange: { value: '50.73' },
      amount: { value: '50.73', currency: 'USD' },
    });
    const page1 = await x.us.finance.statementTransactionsPage202501(s1!.id);
    expect(page1).toMatchObject({
      total_settlement_amount: '56.37',
      total_reserve_amount: '-5.64',
      payable_amount: '50.73',
    });
    const held = page1.transactions.find((t) => t.type === 'RESERVE');
    expect(held).toMatchObject({
      reserve_amount: '-5.64',
      reserve_status: 'COLLECTED',
      estimated_release_time: MIDNIGHT_1 + 2 * DAY,
      settlement_amount: '0.00',
    });
    // 202309 lists no reserve transaction.
    expect((await collect(x.us.finance.statementTransactions(s1!.id))).map((t) => t.type)).toEqual(['ORDER']);

    advancePastMidnight(x);
    expect(await statements(x)).toHaveLength(1);
    advancePastMidnight(x);
    const s2 = (await statements(x))[1]!;
    expect(s2.settlement_amount).toBe('0.00');
    const page2 = await x.us.finance.statementTransactionsPage202501(s2.id);
    expect(page2).toMatchObject({ total_reserve_amount: '5.64', payable_amount: '5.64' });
    expect(page2.transactions).toMatchObject([
      { type: 'RESERVE', reserve_id: held!.reserve_id, reserve_amount: '5.64', reserve_status: 'RELEASED' },
    ]);
    expect(await collect(x.us.finance.statementTransactions(s2.id))).toEqual([]);
    const p2 = (await collect(x.us.finance.payments()))[1]!;
    expect(p2).toMatchObject({ settlement_amount: { value: '0.00' }, reserve_amount: { value: '5.64' } });
    expect(p2.amount.value).toBe('5.64');
  });
});
