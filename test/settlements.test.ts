/**
 * TikTok statements and payouts -> NetSuite and the tie-out (issue 14), end to end over HTTP: both
 * sandboxes and TikSuite's runtime on the test database, one world for the whole file. The TikTok
 * clock is moved by hand day by day: buyers order, the seller ships through the TikTok client,
 * TikTok delivers and completes the orders, each 00:00 UTC closes a statement per shop and pays the
 * balance half a day later. Every verdict is read from the sandboxes' own state (NetSuite's stored
 * records, TikTok's statements and payments) and checked to the cent.
 *
 * The days: (1) orders A, B (billed before it settles) and G1 (GB shop, GBP paid in USD), their
 * statements withhold a 10 % reserve, one is republished while its payout is processing, then paid;
 * (2) order A refunded after settlement, nothing else: a negative statement; (3) orders C and G2,
 * the reserves released, the negative statement netted into the payout; (4) orders D and G3 with a
 * fee key only the GB shop has an account for.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NetSuiteClient, nsDecimal } from '../src/connectors/netsuite/index.ts';
import { paymentAmounts, paymentStatus } from '../src/connectors/tiktok-shop/sandbox/payouts.ts';
import { returnExternalId } from '../src/flows/aftersale/index.ts';
import {
  financeExternalId,
  type Reconciliation,
  STATEMENT_FLOW,
  statementKey,
} from '../src/flows/settlements/index.ts';
import { DEMO_AFTERSALE } from '../src/main/demo/demo-env.ts';
import { entryClearing } from '../src/main/demo/settlements-section.ts';
import { type OrdersWorld, startOrdersWorld } from './support/orders.ts';
import { waitFor } from './support/proc.ts';
import {
  ACCOUNTS,
  accountId,
  BUSINESS,
  booked,
  bookedBy,
  deposited,
  depositLines,
  EXTRA_ACCOUNTS,
  exact,
  expectEntryOf,
  HALF_DAY,
  journalEntry,
  LIVE_FEE,
  midnight,
  money,
  ODD_FEE,
  paymentOf,
  REFUND_KEYS,
  rate6,
  reconcileCli,
  refId,
  restGet,
  type Sale,
  SETTLEMENTS,
  type Shop,
  sell,
  settlementOf,
  shopApi,
  statementAt,
  tieOut,
  tiktokSums,
  until,
} from './support/settlements.ts';

const tiktok = () => w.demo.tiktok.ctx;
const store = () => w.demo.netsuite.state.engine.store;
const prefix = () => w.demo.config.mappings.externalIdPrefix;

let w: OrdersWorld;
let ns: NetSuiteClient;
let us: Shop;
let gb: Shop;
/** Day 1: A (US, TikTok shipping, seller discount), B (US, billed before it settles), G1 (GB). */
let day1: { a: Sale; b: Sale; g1: Sale; invoiceB: string; boundary: number };
/** Day 3 (set by the refund test): C (US; its sales order is changed in NetSuite at the end) and G2 (GB). */
let day3: { c: Sale; g2: Sale; boundary: number };

beforeAll(async () => {
  w = await startOrdersWorld(
    'settlements',
    {
      settlements: SETTLEMENTS,
      aftersale: { ...DEMO_AFTERSALE, pollIntervalSeconds: 0.25, overlapSeconds: 5 },
    },
    { business: BUSINESS },
  );
  ns = w.demo.rt.orders!.services.netsuite;
  us = w.us;
  gb = w.demo.shops.find((s) => s.region === 'GB')!;
  await w.ns('POST', '/seed', { accounts: EXTRA_ACCOUNTS });
  // What `tiksuite serve` writes: a CLI finding the embedded database locked asks this server.
  writeFileSync(join(w.env.home, 'server.json'), JSON.stringify({ url: w.demo.url, pid: process.pid }));
  // On PostgreSQL the CLI opens the database itself, with the service's config (JSON is YAML).
  const { tiktok, netsuite, shops, mappings, aftersale, settlements } = w.demo.config;
  writeFileSync(
    join(w.env.home, 'tiksuite.yaml'),
    JSON.stringify({ tiktok, netsuite, shops, mappings, aftersale, settlements }),
  );
  // Each day starts at 00:01 UTC, so a day's orders complete before its midnight.
  midnight(w);
  const [a, b, g1] = await sell(w, [
    {
      shop: us,
      body: {
        lines: [
          { seller_sku: 'LIVE-HOODIE-BLK', quantity: 1 },
          { seller_sku: 'LIVE-CAP-RED', quantity: 1 },
        ],
        shipping_type: 'TIKTOK',
        seller_discount: '3.00',
      },
    },
    { shop: us, body: { lines: [{ seller_sku: 'LIVE-MUG-GLOW', quantity: 2 }], shipping_fee: '5.99' } },
    {
      shop: gb,
      body: {
        lines: [
          { seller_sku: 'LIVE-SCARF-UK', quantity: 2 },
          { seller_sku: 'LIVE-MUG-UK', quantity: 1 },
        ],
        shipping_fee: '2.49',
      },
    },
  ]);
  // The warehouse bills B in NetSuite before TikTok settles it.
  const invoiceB = await ns.records.transform('salesOrder', b!.soId, 'invoice', {});
  day1 = { a: a!, b: b!, g1: g1!, invoiceB, boundary: midnight(w) };
});
afterAll(async () => {
  await w?.close();
});

// ------------------------------------------------------------------------------------ the tests

describe('settlements: TikTok statements and payouts into NetSuite, and the tie-out', () => {
  it('a statement is one journal entry: every fee key on its own account for TikTok’s sum, balanced, clearing = settlement', async () => {
    for (const shop of [us, gb]) {
      const s = statementAt(w, shop, day1.boundary);
      const je = await booked(w, shop, s);
      expect(je.body['externalId']).toBe(`${prefix()}-${shop.id}-stmt-${s.id}`);
      const lines = expectEntryOf(w, shop, s, je);
      const keys = lines.map((l) => l.key);
      // The fees this day carries: referral (6 %) and the extra LIVE fee, each on its own line.
      expect(keys).toEqual(expect.arrayContaining(['referral_fee', LIVE_FEE, 'clearing']));
      const clearing = lines.filter((l) => l.key === 'clearing');
      expect(clearing).toHaveLength(1);
      expect(-clearing[0]!.amount).toBe(settlementOf(s));
    }
    // The label TikTok's shipping charged on A is a shipping cost of its own.
    const s = statementAt(w, us, day1.boundary);
    expect(tiktokSums(s).get('actual_shipping_fee')).toBe(-450n);
  });

  it('applyPayments: the billed order gets a payment from clearing that closes its invoice; the unbilled one is not failed', async () => {
    const s = statementAt(w, us, day1.boundary);
    const cpOf = (sale: Sale) =>
      store().byExternalId(
        'customerPayment',
        financeExternalId(prefix(), us.id, 'cp', `${s.id}-${sale.orderId}`),
      );
    const cp = await bookedBy(
      w,
      STATEMENT_FLOW,
      statementKey(us.id, s.id),
      () => cpOf(day1.b),
      () => true,
    );
    // What TikTok settles for B's sales side, to the cent, is what NetSuite applied.
    const sale = s.orders.find((o) => o.orderId === day1.b.orderId)!;
    const claimed = sale.lines.reduce(
      (t, l) => t + l.grossSales + l.sellerDiscount + l.customerShippingFee,
      0n,
    );
    expect(exact(cp.body['payment'], 'USD')).toBe(claimed);
    expect(refId(cp.body['account'])).toBe(accountId(w, ACCOUNTS.clearing.externalId));
    const applied = (cp.lines['apply'] ?? []).map((l) => refId(l['doc']));
    expect(applied).toEqual([day1.invoiceB]);
    const invoice = store().get(day1.invoiceB)!;
    expect(exact(invoice.body['total'], 'USD')).toBe(claimed);
    expect(exact(invoice.body['amountRemaining'], 'USD')).toBe(0n);
    // A is not billed: no payment, no error record, the statement's run succeeded.
    expect(cpOf(day1.a)).toBeUndefined();
    const key = statementKey(us.id, s.id);
    const open = await w.demo.rt.stores.errors.list({ flowId: STATEMENT_FLOW, limit: 1000 });
    expect(open.filter((e) => e.recordKey === key)).toEqual([]);
    const outcomes = await w.demo.rt.stores.db
      .selectFrom('record_outcomes')
      .select('status')
      .where('flow_id', '=', STATEMENT_FLOW)
      .where('record_key', '=', key)
      .execute();
    expect(outcomes.map((o) => o.status)).toContain('succeeded');
    expect(outcomes.map((o) => o.status)).not.toContain('failed');
  });

  it('TikTok republishes a statement still processing: the same journal entry is updated, clearing = the new settlement', async () => {
    const s = statementAt(w, us, day1.boundary);
    const before = await booked(w, us, s);
    const was = settlementOf(s);
    expect(paymentStatus(tiktok(), paymentOf(w, s))).toBe('PROCESSING');
    await w.tt('POST', `/statements/${s.id}/republish`, {
      amount: '-2.25',
      type: 'PLATFORM_COMMISSION_ADJUSTMENT',
    });
    expect(settlementOf(s)).toBe(was - 225n);
    const after = await booked(w, us, s);
    expect(after.id).toBe(before.id);
    const lines = expectEntryOf(w, us, s, after);
    expect(lines.find((l) => l.key === 'PLATFORM_COMMISSION_ADJUSTMENT')).toEqual({
      key: 'PLATFORM_COMMISSION_ADJUSTMENT',
      account: accountId(w, ACCOUNTS.adjustments.default.externalId),
      amount: -225n,
    });
    expect(entryClearing(after, 'USD')).toBe(was - 225n);
  });

  it('FX: the GBP statement booked in the USD subsidiary carries the payout’s rate, so does its deposit; the tie-out shows atRate and rounding', async () => {
    w.demo.tiktok.advance(HALF_DAY);
    const s = statementAt(w, gb, day1.boundary);
    const p = paymentOf(w, s);
    expect(p).toMatchObject({ currency: 'GBP', payoutCurrency: 'USD', exchangeRate: '1.270000' });
    const dep = await deposited(w, gb, p);
    const sub = store().byExternalId('subsidiary', 'SUB-US')!.id;
    const gbp = [...store().ofType('currency')].find((c) => c.body['symbol'] === 'GBP')!.id;
    const amounts = paymentAmounts(tiktok(), p);
    expect(refId(dep.body['subsidiary'])).toBe(sub);
    expect(refId(dep.body['currency'])).toBe(gbp);
    expect(rate6(dep.body['exchangeRate'])).toBe(1_270_000n);
    expect(exact(dep.body['total'], 'GBP')).toBe(amounts.beforeExchange);
    const je = await bookedBy(
      w,
      STATEMENT_FLOW,
      statementKey(gb.id, s.id),
      () => journalEntry(w, gb, s),
      (r) => rate6(r.body['exchangeRate']) === 1_270_000n,
    );
    expect(refId(je.body['subsidiary'])).toBe(sub);
    expect(refId(je.body['currency'])).toBe(gbp);
    expectEntryOf(w, gb, s, je);
    const t = await waitFor(
      () => tieOut(w, s.id),
      (x) => x.payout.depositId !== null,
    );
    // GBP before exchange x 1.270000, half up to the cent: what TikTok should pay in USD.
    const atRate = (amounts.beforeExchange * 1_270_000n * 2n + 1_000_000n) / 2_000_000n;
    expect(t.payout).toMatchObject({
      paymentId: p.id,
      status: 'PAID',
      matched: true,
      payoutCurrency: 'USD',
      exchangeRate: '1.270000',
      beforeExchange: money(amounts.beforeExchange, 'GBP'),
      amount: money(amounts.amount, 'USD'),
      atRate: money(atRate, 'USD'),
      rounding: money(amounts.amount - atRate, 'USD'),
    });
    expect(t.findings).toEqual([]);
    expect(t.unexplainedMinor).toBe(0);
  });

  it('a refund after settlement on a day with nothing else: a negative statement crediting clearing, netted into the next payout, matched to the credit memo', async () => {
    const api = await shopApi(w, us.id);
    const { return_id } = await w.tt<{ return_id: string }>('POST', `/orders/${day1.a.orderId}/return`, {
      return_type: 'REFUND',
    });
    await api.returns.approveReturn(return_id, { decision: 'APPROVE_REFUND' });
    const cm = await waitFor(
      async () => store().byExternalId('creditMemo', returnExternalId(prefix(), us.id, 'credit', return_id)),
      (r) => r !== undefined,
      undefined,
      50,
    );
    const boundary2 = midnight(w);
    const negative = statementAt(w, us, boundary2);
    expect(negative.orders.map((o) => [o.kind, o.orderId])).toEqual([['REFUND', day1.a.orderId]]);
    expect(negative.adjustments).toEqual([]);
    expect(settlementOf(negative) < 0n).toBe(true);
    // Below the minimum payout: TikTok pays nothing yet.
    expect(negative.paymentId).toBe('');
    const je = await booked(w, us, negative);
    const lines = expectEntryOf(w, us, negative, je);
    expect(lines.find((l) => l.key === 'clearing')!.amount).toBe(-settlementOf(negative));
    expect(lines.find((l) => l.key === 'clearing')!.amount > 0n).toBe(true);
    // The credit memo is what TikTok takes back from the seller's sales for A, to the cent.
    const refunded = REFUND_KEYS.reduce((t, k) => t + (tiktokSums(negative).get(k) ?? 0n), 0n);
    expect(exact(cm!.body['total'], 'USD')).toBe(-refunded);

    // Day 3: new sales that outweigh the refund (the reserves of day 1 come back, none withheld now).
    await w.tt('PUT', '/settings', { business: { reserveRate: '0' } });
    const [c, g2] = await sell(w, [
      { shop: us, body: { lines: [{ seller_sku: 'LIVE-TOTE-SAND', quantity: 4 }] } },
      { shop: gb, body: { lines: [{ seller_sku: 'LIVE-MUG-UK', quantity: 3 }] } },
    ]);
    day3 = { c: c!, g2: g2!, boundary: midnight(w) };
    const next = statementAt(w, us, day3.boundary);
    const p = paymentOf(w, next);
    expect(p.statementIds).toEqual([negative.id, next.id]);
    expect(negative.paymentId).toBe(p.id);
    w.demo.tiktok.advance(HALF_DAY);
    await booked(w, us, next);
    const dep = await deposited(w, us, p);
    const amounts = paymentAmounts(tiktok(), p);
    expect(exact(dep.body['total'], 'USD')).toBe(amounts.beforeExchange);
    const clearing = depositLines(dep, 'other', 'USD').filter(
      (l) => l.account === accountId(w, ACCOUNTS.clearing.externalId),
    );
    expect(clearing).toEqual([
      {
        account: accountId(w, ACCOUNTS.clearing.externalId),
        amount: settlementOf(negative) + settlementOf(next),
      },
    ]);
    const t = await waitFor(
      () => tieOut(w, negative.id),
      (x) => x.payout.matched,
    );
    expect(t.refunds).toEqual({ orders: 1, matched: 1, unmatched: [] });
    expect(t.payout.statements).toEqual([negative.id, next.id]);
    expect(t.variance.refunds).toBe(money(refunded, 'USD'));
    expect(t.findings).toEqual([]);
    expect(t.unexplainedMinor).toBe(0);
  });

  it('reserves: withheld as cash back on the reserve account, released later as an other-deposit line', async () => {
    const reserve = accountId(w, ACCOUNTS.reserve.externalId);
    const first = statementAt(w, us, day1.boundary);
    const [held] = first.reserves;
    expect(held).toMatchObject({ status: 'COLLECTED' });
    // 10 % of the settlement TikTok first stated (before the 2.25 republished), half up.
    const stated = settlementOf(first) + 225n;
    expect(held!.amount).toBe(-((stated * 10n + 50n) / 100n));
    const p1 = paymentOf(w, first);
    const d1 = await deposited(w, us, p1);
    expect(depositLines(d1, 'cashback', 'USD')).toEqual([{ account: reserve, amount: -held!.amount }]);
    expect(depositLines(d1, 'other', 'USD')).toEqual([
      { account: accountId(w, ACCOUNTS.clearing.externalId), amount: settlementOf(first) },
    ]);
    expect(exact(d1.body['total'], 'USD')).toBe(paymentAmounts(tiktok(), p1).beforeExchange);
    const later = statementAt(w, us, day3.boundary);
    const released = later.reserves.filter((r) => r.status === 'RELEASED');
    expect(released.map((r) => [r.reserveId, r.amount])).toEqual([[held!.reserveId, -held!.amount]]);
    const d3 = await deposited(w, us, paymentOf(w, later));
    expect(depositLines(d3, 'other', 'USD').filter((l) => l.account === reserve)).toEqual([
      { account: reserve, amount: -held!.amount },
    ]);
    expect(depositLines(d3, 'cashback', 'USD')).toEqual([]);
  });

  it('a fee key with no account: an open settlement_account_missing error naming the setting, nothing booked; the other shop still booked', async () => {
    await w.tt('PUT', '/settings', {
      business: {
        extraFees: [
          { key: LIVE_FEE, rate: '0.02' },
          { key: ODD_FEE, rate: '0.015' },
        ],
      },
    });
    const [d, g3] = await sell(w, [
      { shop: us, body: { lines: [{ seller_sku: 'LIVE-CAP-RED', quantity: 2 }] } },
      { shop: gb, body: { lines: [{ seller_sku: 'LIVE-SCARF-UK', quantity: 1 }] } },
    ]);
    const boundary4 = midnight(w);
    const usStatement = statementAt(w, us, boundary4);
    const gbStatement = statementAt(w, gb, boundary4);
    expect(usStatement.orders.map((o) => o.orderId)).toEqual([d!.orderId]);
    expect(tiktokSums(usStatement).get(ODD_FEE)! < 0n).toBe(true);
    // The GB shop names an account for the key: booked, the key on its own line.
    const gbEntry = await booked(w, gb, gbStatement);
    expect(gbStatement.orders.map((o) => o.orderId)).toEqual([g3!.orderId]);
    const lines = expectEntryOf(w, gb, gbStatement, gbEntry);
    expect(lines.find((l) => l.key === ODD_FEE)).toEqual({
      key: ODD_FEE,
      account: accountId(w, 'ACC-FEE-GMV'),
      amount: tiktokSums(gbStatement).get(ODD_FEE),
    });
    const key = statementKey(us.id, usStatement.id);
    const errors = await until(
      w,
      () => w.demo.rt.stores.errors.list({ flowId: STATEMENT_FLOW, limit: 1000 }),
      (list) => list.some((e) => e.recordKey === key),
    );
    const e = errors.find((x) => x.recordKey === key)!;
    expect(e.code).toBe('settlement_account_missing');
    expect(e.message).toContain(`settlements.accounts.fees.${ODD_FEE}`);
    expect(journalEntry(w, us, usStatement)).toBeUndefined();
    // Every earlier US statement stays booked as TikTok states it.
    for (const b of [day1.boundary, day3.boundary]) {
      const s = statementAt(w, us, b);
      expect(entryClearing(journalEntry(w, us, s)!, 'USD')).toBe(settlementOf(s));
    }
  });

  it('tie-out through the real entry points: the CLI exits 1 on a statement not booked, 0 for one that ties out, then 1 naming an order changed in NetSuite; bad input is refused, never a 500', async () => {
    const all = await reconcileCli(w, ['--json']);
    // The statement held back by the missing account is a finding: exit code 1.
    expect(all.code, all.stderr).toBe(1);
    const r = JSON.parse(all.stdout) as Reconciliation;
    const statements = [...tiktok().state.statements.byId.values()];
    expect(r.summary).toMatchObject({
      statements: statements.length,
      unmatched: 0,
      unexplainedMinor: 0,
      // Every order sold, once: A, B, G1, C, G2, D, G3.
      ordersMatched: 7,
    });
    // What is not booked is said: the statement held back by the missing account.
    expect(r.findings.map((f) => f.kind)).toEqual(['entry_not_booked']);
    // C's statement (day 3) ties out alone: exit code 0, nothing found.
    const day3Id = statementAt(w, us, day3.boundary).id;
    const ok = await reconcileCli(w, ['--statement', day3Id, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as Reconciliation).findings).toEqual([]);

    // Someone lowers C's line in NetSuite by 0.50: TikTok now settles 0.50 more than the order.
    const so = await ns.records.get('salesOrder', day3.c.soId);
    const line = so.item!.items![0]!;
    expect(exact(store().get(day3.c.soId)!.lines['item']![0]!['amount'], 'USD')).toBe(9700n);
    await ns.records.update('salesOrder', day3.c.soId, {
      item: { items: [{ line: line.line, amount: nsDecimal('96.50') }] },
    });
    const bad = await reconcileCli(w, ['--statement', day3Id, '--json']);
    expect(bad.code, bad.stderr).toBe(1);
    const r2 = JSON.parse(bad.stdout) as Reconciliation;
    const differs = r2.findings.filter((f) => f.kind === 'order_amount_differs');
    expect(differs).toHaveLength(1);
    expect(differs[0]).toMatchObject({ orderId: day3.c.orderId, amount: '0.50' });
    expect(differs[0]!.message).toContain(day3.c.orderId);
    expect(r2.summary.unexplainedMinor).toBe(50);

    const refused = await reconcileCli(w, ['--statement', 'abc']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--statement');
    for (const q of ['statement=%00', "statement=1'%20OR%201=1", `statement=${'9'.repeat(65)}`, 'bogus=1']) {
      const res = await restGet(w, `/api/finance/reconcile?${q}`);
      expect(res.status, q).toBe(400);
    }
    const unknown = await restGet(w, '/api/finance/reconcile?statement=123');
    expect(unknown.status).toBe(404);
  });
});
