/**
 * The sandbox's finance (issue 14) through the real client over HTTP: extra fee keys in both
 * versions with the settlement identity intact, republished statements, checked adjustments and
 * the 202507 unsettled transactions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseMoney } from '../../../shared/money.ts';
import { advancePastMidnight, deliveredOrder, type Harness, startSandboxWithClient } from '../testing.ts';
import { collect } from './paginate.ts';

const DAY = 86_400;
const START = Date.UTC(2026, 0, 5) + 60_000;
const cents = (v: string | undefined) => parseMoney(v, 'USD').minor;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function sandbox(business: Record<string, unknown> = {}): Promise<Harness> {
  h = await startSandboxWithClient({ seed: 72, startTime: START, business });
  await h.admin('POST', '/products', {
    shop_id: h.creds.shops[0]!.id,
    title: 'Lamp',
    skus: [
      { seller_sku: 'LAMP', price: '19.99', quantity: 500 },
      { seller_sku: 'BULB', price: '3.35', quantity: 500 },
    ],
  });
  return h;
}

/** An amount field of a (loose) finance object in cents; a missing or non-string field fails. */
function amount(x: Record<string, unknown>, key: string): bigint {
  const v = x[key];
  if (typeof v !== 'string') throw new Error(`${key} is ${JSON.stringify(v)}, not an amount`);
  return cents(v);
}

/** UK/US identity (accounting §3.1), to the cent. */
function identity(x: Record<string, unknown>): void {
  const parts = ['net_sales_amount', 'shipping_cost_amount', 'fee_amount', 'adjustment_amount'];
  expect(amount(x, 'settlement_amount')).toBe(parts.reduce((t, k) => t + amount(x, k), 0n));
}

/** -round_half_up(rate x base) for a rate given as parts per 10,000. */
const charge = (base: bigint, perTenThousand: bigint) => -((base * perTenThousand * 2n + 10_000n) / 20_000n);

/** POST to the admin API, answering the status and the JSON (errors are not thrown). */
async function post(x: Harness, path: string, body: unknown) {
  const res = await fetch(`${x.sandbox.url}/_sandbox${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, string> };
}

describe('extra fee keys', () => {
  it('are charged per line on goods after seller discount, in both versions, and the identity holds', async () => {
    // key -> [rate, the same rate in parts per 10,000]
    const fees = {
      affiliate_commission: ['0.10', 1000n],
      live_specials_fee: ['0.015', 150n],
      made_up_service_fee: ['0.0333', 333n],
    } as const;
    const x = await sandbox({
      completeAfterSeconds: 0,
      extraFees: Object.entries(fees).map(([key, [rate]]) => ({ key, rate })),
    });
    const o = await deliveredOrder(x, 'us', {
      lines: [
        { seller_sku: 'LAMP', quantity: 2 },
        { seller_sku: 'BULB', quantity: 3 },
      ],
      shipping_fee: '4.99',
      seller_discount: '2.01',
      platform_discount: '1.00',
    });
    advancePastMidnight(x);
    const [order] = await x.us.orders.getDetails([o.order_id]);
    const expected = (n: bigint) =>
      order!.line_items.reduce(
        (t, l) => t + charge(cents(l.original_price) - cents(l.seller_discount ?? '0'), n),
        0n,
      );

    const [s] = await collect(x.us.finance.statements());
    identity(s!);
    const [tx] = await collect(x.us.finance.statementTransactions(s!.id));
    identity(tx!);
    const builtIn = ['referral_fee_amount', 'transaction_fee_amount', 'refund_administration_fee_amount'];
    let fee = builtIn.reduce((t, k) => t + amount(tx!, k), 0n);
    for (const [key, [, n]] of Object.entries(fees)) {
      expect(amount(tx!, `${key}_amount`), key).toBe(expected(n));
      fee += expected(n);
    }
    expect(cents(tx!.fee_amount)).toBe(fee);

    const [byOrder] = (await x.us.finance.orderTransactions(o.order_id)).statement_transactions;
    let skuFees = 0n;
    for (const sku of byOrder!.sku_statement_transactions) {
      identity(sku);
      skuFees += amount(sku, 'live_specials_fee_amount');
    }
    expect(skuFees).toBe(expected(fees.live_specials_fee[1]));

    const [v2] = await collect(x.us.finance.statementTransactions202501(s!.id));
    const breakdown = v2!.fee_tax_breakdown?.fee ?? {};
    for (const key of Object.keys(fees)) expect(breakdown[`${key}_amount`]).toBe(tx![`${key}_amount`]);
    expect(v2!.fee_tax_amount).toBe(tx!.fee_amount);
    expect(v2!.settlement_amount).toBe(tx!.settlement_amount);
  });

  it('refuses a key that is not lower snake case or shadows an amount already rendered', async () => {
    const x = await sandbox();
    for (const key of ['Affiliate', 'referral_fee', 'settlement']) {
      await expect(
        x.admin('PUT', '/settings', { business: { extraFees: [{ key, rate: '0.01' }] } }),
      ).rejects.toThrow(/extraFees/);
    }
  });
});

describe('republished statements', () => {
  it('change totals and the payment under the same id; a paid statement answers 409', async () => {
    const x = await sandbox({ completeAfterSeconds: 0 });
    const o = await deliveredOrder(x, 'us', { lines: [{ seller_sku: 'LAMP', quantity: 2 }] });
    advancePastMidnight(x);
    const [before] = await collect(x.us.finance.statements());
    const path = `/statements/${before!.id}/republish`;

    const up = await post(x, path, {
      amount: '2.50',
      type: 'CUSTOMER_SERVICE_COMPENSATION',
      order_id: o.order_id,
    });
    expect(up.status).toBe(200);
    expect(up.json).toMatchObject({
      id: before!.id,
      adjustment_amount: '2.50',
      payment_status: 'PROCESSING',
    });
    expect(cents(up.json.settlement_amount)).toBe(cents(before!.settlement_amount) + 250n);
    expect((await post(x, path, { amount: '-1.25' })).status).toBe(200);

    const [after, ...more] = await collect(x.us.finance.statements());
    expect(more).toEqual([]);
    expect(after).toMatchObject({
      id: before!.id,
      payment_id: before!.payment_id,
      adjustment_amount: '1.25',
    });
    expect(cents(after!.settlement_amount)).toBe(cents(before!.settlement_amount) + 125n);
    identity(after!);
    const txs = await collect(x.us.finance.statementTransactions(after!.id));
    expect(txs.map((t) => [t.type, t.settlement_amount])).toEqual([
      ['ORDER', txs[0]!.settlement_amount],
      ['CUSTOMER_SERVICE_COMPENSATION', '2.50'],
      ['OTHER_ADJUSTMENT', '-1.25'],
    ]);
    expect(txs[1]).toMatchObject({ adjustment_order_id: o.order_id });
    const [p] = await collect(x.us.finance.payments());
    expect(p).toMatchObject({ settlement_amount: { value: after!.settlement_amount } });
    expect(p!.amount.value).toBe(after!.settlement_amount);

    advancePastMidnight(x);
    const paid = await post(x, path, { amount: '1.00' });
    expect(paid.status).toBe(409);
    expect(paid.json.message).toMatch(/already PAID/);
    expect((await collect(x.us.finance.statements()))[0]!.settlement_amount).toBe(after!.settlement_amount);
  });

  it('answers 404 for an unknown statement and 400 naming the field for bad input', async () => {
    const x = await sandbox({ completeAfterSeconds: 0 });
    await deliveredOrder(x, 'us', { lines: [{ seller_sku: 'BULB', quantity: 1 }] });
    advancePastMidnight(x);
    const [s] = await collect(x.us.finance.statements());
    const path = `/statements/${s!.id}/republish`;
    expect((await post(x, '/statements/723999/republish', { amount: '1.00' })).status).toBe(404);
    for (const [body, field] of [
      [{}, /body\.amount/],
      [{ amount: 'abc' }, /body\.amount/],
      [{ amount: '0.00' }, /body\.amount .*must not be 0/],
      [{ amount: '1.001' }, /more than 2 decimals/],
      [{ amount: '1.00', type: 'charge back' }, /body\.type/],
      [{ amount: '1.00', type: 'ORDER' }, /body\.type/],
      [{ amount: '1.00', order_id: '576000' }, /body\.order_id/],
      [{ amount: '1.00', colour: 'red' }, /colour/],
    ] as const) {
      const r = await post(x, path, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.message).toMatch(field);
    }
    expect((await collect(x.us.finance.statements()))[0]!.settlement_amount).toBe(s!.settlement_amount);
  });
});

describe('adjustments', () => {
  it('take a reference type or any UPPER_SNAKE_CASE name, positive or negative', async () => {
    const x = await sandbox();
    const shop_id = x.creds.shops[0]!.id;
    expect(
      (await post(x, '/adjustments', { shop_id, amount: '7.25', type: 'PLATFORM_REIMBURSEMENT' })).status,
    ).toBe(200);
    expect((await post(x, '/adjustments', { shop_id, amount: '-3.10', type: 'MADE_UP_FEE_2' })).status).toBe(
      200,
    );
    const bad = await post(x, '/adjustments', { shop_id, amount: '1.00', type: 'Charge-Back' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/body\.type .*UPPER_SNAKE_CASE/);
    advancePastMidnight(x);
    const [s] = await collect(x.us.finance.statements());
    expect(s).toMatchObject({ adjustment_amount: '4.15', settlement_amount: '4.15' });
    const txs = await collect(x.us.finance.statementTransactions(s!.id));
    expect(txs.map((t) => [t.type, t.adjustment_amount])).toEqual([
      ['PLATFORM_REIMBURSEMENT', '7.25'],
      ['MADE_UP_FEE_2', '-3.10'],
    ]);
  });
});

describe('unsettled transactions (202507)', () => {
  it('list a delivered or completed order until its statement exists', async () => {
    const x = await sandbox();
    const a = await deliveredOrder(x, 'us', {
      lines: [{ seller_sku: 'LAMP', quantity: 1 }],
      shipping_fee: '4.99',
    });
    const c = await deliveredOrder(x, 'us', { lines: [{ seller_sku: 'BULB', quantity: 2 }] });
    await x.admin('POST', '/orders', {
      shop_id: x.creds.shops[0]!.id,
      lines: [{ seller_sku: 'BULB', quantity: 1 }],
    });
    const listed = async (range = {}) => await collect(x.us.finance.unsettledOrders(range, { pageSize: 1 }));

    const delivered = await listed();
    expect(delivered.map((t) => [t.order_id, t.status])).toEqual([
      [a.order_id, 'UNSETTLED'],
      [c.order_id, 'UNSETTLED'],
    ]);
    const [ca] = await x.us.orders.getDetails([c.order_id]);
    expect((await listed({ ge: ca!.create_time })).map((t) => t.order_id)).toEqual([c.order_id]);
    expect((await listed({ lt: ca!.create_time })).map((t) => t.order_id)).toEqual([a.order_id]);

    x.sandbox.advance(7 * DAY + 2 * 3600);
    const [aa] = await x.us.orders.getDetails([a.order_id]);
    expect(aa!.status).toBe('COMPLETED');
    expect((await listed()).map((t) => t.order_id)).toEqual([a.order_id, c.order_id]);

    advancePastMidnight(x);
    expect(await listed()).toEqual([]);
    const [tx] = (await x.us.finance.orderTransactions(a.order_id)).statement_transactions;
    expect(tx!.settlement_amount).toBe(delivered[0]!.est_settlement_amount);
    expect(tx!.fee_amount).toBe(delivered[0]!.est_fee_tax_amount);
  });
});
