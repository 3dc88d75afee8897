/**
 * Booking one statement and one payment (docs/settlements.md):
 * - `read`: the statement's transactions, every page, in the configured API version, normalised
 *   (mappings/settlement-normalize.ts) and stored;
 * - `book` (model journal_entry): the statement's journal entry, upserted by its external id, so a
 *   republished statement updates its entry and never books twice; skipped when the body is the one
 *   already booked;
 * - a PAID payment: the payout deposit (journal_entry: from the clearing account, reserves withheld
 *   and released on the reserve account; deposit model: the whole payout, every part on its line).
 */
import { type SettlementAccounts, shopSettlement } from '../../config/settlement-settings.ts';
import { nsDecimal } from '../../connectors/netsuite/index.ts';
import type {
  StatementTransactions202501,
  TikTokShopApi,
  Transaction202309,
  Transaction202501,
} from '../../connectors/tiktok-shop/index.ts';
import type { SettledPayment, SettledStatement } from '../../domain/settlement.ts';
import {
  type EntryContext,
  planPaymentDeposit,
  planStatementEntry,
} from '../../mappings/settlement-entry.ts';
import {
  normalizePayment,
  normalizeStatement202309,
  normalizeStatement202501,
} from '../../mappings/settlement-normalize.ts';
import { AppError } from '../../shared/errors.ts';
import { contentHash } from '../../shared/ids.ts';
import { formatMoney } from '../../shared/money.ts';
import { bigJson } from '../../store/finance.ts';
import type { StepContext } from '../engine/define.ts';
import { currencyId, subsidiaryOf } from './currency.ts';
import {
  financeExternalId,
  type PaymentPayload,
  type SettlementServices,
  type StatementPayload,
} from './deps.ts';

type Ref = { id: string } | { externalId: string };

/** Every transaction of a statement, normalised. */
export async function fetchStatement(
  s: SettlementServices,
  api: TikTokShopApi,
  p: StatementPayload,
): Promise<SettledStatement> {
  const id = p.statement.id;
  if (s.settings.transactionsVersion === '202309') {
    const txs: Transaction202309[] = [];
    for await (const t of api.finance.statementTransactions(id, { pageSize: 100 })) txs.push(t);
    return normalizeStatement202309(p.shopId, p.statement, txs);
  }
  let header: StatementTransactions202501 | undefined;
  const txs: Transaction202501[] = [];
  let token: string | undefined;
  do {
    const page = await api.finance.statementTransactionsPage202501(id, 100, token);
    header ??= page;
    txs.push(...page.transactions);
    token = page.next_page_token || undefined;
  } while (token);
  return normalizeStatement202501(p.shopId, p.statement, header!, txs, s.settings.amounts202501);
}

export interface ReadOutput {
  transactions: number;
  settlement: string;
  currency: string;
}

export async function readStatement(s: SettlementServices, p: StatementPayload): Promise<ReadOutput> {
  const api = await s.shops.api(p.shopId);
  const stmt = await fetchStatement(s, api, p);
  await s.finance.saveStatement(stmt, contentHash(bigJson(stmt)));
  return {
    transactions: stmt.transactions.length,
    settlement: formatMoney({ minor: stmt.settlement, currency: stmt.currency }),
    currency: stmt.currency,
  };
}

/** The shop's subsidiary and accounts, refusing a configuration that cannot book. */
async function shopBooks(s: SettlementServices, shopId: string) {
  const region = await s.shops.region(shopId).catch(() => undefined);
  const books = shopSettlement(s.settings, shopId, region);
  if (!books.subsidiary)
    throw new AppError(
      'mapping_setting_missing',
      `settlements: no subsidiary for shop ${shopId}; set settlements.subsidiary or settlements.shops.${shopId}.subsidiary in tiksuite.yaml, then retry`,
      { details: { setting: 'settlements.subsidiary', shopId } },
    );
  for (const need of ['clearing', 'bank'] as const) if (!books.accounts[need]) missingAccount(need);
  return { ...books, subsidiary: books.subsidiary };
}

function missingAccount(name: keyof SettlementAccounts): never {
  throw new AppError(
    'settlement_account_missing',
    `settlements.accounts.${name} is not set: name the NetSuite account in tiksuite.yaml, then retry`,
    { details: { keys: [name], setting: `settlements.accounts.${name}` } },
  );
}

/** Statement currency, and the payment's rate when TikTok pays out in another currency. */
async function entryContext(
  s: SettlementServices,
  shopId: string,
  currency: string,
  payment: SettledPayment | undefined,
): Promise<EntryContext> {
  const books = await shopBooks(s, shopId);
  const sub = await subsidiaryOf(s.netsuite, books.subsidiary);
  const cur = await currencyId(s.netsuite, currency);
  const foreign = sub.currency !== undefined && sub.currency !== cur;
  const rate = payment && payment.payoutCurrency !== payment.currency ? payment.exchangeRate : undefined;
  return {
    accounts: books.accounts,
    subsidiary: { id: sub.id },
    currency: { id: cur },
    ...(foreign && rate ? { exchangeRate: rate } : {}),
    externalIdPrefix: s.mappings.externalIdPrefix,
    applyPayments: s.settings.applyPayments,
  };
}

export interface BookOutput {
  model: 'journal_entry' | 'deposit';
  entryId: string | null;
  action: 'created' | 'updated' | 'unchanged' | 'with_payment';
}

/** The statement's journal entry (model journal_entry); in the deposit model it is booked with its payment. */
export async function bookStatement(
  s: SettlementServices,
  p: StatementPayload,
  ctx: StepContext,
): Promise<BookOutput> {
  const model = s.settings.model;
  if (model === 'deposit') return { model, entryId: null, action: 'with_payment' };
  const stmt = await s.finance.statement(p.shopId, p.statement.id);
  if (!stmt) throw new AppError('internal', `statement ${p.statement.id} was not read`);
  const payment = stmt.paymentId ? await s.finance.payment(p.shopId, stmt.paymentId) : undefined;
  const plan = planStatementEntry(stmt, await entryContext(s, p.shopId, stmt.currency, payment));
  // A statement of zeros (nothing settled, nothing withheld) has nothing to book.
  if (plan.lines.length === 0) return { model, entryId: null, action: 'unchanged' };
  const hash = contentHash(plan.body);
  const booked = await s.finance.entryOf(p.shopId, stmt.id);
  if (booked.entryId && booked.entryHash === hash)
    return { model, entryId: booked.entryId, action: 'unchanged' };
  const entryId = await s.netsuite.records.upsert(
    'journalEntry',
    plan.externalId,
    numbers({ ...plan.body, externalId: plan.externalId }),
  );
  await s.finance.setEntry(p.shopId, stmt.id, entryId, hash);
  ctx.log.info({ statementId: stmt.id, entryId, republished: !!booked.entryId }, 'statement booked');
  s.onBooked?.({ shopId: p.shopId, kind: 'statement', id: stmt.id, netsuiteId: entryId });
  return { model, entryId, action: booked.entryId ? 'updated' : 'created' };
}

export interface PaymentOutput {
  status: string;
  depositId: string | null;
  statements: string[];
}

/** A payment: stored always; when PAID, its deposit, once its statements are read. */
export async function bookPayment(
  s: SettlementServices,
  p: PaymentPayload,
  ctx: StepContext,
): Promise<PaymentOutput> {
  const pay = normalizePayment(p.shopId, p.payment);
  await s.finance.savePayment(pay);
  if (pay.status !== 'PAID') return { status: pay.status, depositId: null, statements: [] };
  const statements = await s.finance.statementsOfPayment(p.shopId, pay.id);
  const paid = statements.reduce((t, x) => t + x.settlement, 0n);
  if (statements.length === 0 || paid !== pay.settlement)
    throw new AppError(
      'settlement_statement_pending',
      `TikTok payment ${pay.id} pays ${formatMoney({ minor: pay.settlement, currency: pay.currency })} but the statements read so far that name it add up to ${formatMoney({ minor: paid, currency: pay.currency })}: waiting for its statements to be read (retried by itself)`,
      { retryable: true, details: { paymentId: pay.id, statements: statements.map((x) => x.id) } },
    );
  const ids = statements.map((x) => x.id);
  if (s.settings.model === 'journal_entry') await requireEntries(s, p.shopId, pay.id, statements);
  const ectx = await entryContext(s, p.shopId, pay.currency, pay);
  const externalId = financeExternalId(s.mappings.externalIdPrefix, p.shopId, 'pay', pay.id);
  const body =
    s.settings.model === 'deposit'
      ? planPaymentDeposit(pay, statements, ectx)?.body
      : payoutDeposit(pay, statements, ectx);
  // TikTok pays nothing when the balance is not positive (reference 3.1): nothing to deposit.
  if (!body || pay.beforeExchange <= 0n) return { status: pay.status, depositId: null, statements: ids };
  const depositId = await s.netsuite.records.upsert('deposit', externalId, numbers({ ...body, externalId }));
  await s.finance.setDeposit(p.shopId, pay.id, depositId);
  ctx.log.info({ paymentId: pay.id, depositId, statements: ids }, 'payout booked');
  s.onBooked?.({ shopId: p.shopId, kind: 'payment', id: pay.id, netsuiteId: depositId });
  return { status: pay.status, depositId, statements: ids };
}

/**
 * The payout leaves the clearing account only once every statement it pays has put its payable
 * amount there: a statement held back (e.g. a fee key with no account) holds its payout too, so
 * clearing never goes below what TikTok owes. A statement of zeros books nothing and holds nothing.
 */
async function requireEntries(
  s: SettlementServices,
  shopId: string,
  paymentId: string,
  statements: SettledStatement[],
): Promise<void> {
  const waiting: string[] = [];
  for (const x of statements) {
    if (x.settlement === 0n && x.reserve === 0n) continue;
    if (!(await s.finance.entryOf(shopId, x.id)).entryId) waiting.push(x.id);
  }
  if (waiting.length)
    throw new AppError(
      'settlement_statement_pending',
      `TikTok payment ${paymentId} pays statements ${waiting.join(', ')} that are not booked yet (see their error records): its deposit waits for their journal entries (retried by itself)`,
      { retryable: true, details: { paymentId, statements: waiting } },
    );
}

const AMOUNT_KEYS = new Set(['debit', 'credit', 'amount', 'exchangeRate', 'payment']);
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The plans' decimal strings as JSON numbers written digit for digit (never through a float). */
function numbers(body: Record<string, unknown>): Record<string, unknown> {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string' && key && AMOUNT_KEYS.has(key) && DECIMAL.test(v)) return nsDecimal(v);
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object' && !JSON.isRawJSON(v))
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(body) as Record<string, unknown>;
}

/**
 * The payout (model journal_entry): the bank receives the payment before exchange (in the statement
 * currency, at the payment's rate) out of the clearing account, which the statements' entries
 * debited with their payable amounts; reserves the entries did not carry (202309 has them on the
 * payment only) go on the reserve account: withheld as cash back, released as another deposit line.
 */
export function payoutDeposit(
  pay: SettledPayment,
  statements: SettledStatement[],
  ctx: EntryContext,
): Record<string, unknown> {
  const a = ctx.accounts;
  const m = (minor: bigint) => nsDecimal(formatMoney({ minor, currency: pay.currency }));
  const inEntries = statements.reduce((t, x) => t + x.settlement + x.reserve, 0n);
  const reserveLeft = pay.reserve - statements.reduce((t, x) => t + x.reserve, 0n);
  const names = statements.map((x) => x.id).join(', ');
  const other: Record<string, unknown>[] = [
    { account: a.clearing as Ref, amount: m(inEntries), memo: `TikTok statements ${names}` },
  ];
  const cashback: Record<string, unknown>[] = [];
  if (reserveLeft !== 0n && !a.reserve) missingAccount('reserve');
  if (reserveLeft > 0n)
    other.push({
      account: a.reserve as Ref,
      amount: m(reserveLeft),
      memo: `reserve released · payment ${pay.id}`,
    });
  if (reserveLeft < 0n)
    cashback.push({
      account: a.reserve as Ref,
      amount: m(-reserveLeft),
      memo: `reserve withheld · payment ${pay.id}`,
    });
  return {
    account: a.bank,
    subsidiary: ctx.subsidiary,
    currency: ctx.currency,
    ...(ctx.exchangeRate ? { exchangeRate: nsDecimal(ctx.exchangeRate) } : {}),
    tranDate: new Date((pay.paidTime ?? pay.createTime) * 1000).toISOString().slice(0, 10),
    memo: `TikTok payout ${pay.id} (${formatMoney({ minor: pay.amount, currency: pay.payoutCurrency })} ${pay.payoutCurrency}) for statements ${names}`,
    other: { items: other },
    ...(cashback.length ? { cashback: { items: cashback } } : {}),
  };
}
