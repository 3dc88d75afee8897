/** Finance (reference §8) and webhook subscription (§9.1) endpoints. */
import type { Hono } from 'hono';
import { z } from 'zod';
import { EVENT_TYPE_NAMES, PATHS } from '../manifest.ts';
import { DeleteWebhookBody, UpdateWebhookBody } from '../wire/events.ts';
import { type Ctx, invalidParam, notFound } from './context.ts';
import type { SandboxEnv } from './gate.ts';
import type { Adjustment, OrderSettlement, ReserveEntry, Shop, Statement } from './model.ts';
import { statementPaymentStatus } from './payouts.ts';
import { type ApiInput, inWindow, page, parseInput, route, type Wrap } from './route.ts';
import { financeOrderRoutes, Int, ordered, size } from './routes-finance-orders.ts';
import { statementTotals } from './settlement.ts';
import { money } from './views.ts';
import { adjustmentTx202309, orderTx202309, renderPayment, renderStatement } from './views-finance.ts';
import {
  adjustmentTx202501,
  reserveTx202501,
  statementHeader202501,
  tx202501,
} from './views-finance-202501.ts';

const StatementsQuery = z.object({
  sort_field: z.literal('statement_time'),
  sort_order: z.enum(['ASC', 'DESC']).default('ASC'),
  statement_time_ge: Int.optional(),
  statement_time_lt: Int.optional(),
  payment_status: z.enum(['PAID', 'FAILED', 'PROCESSING']).optional(),
});
const PaymentsQuery = z.object({
  sort_field: z.literal('create_time'),
  sort_order: z.enum(['ASC', 'DESC']).default('ASC'),
  create_time_ge: Int.optional(),
  create_time_lt: Int.optional(),
});
const TxQuery = z.object({
  sort_field: z.literal('order_create_time'),
  sort_order: z.enum(['ASC', 'DESC']).default('ASC'),
});

function statementOf(ctx: Ctx, shop: Shop, id: string): Statement {
  const s = ctx.state.statements.get(id);
  if (!s || s.shopId !== shop.id) throw notFound(ctx, 'statement', id);
  return s;
}

type Entry =
  | { kind: 'order'; o: OrderSettlement }
  | { kind: 'adjustment'; a: Adjustment }
  | { kind: 'reserve'; r: ReserveEntry };

/**
 * Transactions of a statement: orders by create time, then adjustments, then (202501 only, the
 * 202309 shape has no reserve transaction) reserves.
 */
function txEntries(s: Statement, sortOrder: 'ASC' | 'DESC', withReserves: boolean): Entry[] {
  const orders = [...s.orders].sort((a, b) => a.orderCreateTime - b.orderCreateTime);
  const entries: Entry[] = [
    ...orders.map((o) => ({ kind: 'order' as const, o })),
    ...s.adjustments.map((a) => ({ kind: 'adjustment' as const, a })),
    ...(withReserves ? s.reserves.map((r) => ({ kind: 'reserve' as const, r })) : []),
  ];
  return ordered(entries, sortOrder);
}

export function financeRoutes(app: Hono<SandboxEnv>, getCtx: () => Ctx): void {
  const r = (fn: (x: ApiInput) => unknown) => route(getCtx, fn);

  statementRoutes(app, r);
  statementTransactionRoutes(app, r);
  financeOrderRoutes(app, r);
  webhookRoutes(app, r);
}

function statementRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  app.get(
    PATHS.statements,
    r(({ ctx, shop, query }) => {
      const q = parseInput(StatementsQuery, query, 'query');
      const list = ctx.state.statements
        .ofShop(shop.id)
        .filter(
          (s) =>
            inWindow(s.statementTime, q.statement_time_ge, q.statement_time_lt) &&
            (q.payment_status === undefined || statementPaymentStatus(ctx, s) === q.payment_status),
        );
      const p = page(ordered([...list], q.sort_order), query, { ...size, filters: q });
      return {
        statements: p.slice.map((s) => renderStatement(ctx, s)),
        total_count: p.total_count,
        next_page_token: p.next_page_token,
      };
    }),
  );

  app.get(
    PATHS.payments,
    r(({ ctx, shop, query }) => {
      const q = parseInput(PaymentsQuery, query, 'query');
      const list = ctx.state.payments
        .ofShop(shop.id)
        .filter((x) => inWindow(x.createTime, q.create_time_ge, q.create_time_lt));
      const p = page(ordered([...list], q.sort_order), query, { ...size, filters: q });
      return {
        payments: p.slice.map((x) => renderPayment(ctx, x)),
        total_count: p.total_count,
        next_page_token: p.next_page_token,
      };
    }),
  );
}

function statementTransactionRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  app.get(
    PATHS.statementTransactions(':id'),
    r(({ ctx, shop, query, param }) => {
      const q = parseInput(TxQuery, query, 'query');
      const s = statementOf(ctx, shop, param('id'));
      const p = page(txEntries(s, q.sort_order, false), query, { ...size, filters: q });
      const t = statementTotals(s);
      const m = (x: bigint) => money(x, s.currency);
      return {
        statement_id: s.id,
        statement_time: s.statementTime,
        currency: s.currency,
        settlement_amount: m(t.settlement),
        revenue_amount: m(t.netSales),
        net_sales_amount: m(t.netSales),
        shipping_cost_amount: m(t.shippingCost),
        fee_amount: m(t.fee),
        adjustment_amount: m(t.adjustment),
        total_count: p.total_count,
        next_page_token: p.next_page_token,
        statement_transactions: p.slice.flatMap((e) => {
          if (e.kind === 'order') return [orderTx202309(s, e.o)];
          if (e.kind === 'adjustment') return [adjustmentTx202309(s, e.a)];
          return [];
        }),
      };
    }),
  );

  app.get(
    PATHS.statementTransactions202501(':id'),
    r(({ ctx, shop, query, param }) => {
      const q = parseInput(TxQuery, query, 'query');
      const s = statementOf(ctx, shop, param('id'));
      const p = page(txEntries(s, q.sort_order, true), query, { ...size, filters: q });
      return {
        ...statementHeader202501(ctx, s),
        total_count: p.total_count,
        next_page_token: p.next_page_token,
        transactions: p.slice.map((e) => {
          if (e.kind === 'order') return tx202501(ctx, s, e.o);
          if (e.kind === 'adjustment') return adjustmentTx202501(s, e.a);
          return reserveTx202501(s, e.r);
        }),
      };
    }),
  );
}

function webhookRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  app.get(
    PATHS.webhooks,
    r(({ shop }) => {
      const webhooks = [...shop.webhooks].map(([event_type, w]) => ({
        event_type,
        address: w.address,
        create_time: w.createTime,
        update_time: w.updateTime,
      }));
      return { webhooks, total_count: webhooks.length };
    }),
  );

  app.put(
    PATHS.webhooks,
    r(({ ctx, shop, body }) => {
      const b = parseInput(UpdateWebhookBody, body);
      if (!EVENT_TYPE_NAMES.some((name) => name === b.event_type)) {
        throw invalidParam(`param body.event_type ${b.event_type} is not supported`);
      }
      const now = ctx.sim.nowSeconds();
      const prior = shop.webhooks.get(b.event_type);
      shop.webhooks.set(b.event_type, {
        address: b.address,
        createTime: prior?.createTime ?? now,
        updateTime: now,
      });
      return {};
    }),
  );

  app.delete(
    PATHS.webhooks,
    r(({ shop, body }) => {
      shop.webhooks.delete(parseInput(DeleteWebhookBody, body).event_type);
      return {};
    }),
  );
}
