/** Orders (reference §4.1 search, §4.2 detail). */

import type { z } from 'zod';
import { badResponse } from '../errors.ts';
import { PAGE_LIMITS, PATHS } from '../manifest.ts';
import type { ApiCall, ShopRef, Transport } from '../transport.ts';
import {
  Order,
  type OrderRef,
  OrderRefPage,
  type OrderSearchBody,
  OrderSearchPage,
  RawOrderDetailData,
} from '../wire/orders.ts';
import { chunk, type Page, paginate } from './paginate.ts';

export interface OrderSearchOptions {
  /** 1-100, default 50 (TikTok's own default is 20). */
  pageSize?: number;
  sortField?: 'create_time' | 'update_time';
  sortOrder?: 'ASC' | 'DESC';
}

/** An order of a detail answer that did not match the schema: its id (if readable), as sent, and why. */
export interface MalformedOrder {
  id: string;
  raw: unknown;
  /** `path: message` per zod issue, e.g. `payment: Invalid input: expected object, received undefined`. */
  issue: string;
}

export interface OrderDetails {
  orders: Order[];
  malformed: MalformedOrder[];
}

export function ordersApi(t: Transport, shop: ShopRef) {
  /** One page of POST /order/202309/orders/search; paging params go in the query (§4.1). */
  async function searchPage(
    filters: OrderSearchBody,
    opts: OrderSearchOptions,
    pageToken?: string,
  ): Promise<Page<Order>> {
    const data = await t.call(shop, searchCall(filters, opts, pageToken), OrderSearchPage);
    return { items: data.orders, nextPageToken: data.next_page_token, totalCount: data.total_count };
  }

  /**
   * As searchPage, reading only each hit's id and update_time: the poll reads the orders in full
   * afterwards (readDetails), where a malformed order is set apart instead of failing its page.
   */
  async function searchRefs(
    filters: OrderSearchBody,
    opts: OrderSearchOptions,
    pageToken?: string,
  ): Promise<Page<OrderRef>> {
    const data = await t.call(shop, searchCall(filters, opts, pageToken), OrderRefPage);
    return { items: data.orders, nextPageToken: data.next_page_token, totalCount: data.total_count };
  }

  /**
   * As getDetails, but each order is checked on its own: one that does not match the schema comes
   * back in `malformed` (the field named) instead of failing the 49 others of its answer.
   */
  async function readDetails(ids: readonly string[]): Promise<OrderDetails> {
    const out: OrderDetails = { orders: [], malformed: [] };
    for (const batch of chunk(ids, PAGE_LIMITS.orderDetailIds)) {
      const data = await t.call(
        shop,
        { method: 'GET', path: PATHS.ordersDetail, query: { ids: batch } },
        RawOrderDetailData,
      );
      for (const raw of data.orders) {
        const order = Order.safeParse(raw);
        if (order.success) out.orders.push(order.data);
        else out.malformed.push({ id: rawId(raw), raw, issue: describeIssues(order.error) });
      }
    }
    return out;
  }

  return {
    searchPage,
    searchRefs,
    /** Every matching order, page after page. */
    search(filters: OrderSearchBody = {}, opts: OrderSearchOptions = {}): AsyncGenerator<Order> {
      return paginate((token) => searchPage(filters, opts, token));
    },
    /** GET /order/202309/orders?ids=… in batches of 50 (§4.2); unknown ids are simply absent. */
    async getDetails(ids: readonly string[]): Promise<Order[]> {
      const { orders, malformed } = await readDetails(ids);
      const [first] = malformed;
      if (first) throw badResponse('GET', PATHS.ordersDetail, `order ${first.id}: ${first.issue}`);
      return orders;
    },
    readDetails,
  };
}
export type OrdersApi = ReturnType<typeof ordersApi>;

function rawId(raw: unknown): string {
  const id = raw !== null && typeof raw === 'object' && 'id' in raw ? raw.id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : 'unknown';
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(order)'}: ${i.message}`).join('; ');
}

function searchCall(filters: OrderSearchBody, opts: OrderSearchOptions, pageToken?: string): ApiCall {
  return {
    method: 'POST',
    path: PATHS.ordersSearch,
    query: {
      page_size: Math.min(opts.pageSize ?? 50, PAGE_LIMITS.orders),
      page_token: pageToken,
      sort_field: opts.sortField,
      sort_order: opts.sortOrder,
    },
    body: filters,
  };
}
