/**
 * Settlements' own tables (migration 013, docs/settlements.md): each TikTok statement and payment as
 * last read (normalised), what was booked for it in NetSuite, and each statement's last tie-out.
 */
import type { Kysely } from 'kysely';
import type { SettledPayment, SettledStatement } from '../domain/settlement.ts';
import { storableText } from '../shared/text.ts';
import type { Database } from './schema.ts';

/** JSON with bigints kept exact: a bigint is written as the string "<digits>n". */
export function bigJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

const BIG = /^-?\d+n$/;
export function parseBigJson<T>(text: unknown): T {
  const raw = typeof text === 'string' ? text : JSON.stringify(text);
  return JSON.parse(raw, (_k, v) => (typeof v === 'string' && BIG.test(v) ? BigInt(v.slice(0, -1)) : v)) as T;
}

export interface StatementRow {
  shopId: string;
  statementId: string;
  statementTime: number;
  currency: string;
  settlement: bigint;
  paymentId: string | null;
  paymentStatus: string | null;
  entryId: string | null;
  tieoutAt: Date | null;
}

export class FinanceStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async saveStatement(s: SettledStatement, contentHash: string, db: Kysely<Database> = this.#db) {
    const values = {
      statement_time: s.statementTime,
      currency: s.currency,
      settlement_minor: String(s.settlement),
      payment_id: s.paymentId ? storableText(s.paymentId) : null,
      payment_status: s.paymentStatus ? storableText(s.paymentStatus) : null,
      content_hash: contentHash,
      statement: storableText(bigJson(s)),
      updated_at: new Date(),
    };
    await db
      .insertInto('finance_statements')
      .values({ shop_id: storableText(s.shopId), statement_id: storableText(s.id), ...values })
      .onConflict((oc) => oc.columns(['shop_id', 'statement_id']).doUpdateSet(values))
      .execute();
  }

  async statement(shopId: string, id: string): Promise<SettledStatement | undefined> {
    const row = await this.#db
      .selectFrom('finance_statements')
      .select('statement')
      .where('shop_id', '=', storableText(shopId))
      .where('statement_id', '=', storableText(id))
      .executeTakeFirst();
    return row ? parseBigJson<SettledStatement>(row.statement) : undefined;
  }

  /** Every stored statement a payment pays (by the statements' payment id). */
  async statementsOfPayment(shopId: string, paymentId: string): Promise<SettledStatement[]> {
    const rows = await this.#db
      .selectFrom('finance_statements')
      .select('statement')
      .where('shop_id', '=', storableText(shopId))
      .where('payment_id', '=', storableText(paymentId))
      .orderBy('statement_time')
      .execute();
    return rows.map((r) => parseBigJson<SettledStatement>(r.statement));
  }

  async entryOf(shopId: string, id: string): Promise<{ entryId: string | null; entryHash: string | null }> {
    const row = await this.#db
      .selectFrom('finance_statements')
      .select(['entry_id', 'entry_hash'])
      .where('shop_id', '=', storableText(shopId))
      .where('statement_id', '=', storableText(id))
      .executeTakeFirst();
    return { entryId: row?.entry_id ?? null, entryHash: row?.entry_hash ?? null };
  }

  async setEntry(shopId: string, id: string, entryId: string, entryHash: string): Promise<void> {
    await this.#db
      .updateTable('finance_statements')
      .set({ entry_id: entryId, entry_hash: entryHash, updated_at: new Date() })
      .where('shop_id', '=', storableText(shopId))
      .where('statement_id', '=', storableText(id))
      .execute();
  }

  async setTieout(shopId: string, id: string, tieout: unknown): Promise<void> {
    await this.#db
      .updateTable('finance_statements')
      .set({ tieout: bigJson(tieout), tieout_at: new Date() })
      .where('shop_id', '=', storableText(shopId))
      .where('statement_id', '=', storableText(id))
      .execute();
  }

  async tieout<T>(shopId: string, id: string): Promise<T | undefined> {
    const row = await this.#db
      .selectFrom('finance_statements')
      .select('tieout')
      .where('shop_id', '=', storableText(shopId))
      .where('statement_id', '=', storableText(id))
      .executeTakeFirst();
    return row?.tieout ? parseBigJson<T>(row.tieout) : undefined;
  }

  /** Statements, newest first; filtered by shop and/or id. */
  async listStatements(
    f: { shopId?: string | undefined; statementId?: string | undefined; limit?: number } = {},
  ): Promise<StatementRow[]> {
    let q = this.#db
      .selectFrom('finance_statements')
      .select([
        'shop_id',
        'statement_id',
        'statement_time',
        'currency',
        'settlement_minor',
        'payment_id',
        'payment_status',
        'entry_id',
        'tieout_at',
      ])
      .orderBy('statement_time', 'desc')
      .orderBy('statement_id', 'desc')
      .limit(f.limit ?? 1000);
    if (f.shopId) q = q.where('shop_id', '=', storableText(f.shopId));
    if (f.statementId) q = q.where('statement_id', '=', storableText(f.statementId));
    const rows = await q.execute();
    return rows.map((r) => ({
      shopId: r.shop_id,
      statementId: r.statement_id,
      statementTime: Number(r.statement_time),
      currency: r.currency,
      settlement: BigInt(r.settlement_minor),
      paymentId: r.payment_id,
      paymentStatus: r.payment_status,
      entryId: r.entry_id,
      tieoutAt: r.tieout_at,
    }));
  }

  async savePayment(p: SettledPayment, db: Kysely<Database> = this.#db): Promise<void> {
    const values = {
      status: storableText(p.status),
      create_time: p.createTime,
      payment: storableText(bigJson(p)),
      updated_at: new Date(),
    };
    await db
      .insertInto('finance_payments')
      .values({ shop_id: storableText(p.shopId), payment_id: storableText(p.id), ...values })
      .onConflict((oc) => oc.columns(['shop_id', 'payment_id']).doUpdateSet(values))
      .execute();
  }

  async payment(
    shopId: string,
    id: string,
  ): Promise<(SettledPayment & { depositId: string | null }) | undefined> {
    const row = await this.#db
      .selectFrom('finance_payments')
      .select(['payment', 'deposit_id'])
      .where('shop_id', '=', storableText(shopId))
      .where('payment_id', '=', storableText(id))
      .executeTakeFirst();
    return row ? { ...parseBigJson<SettledPayment>(row.payment), depositId: row.deposit_id } : undefined;
  }

  async setDeposit(shopId: string, id: string, depositId: string): Promise<void> {
    await this.#db
      .updateTable('finance_payments')
      .set({ deposit_id: depositId, updated_at: new Date() })
      .where('shop_id', '=', storableText(shopId))
      .where('payment_id', '=', storableText(id))
      .execute();
  }

  async listPayments(shopId?: string): Promise<Array<SettledPayment & { depositId: string | null }>> {
    let q = this.#db.selectFrom('finance_payments').select(['payment', 'deposit_id']).orderBy('create_time');
    if (shopId) q = q.where('shop_id', '=', storableText(shopId));
    const rows = await q.execute();
    return rows.map((r) => ({ ...parseBigJson<SettledPayment>(r.payment), depositId: r.deposit_id }));
  }

  /** TikTok order id -> NetSuite sales order id, for orders the import wrote (order_sync). */
  async salesOrdersOf(shopId: string, orderIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < orderIds.length; i += 1000) {
      const part = orderIds.slice(i, i + 1000).map(storableText);
      if (part.length === 0) continue;
      const rows = await this.#db
        .selectFrom('order_sync')
        .select(['order_id', 'sales_order_id'])
        .where('shop_id', '=', storableText(shopId))
        .where('order_id', 'in', part)
        .where('sales_order_id', 'is not', null)
        .execute();
      for (const r of rows) if (r.sales_order_id) out.set(r.order_id, r.sales_order_id);
    }
    return out;
  }

  /** Orders TikSuite imported that TikTok shows delivered or completed (candidates for settlement). */
  async deliveredOrders(shopId: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('order_sync')
      .select('order_id')
      .where('shop_id', '=', storableText(shopId))
      .where('tiktok_status', 'in', ['DELIVERED', 'COMPLETED'])
      .where('sales_order_id', 'is not', null)
      .execute();
    return rows.map((r) => r.order_id);
  }
}
