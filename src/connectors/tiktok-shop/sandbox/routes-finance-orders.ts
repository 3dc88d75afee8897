/**
 * Finance by order (reference §8.1, §8.3-8.4): transactions by order in both versions (one per
 * statement the order appears in: its sale, then refunds that completed after it settled) and
 * the 202507 unsettled transactions. Shared query helpers of the finance routes live here too.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { PAGE_LIMITS, PATHS } from '../manifest.ts';
import { type Ctx, notFound } from './context.ts';
import type { SandboxEnv } from './gate.ts';
import type { Order, OrderSettlement, Statement } from './model.ts';
import { type ApiInput, inWindow, page, parseInput, type Wrap } from './route.ts';
import { lineTotals, settleLines, sumTotals } from './settlement.ts';
import { money } from './views.ts';
import { orderTx202309, skuTxs202309 } from './views-finance.ts';
import { nested, skuTxs202501 } from './views-finance-202501.ts';

export const Int = z
  .string()
  .regex(/^\d+$/)
  .transform((s) => Number.parseInt(s, 10));

export const size = { max: PAGE_LIMITS.finance, defaultSize: 20 };

export function ordered<T>(list: T[], order: 'ASC' | 'DESC'): T[] {
  return order === 'DESC' ? list.reverse() : list;
}

const UnsettledQuery = z.object({
  sort_field: z.literal('order_create_time'),
  sort_order: z.enum(['ASC', 'DESC']).default('ASC'),
  search_time_ge: Int.optional(),
  search_time_lt: Int.optional(),
});

/** The order and its transactions, one per statement it appears in (none before it settles). */
function settledOrder(x: ApiInput): { order: Order; entries: Array<{ s: Statement; o: OrderSettlement }> } {
  const order = x.ctx.state.orders.get(x.param('id'));
  if (!order || order.shopId !== x.shop.id) throw notFound(x.ctx, 'order', x.param('id'));
  const entries: Array<{ s: Statement; o: OrderSettlement }> = [];
  for (const id of x.ctx.state.orderStatements.get(order.id) ?? []) {
    const s = x.ctx.state.statements.get(id)!;
    for (const o of s.orders) if (o.orderId === order.id) entries.push({ s, o });
  }
  return { order, entries };
}

export function financeOrderRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  orderTransactionRoutes(app, r);
  unsettledRoutes(app, r);
}

function orderTransactionRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  app.get(
    PATHS.orderTransactions(':id'),
    r((x) => {
      const { order, entries } = settledOrder(x);
      return {
        order_id: order.id,
        order_create_time: order.createTime,
        statement_transactions: entries.map(({ s, o }) => ({
          ...orderTx202309(s, o),
          statement_id: s.id,
          statement_time: s.statementTime,
          status: 'SETTLED',
          sku_statement_transactions: skuTxs202309(s, o),
        })),
      };
    }),
  );

  app.get(
    PATHS.orderTransactions202501(':id'),
    r((x) => {
      const { order, entries } = settledOrder(x);
      const all = nested(
        x.ctx,
        entries.flatMap((e) => e.o.lines),
        order.currency,
      );
      return {
        order_id: order.id,
        order_create_time: order.createTime,
        currency: order.currency,
        ...(entries.length > 0
          ? {
              revenue_amount: all.revenue_amount,
              shipping_cost_amount: all.shipping_cost_amount,
              fee_and_tax_amount: all.fee_tax_amount,
            }
          : {}),
        settlement_amount: all.settlement_amount,
        total_count: entries.length,
        sku_transactions: entries.flatMap(({ s, o }) => skuTxs202501(x.ctx, s, o)),
      };
    }),
  );
}

function unsettledRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  app.get(
    PATHS.unsettledOrders,
    r(({ ctx, shop, query }) => {
      const q = parseInput(UnsettledQuery, query, 'query');
      const list = ctx.state.orders
        .ofShop(shop.id)
        .filter(
          (o) =>
            (o.status === 'DELIVERED' || o.status === 'COMPLETED') &&
            o.statementId === undefined &&
            inWindow(o.createTime, q.search_time_ge, q.search_time_lt),
        )
        .sort((a, b) => a.createTime - b.createTime);
      const p = page(ordered(list, q.sort_order), query, { ...size, filters: q });
      return {
        transactions: p.slice.map((o) => unsettledTx(ctx, o)),
        total_count: p.total_count,
        next_page_token: p.next_page_token,
      };
    }),
  );
}

/** Shape UNCONFIRMED (docs/sandbox-tiktok.md): what the order would settle for if it settled now. */
function unsettledTx(ctx: Ctx, o: Order): Record<string, unknown> {
  const t = sumTotals(settleLines(ctx, o).map(lineTotals));
  const m = (x: bigint) => money(x, o.currency);
  return {
    id: o.unsettledTxId ?? o.id,
    order_id: o.id,
    order_create_time: o.createTime,
    status: 'UNSETTLED',
    currency: o.currency,
    est_settlement_amount: m(t.settlement),
    est_revenue_amount: m(t.netSales),
    est_fee_tax_amount: m(t.fee),
  };
}
