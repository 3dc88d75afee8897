/** Orders (reference §4.1 search, §4.2 detail). */
import { PAGE_LIMITS, PATHS } from '../manifest.ts';
import type { ShopRef, Transport } from '../transport.ts';
import { type Order, OrderDetailData, type OrderSearchBody, OrderSearchPage } from '../wire/orders.ts';
import { chunk, type Page, paginate } from './paginate.ts';

export interface OrderSearchOptions {
  /** 1-100, default 50 (TikTok's own default is 20). */
  pageSize?: number;
  sortField?: 'create_time' | 'update_time';
  sortOrder?: 'ASC' | 'DESC';
}

export function ordersApi(t: Transport, shop: ShopRef) {
  /** One page of POST /order/202309/orders/search; paging params go in the query (§4.1). */
  async function searchPage(
    filters: OrderSearchBody,
    opts: OrderSearchOptions,
    pageToken?: string,
  ): Promise<Page<Order>> {
    const data = await t.call(
      shop,
      {
        method: 'POST',
        path: PATHS.ordersSearch,
        query: {
          page_size: Math.min(opts.pageSize ?? 50, PAGE_LIMITS.orders),
          page_token: pageToken,
          sort_field: opts.sortField,
          sort_order: opts.sortOrder,
        },
        body: filters,
      },
      OrderSearchPage,
    );
    return { items: data.orders, nextPageToken: data.next_page_token, totalCount: data.total_count };
  }

  return {
    searchPage,
    /** Every matching order, page after page. */
    search(filters: OrderSearchBody = {}, opts: OrderSearchOptions = {}): AsyncGenerator<Order> {
      return paginate((token) => searchPage(filters, opts, token));
    },
    /** GET /order/202309/orders?ids=… in batches of 50 (§4.2); unknown ids are simply absent. */
    async getDetails(ids: readonly string[]): Promise<Order[]> {
      const out: Order[] = [];
      for (const batch of chunk(ids, PAGE_LIMITS.orderDetailIds)) {
        const data = await t.call(
          shop,
          { method: 'GET', path: PATHS.ordersDetail, query: { ids: batch } },
          OrderDetailData,
        );
        out.push(...data.orders);
      }
      return out;
    },
  };
}
export type OrdersApi = ReturnType<typeof ordersApi>;
