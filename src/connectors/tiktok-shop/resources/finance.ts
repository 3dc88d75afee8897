/**
 * Finance (reference §8): statements, payments, transactions by statement and by order, and the
 * 202507 unsettled transactions.
 */
import { PAGE_LIMITS, PATHS } from '../manifest.ts';
import type { ShopRef, Transport } from '../transport.ts';
import {
  OrderTransactions202309,
  OrderTransactions202501,
  type Payment,
  PaymentsPage,
  type Statement,
  StatementsPage,
  StatementTransactions202309,
  StatementTransactions202501,
  type Transaction202309,
  type Transaction202501,
  UnsettledPage,
  type UnsettledTransaction,
} from '../wire/finance.ts';
import { type Page, paginate } from './paginate.ts';

export interface TimeRange {
  ge?: number;
  lt?: number;
}

/** Statements by `statement_time`; `paymentStatus` filters (default: every status, §8.1). */
export interface StatementFilter extends TimeRange {
  paymentStatus?: 'PAID' | 'FAILED' | 'PROCESSING';
}

export function financeApi(t: Transport, shop: ShopRef) {
  const size = (n: number | undefined) => Math.min(n ?? PAGE_LIMITS.finance, PAGE_LIMITS.finance);

  async function statementsPage(
    range: StatementFilter,
    pageSize?: number,
    token?: string,
  ): Promise<Page<Statement>> {
    const data = await t.call(
      shop,
      {
        method: 'GET',
        path: PATHS.statements,
        // sort_field is required (§8.1).
        query: {
          sort_field: 'statement_time',
          statement_time_ge: range.ge,
          statement_time_lt: range.lt,
          payment_status: range.paymentStatus,
          page_size: size(pageSize),
          page_token: token,
        },
      },
      StatementsPage,
    );
    return { items: data.statements, nextPageToken: data.next_page_token, totalCount: data.total_count };
  }

  async function paymentsPage(range: TimeRange, pageSize?: number, token?: string): Promise<Page<Payment>> {
    const data = await t.call(
      shop,
      {
        method: 'GET',
        path: PATHS.payments,
        query: {
          sort_field: 'create_time',
          create_time_ge: range.ge,
          create_time_lt: range.lt,
          page_size: size(pageSize),
          page_token: token,
        },
      },
      PaymentsPage,
    );
    return { items: data.payments, nextPageToken: data.next_page_token, totalCount: data.total_count };
  }

  const txQuery = (pageSize: number | undefined, token: string | undefined) => ({
    sort_field: 'order_create_time',
    page_size: size(pageSize),
    page_token: token,
  });

  /** One page of the 202309 (flat) shape, with the statement totals (§8.3). */
  function statementTransactionsPage(statementId: string, pageSize?: number, token?: string) {
    return t.call(
      shop,
      { method: 'GET', path: PATHS.statementTransactions(statementId), query: txQuery(pageSize, token) },
      StatementTransactions202309,
    );
  }

  /** One page of the 202501 (nested) shape (§8.4). */
  function statementTransactionsPage202501(statementId: string, pageSize?: number, token?: string) {
    return t.call(
      shop,
      {
        method: 'GET',
        path: PATHS.statementTransactions202501(statementId),
        query: txQuery(pageSize, token),
      },
      StatementTransactions202501,
    );
  }

  /**
   * One page of orders delivered or completed but not yet in a statement, by order create time
   * (§8.1, 202507; the answer's shape is UNCONFIRMED, so the schema is loose).
   */
  async function unsettledOrdersPage(
    range: TimeRange,
    pageSize?: number,
    token?: string,
  ): Promise<Page<UnsettledTransaction>> {
    const data = await t.call(
      shop,
      {
        method: 'GET',
        path: PATHS.unsettledOrders,
        query: {
          sort_field: 'order_create_time',
          search_time_ge: range.ge,
          search_time_lt: range.lt,
          page_size: size(pageSize),
          page_token: token,
        },
      },
      UnsettledPage,
    );
    return { items: data.transactions, nextPageToken: data.next_page_token, totalCount: data.total_count };
  }

  return {
    statementsPage,
    statements(range: StatementFilter = {}, opts: { pageSize?: number } = {}): AsyncGenerator<Statement> {
      return paginate((token) => statementsPage(range, opts.pageSize, token));
    },
    paymentsPage,
    payments(range: TimeRange = {}, opts: { pageSize?: number } = {}): AsyncGenerator<Payment> {
      return paginate((token) => paymentsPage(range, opts.pageSize, token));
    },
    statementTransactionsPage,
    statementTransactions(
      statementId: string,
      opts: { pageSize?: number } = {},
    ): AsyncGenerator<Transaction202309> {
      return paginate(async (token) => {
        const d = await statementTransactionsPage(statementId, opts.pageSize, token);
        return {
          items: d.statement_transactions,
          nextPageToken: d.next_page_token,
          totalCount: d.total_count,
        };
      });
    },
    statementTransactionsPage202501,
    statementTransactions202501(
      statementId: string,
      opts: { pageSize?: number } = {},
    ): AsyncGenerator<Transaction202501> {
      return paginate(async (token) => {
        const d = await statementTransactionsPage202501(statementId, opts.pageSize, token);
        return { items: d.transactions, nextPageToken: d.next_page_token, totalCount: d.total_count };
      });
    },
    unsettledOrdersPage,
    unsettledOrders(
      range: TimeRange = {},
      opts: { pageSize?: number } = {},
    ): AsyncGenerator<UnsettledTransaction> {
      return paginate((token) => unsettledOrdersPage(range, opts.pageSize, token));
    },
    orderTransactions(orderId: string): Promise<OrderTransactions202309> {
      return t.call(shop, { method: 'GET', path: PATHS.orderTransactions(orderId) }, OrderTransactions202309);
    },
    orderTransactions202501(orderId: string): Promise<OrderTransactions202501> {
      return t.call(
        shop,
        { method: 'GET', path: PATHS.orderTransactions202501(orderId) },
        OrderTransactions202501,
      );
    },
  };
}
export type FinanceApi = ReturnType<typeof financeApi>;
