/**
 * End-to-end helpers for the settlement tests (test/settlements.test.ts): the world's settings, the
 * TikTok day (buyers order, the seller ships on TikTok, TikTok delivers; the clock to the next
 * 00:00 UTC), waits on what TikSuite books, and what the books must say, read from the TikTok
 * sandbox's own statements (every figure in minor units, to the cent).
 */
import { expect } from 'vitest';
import { decMinor } from '../../src/connectors/netsuite/sandbox/records/money.ts';
import type { StoredRecord } from '../../src/connectors/netsuite/sandbox/store.ts';
import { Ref } from '../../src/connectors/netsuite/sandbox/values.ts';
import type { SandboxShopCredentials, TikTokShopApi } from '../../src/connectors/tiktok-shop/index.ts';
import type {
  LineSettlement,
  Payment,
  Statement,
} from '../../src/connectors/tiktok-shop/sandbox/model-finance.ts';
import { paymentStatus } from '../../src/connectors/tiktok-shop/sandbox/payouts.ts';
import { statementTotals } from '../../src/connectors/tiktok-shop/sandbox/settlement.ts';
import {
  financeExternalId,
  PAYMENT_FLOW,
  paymentKey,
  type Reconciliation,
  STATEMENT_FLOW,
  statementKey,
  type TieOut,
} from '../../src/flows/settlements/index.ts';
import { DEMO_SETTLEMENTS } from '../../src/main/demo/demo-env.ts';
import { entryClearing } from '../../src/main/demo/settlements-section.ts';
import { currencyExponent, formatMoney } from '../../src/shared/money.ts';
import type { ErrorRecord } from '../../src/store/errors.ts';
import type { OrdersWorld } from './orders.ts';
import { runCli, waitFor } from './proc.ts';

export type Shop = SandboxShopCredentials;

const DAY_MS = 86_400_000;
export const HALF_DAY = 43_200;
/** Mapped in settlements.accounts.fees for every shop. */
export const LIVE_FEE = 'live_specials_fee';
/** A fee key TikSuite does not know, mapped for the GB shop only (settlements.shops.GB). */
export const ODD_FEE = 'gmv_max_ads_fee';

export const ACCOUNTS = {
  ...DEMO_SETTLEMENTS.accounts,
  fees: { ...DEMO_SETTLEMENTS.accounts.fees, [LIVE_FEE]: { externalId: 'ACC-FEE-LIVE' } },
};
/** The two fee accounts DEMO_SETTLEMENTS does not seed. */
export const EXTRA_ACCOUNTS = [
  {
    externalId: 'ACC-FEE-LIVE',
    acctName: 'TikTok LIVE specials fees',
    acctNumber: '6140',
    acctType: 'Expense',
  },
  { externalId: 'ACC-FEE-GMV', acctName: 'TikTok GMV Max ads fees', acctNumber: '6150', acctType: 'Expense' },
];
/** The demo's settlements, read with 202309, polled fast, payments applied. */
export const SETTLEMENTS = {
  ...DEMO_SETTLEMENTS,
  transactionsVersion: '202309',
  pollIntervalSeconds: 0.25,
  applyPayments: true,
  accounts: ACCOUNTS,
  // The GB shop (GBP) is booked in the US subsidiary, into the US bank.
  shops: {
    GB: {
      subsidiary: { externalId: 'SUB-US' },
      accounts: { fees: { [ODD_FEE]: { externalId: 'ACC-FEE-GMV' } } },
    },
  },
};
/** TikTok's side: orders complete a minute after delivery, payouts half a day after the statement. */
export const BUSINESS = {
  completeAfterSeconds: 60,
  payoutDelaySeconds: HALF_DAY,
  reserveRate: '0.10',
  reserveHoldDays: 2,
  extraFees: [{ key: LIVE_FEE, rate: '0.02' }],
  payoutExchange: { GBP: { currency: 'USD', rate: '1.270000' } },
};

// ------------------------------------------------------------------------------------ the world

export interface Sale {
  shop: Shop;
  orderId: string;
  soId: string;
}

export function shopApi(w: OrdersWorld, shopId: string): Promise<TikTokShopApi> {
  return w.demo.rt.orders!.services.shops.api(shopId);
}

/** Ships an order as the seller on TikTok: TikTok's label (shipping_type TIKTOK) or the seller's own. */
async function ship(w: OrdersWorld, shop: Shop, orderId: string, tiktokLabel: boolean): Promise<void> {
  const api = await shopApi(w, shop.id);
  if (tiktokLabel) {
    const [detail] = await api.orders.getDetails([orderId]);
    await api.fulfillment.shipPackage(detail!.packages[0]!.id, { handover_method: 'DROP_OFF' });
    return;
  }
  const [option] = await api.logistics.deliveryOptions(shop.warehouse_id);
  const [provider] = await api.logistics.shippingProviders(option!.id);
  await api.fulfillment.markShipped(orderId, {
    tracking_number: `FIN-${orderId}`,
    shipping_provider_id: provider!.id,
  });
}

/** Buyers order; after the hold TikSuite imports each order, the seller ships it on TikTok, TikTok delivers it. */
export async function sell(
  w: OrdersWorld,
  orders: Array<{ shop: Shop; body: Record<string, unknown> }>,
): Promise<Sale[]> {
  const placed: Array<{ shop: Shop; body: Record<string, unknown>; orderId: string }> = [];
  for (const o of orders) placed.push({ ...o, orderId: await w.placeOrder(o.body, o.shop.id) });
  w.demo.tiktok.advance(3601);
  const sales: Sale[] = [];
  for (const o of placed) {
    const so = await waitFor(
      async () => w.salesOrder(o.orderId, o.shop.id),
      (x) => x !== undefined,
      undefined,
      50,
    );
    await ship(w, o.shop, o.orderId, o.body['shipping_type'] === 'TIKTOK');
    await w.tt('POST', `/orders/${o.orderId}/deliver`);
    sales.push({ shop: o.shop, orderId: o.orderId, soId: so!.id });
  }
  return sales;
}

/** Moves TikTok's clock to 00:01 UTC of the next day: the daily statements and payouts run. */
export function midnight(w: OrdersWorld): number {
  const now = w.demo.tiktok.now();
  const next = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
  w.demo.tiktok.advance(Math.ceil((next - now) / 1000) + 60);
  return next / 1000;
}

/** The statement TikTok made for the shop at this day boundary. */
export function statementAt(w: OrdersWorld, shop: Shop, boundary: number): Statement {
  const found = [...w.demo.tiktok.ctx.state.statements.byId.values()].filter(
    (s) => s.shopId === shop.id && s.boundary === boundary,
  );
  expect(found, `statements of ${shop.region} at ${boundary}`).toHaveLength(1);
  return found[0]!;
}

export function paymentOf(w: OrdersWorld, s: Statement): Payment {
  const p = w.demo.tiktok.ctx.state.payments.get(s.paymentId);
  expect(p, `payment of statement ${s.id}`).toBeDefined();
  return p!;
}

export const settlementOf = (s: Statement) => statementTotals(s).settlement;
const store = (w: OrdersWorld) => w.demo.netsuite.state.engine.store;
const prefix = (w: OrdersWorld) => w.demo.config.mappings.externalIdPrefix;

export const journalEntry = (w: OrdersWorld, shop: Shop, s: Statement) =>
  store(w).byExternalId('journalEntry', financeExternalId(prefix(w), shop.id, 'stmt', s.id));
export const depositOf = (w: OrdersWorld, shop: Shop, p: Payment) =>
  store(w).byExternalId('deposit', financeExternalId(prefix(w), shop.id, 'pay', p.id));
export const accountId = (w: OrdersWorld, externalId: string) =>
  store(w).byExternalId('account', externalId)!.id;
export const refId = (v: unknown) => (v instanceof Ref ? v.id : undefined);

/** Waits on TikSuite, waking its settlements poller now and then rather than waiting for its interval. */
export function until<T>(w: OrdersWorld, read: () => T | Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let woke = 0;
  return waitFor(
    async () => {
      if (Date.now() - woke > 1000) {
        woke = Date.now();
        w.demo.rt.settlements!.poller.wake();
      }
      return read();
    },
    ok,
    undefined,
    50,
  );
}

/** The open error record of a statement or payment, if TikSuite gave up on it. */
export async function openError(
  w: OrdersWorld,
  flowId: string,
  key: string,
): Promise<ErrorRecord | undefined> {
  const list = await w.demo.rt.stores.errors.list({ flowId, limit: 1000 });
  return list.find((e) => e.recordKey === key);
}

/**
 * Waits for a NetSuite record TikSuite books for a statement or payment; an open error record for
 * it ends the wait at once, naming it (so a broken flow fails here, not after the patience runs out).
 */
export async function bookedBy(
  w: OrdersWorld,
  flowId: string,
  key: string,
  read: () => StoredRecord | undefined,
  ok: (r: StoredRecord) => boolean,
): Promise<StoredRecord> {
  const got = await until(
    w,
    async () => ({ record: read(), error: await openError(w, flowId, key) }),
    (x) => x.error !== undefined || (x.record !== undefined && ok(x.record)),
  );
  if (got.record && ok(got.record)) return got.record;
  throw new Error(`${key}: ${got.error?.code}: ${got.error?.message}`);
}

/** The statement's journal entry once it is booked as TikTok now states it (clearing = settlement). */
export function booked(w: OrdersWorld, shop: Shop, s: Statement): Promise<StoredRecord> {
  return bookedBy(
    w,
    STATEMENT_FLOW,
    statementKey(shop.id, s.id),
    () => journalEntry(w, shop, s),
    (je) => entryClearing(je, s.currency) === settlementOf(s),
  );
}

/** A paid payout's deposit in NetSuite. */
export function deposited(w: OrdersWorld, shop: Shop, p: Payment): Promise<StoredRecord> {
  expect(paymentStatus(w.demo.tiktok.ctx, p)).toBe('PAID');
  return bookedBy(
    w,
    PAYMENT_FLOW,
    paymentKey(shop.id, p.id),
    () => depositOf(w, shop, p),
    () => true,
  );
}

// --------------------------------------------------------------- what the books must say, from TikTok

const LINE_FIGURES: Record<string, (l: LineSettlement) => bigint> = {
  gross_sales: (l) => l.grossSales,
  seller_discount: (l) => l.sellerDiscount,
  customer_paid_shipping_fee: (l) => l.customerShippingFee,
  gross_sales_refund: (l) => l.grossSalesRefund,
  seller_discount_refund: (l) => l.sellerDiscountRefund,
  customer_paid_shipping_fee_refund: (l) => l.customerShippingFeeRefund,
  actual_shipping_fee: (l) => l.actualShippingFee,
  referral_fee: (l) => l.referralFee,
  transaction_fee: (l) => l.transactionFee,
  refund_administration_fee: (l) => l.refundAdminFee,
};
const SALES_KEYS = ['gross_sales', 'seller_discount', 'customer_paid_shipping_fee'];
export const REFUND_KEYS = [
  'gross_sales_refund',
  'seller_discount_refund',
  'customer_paid_shipping_fee_refund',
];

/** The configured account (external id) of a line key, for this shop. */
function accountOf(shop: Shop, key: string): string {
  const fees: Record<string, { externalId: string }> = {
    ...ACCOUNTS.fees,
    ...(shop.region === 'GB' ? SETTLEMENTS.shops.GB.accounts.fees : {}),
  };
  // applyPayments: the sales side posts to the clearing account the customer payments come from.
  if (key === 'clearing' || SALES_KEYS.includes(key)) return ACCOUNTS.clearing.externalId;
  if (REFUND_KEYS.includes(key)) return ACCOUNTS.refunds.externalId;
  if (key === 'actual_shipping_fee') return ACCOUNTS.shipping.actual_shipping_fee.externalId;
  if (key === 'CHARGE_BACK') return ACCOUNTS.adjustments.CHARGE_BACK.externalId;
  if (/^[A-Z_]+$/.test(key)) return ACCOUNTS.adjustments.default.externalId;
  const fee = fees[key];
  if (!fee) throw new Error(`no account configured for ${key}`);
  return fee.externalId;
}

/** TikTok's own sums per key for one statement: key -> signed minor units (+ credit, - debit). */
export function tiktokSums(s: Statement): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  const add = (key: string, v: bigint) => sums.set(key, (sums.get(key) ?? 0n) + v);
  for (const o of s.orders)
    for (const l of o.lines) {
      for (const [key, figure] of Object.entries(LINE_FIGURES)) add(key, figure(l));
      for (const [key, v] of Object.entries(l.extraFees)) add(key, v);
    }
  for (const a of s.adjustments) add(a.type, a.amount);
  add('clearing', -settlementOf(s));
  return new Map([...sums].filter(([, v]) => v !== 0n));
}

export interface EntryLine {
  key: string;
  account: string | undefined;
  amount: bigint;
}

/** The entry's lines as NetSuite stores them (+ credit, - debit), keyed by the memo's first word. */
function linesOf(je: StoredRecord, currency: string): EntryLine[] {
  const exp = currencyExponent(currency);
  return (je.lines['line'] ?? []).map((l) => ({
    key: String(l['memo']).split(' · ')[0]!,
    account: refId(l['account']),
    amount: decMinor(l['credit'], exp) - decMinor(l['debit'], exp),
  }));
}

const byKey = (a: EntryLine, b: EntryLine) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * One line per key TikTok states, on its configured account, for TikTok's sum; debits = credits;
 * the only journal entry of the statement. Returns the lines.
 */
export function expectEntryOf(w: OrdersWorld, shop: Shop, s: Statement, je: StoredRecord): EntryLine[] {
  const lines = linesOf(je, s.currency);
  const want = [...tiktokSums(s)].map(([key, amount]) => ({
    key,
    account: accountId(w, accountOf(shop, key)),
    amount,
  }));
  expect([...lines].sort(byKey)).toEqual(want.sort(byKey));
  expect(lines.reduce((t, l) => t + l.amount, 0n)).toBe(0n);
  const twins = [...store(w).ofType('journalEntry')].filter((r) =>
    String(r.body['memo']).includes(`statement ${s.id} `),
  );
  expect(twins.map((r) => r.id)).toEqual([je.id]);
  return lines;
}

/** A deposit's other-deposit (+) or cash-back lines, amounts as stored. */
export function depositLines(
  dep: StoredRecord,
  list: 'other' | 'cashback',
  currency: string,
): Array<{ account: string | undefined; amount: bigint }> {
  const exp = currencyExponent(currency);
  return (dep.lines[list] ?? []).map((l) => ({
    account: refId(l['account']),
    amount: decMinor(l['amount'], exp),
  }));
}

/** A stored NetSuite amount in minor units; an exchange rate in millionths. */
export const exact = (v: unknown, currency: string) => decMinor(v, currencyExponent(currency));
export const rate6 = (v: unknown) => decMinor(v, 6);
export const money = (minor: bigint, currency: string) => formatMoney({ minor, currency });

// ------------------------------------------------------------------------- TikSuite's entry points

export function restGet(w: OrdersWorld, path: string): Promise<Response> {
  return fetch(`${w.demo.url}${path}`, { headers: { authorization: `Bearer ${w.demo.adminToken}` } });
}

/** One statement's tie-out through `GET /api/finance/reconcile?statement=`. */
export async function tieOut(w: OrdersWorld, statementId: string): Promise<TieOut> {
  const res = await restGet(w, `/api/finance/reconcile?statement=${statementId}`);
  expect(res.status).toBe(200);
  const r = (await res.json()) as Reconciliation;
  expect(r.statements).toHaveLength(1);
  return r.statements[0]!;
}

/** The real `tiksuite finance reconcile`, spawned in the world's home. */
export const reconcileCli = (w: OrdersWorld, args: string[]) =>
  runCli(['finance', 'reconcile', ...args], {
    env: { ...w.env.childEnv, TIKSUITE_ADMIN_TOKEN: w.demo.adminToken },
    cwd: w.env.home,
  });
