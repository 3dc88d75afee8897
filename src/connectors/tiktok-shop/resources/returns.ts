/**
 * Returns and cancellations (reference §7): search, detail (search by id), approve/reject with an
 * idempotency key in the signed query (§10.3), so a retried decision is applied once.
 */
import { contentHash } from '../../../shared/ids.ts';
import { PAGE_LIMITS, PATHS } from '../manifest.ts';
import type { ShopRef, Transport } from '../transport.ts';
import { Empty } from '../wire/common.ts';
import {
  type ApproveReturnBody,
  Cancellation,
  type CancellationSearchBody,
  CancellationSearchPage,
  CancellationSearchPageRaw,
  type CancelOrderBody,
  CancelOrderData,
  type RejectCancellationBody,
  RejectReasons,
  type RejectReturnBody,
  Return,
  type ReturnSearchBody,
  ReturnSearchPage,
  ReturnSearchPageRaw,
} from '../wire/returns.ts';
import { type Page, paginate } from './paginate.ts';

/** A search page read item by item: what parsed, and what did not (with its id when it has one). */
export interface CheckedPage<T> {
  items: T[];
  malformed: Array<{ id: string | undefined; raw: unknown; issue: string }>;
  nextPageToken: string;
}

function checked<T>(
  raw: unknown[],
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: Error } },
  idKey: string,
  next: string,
): CheckedPage<T> {
  const out: CheckedPage<T> = { items: [], malformed: [], nextPageToken: next };
  for (const r of raw) {
    const p = schema.safeParse(r);
    if (p.success) out.items.push(p.data);
    else {
      const id = r && typeof r === 'object' ? (r as Record<string, unknown>)[idKey] : undefined;
      out.malformed.push({ id: typeof id === 'string' ? id : undefined, raw: r, issue: p.error.message });
    }
  }
  return out;
}

export interface SearchOptions {
  pageSize?: number;
  sortField?: 'create_time' | 'update_time';
  sortOrder?: 'ASC' | 'DESC';
}

export function returnsApi(t: Transport, shop: ShopRef) {
  const paging = (opts: SearchOptions, max: number, pageToken?: string) => ({
    page_size: Math.min(opts.pageSize ?? max, max),
    page_token: pageToken,
    sort_field: opts.sortField,
    sort_order: opts.sortOrder,
  });

  async function returnsPage(f: ReturnSearchBody, o: SearchOptions, token?: string): Promise<Page<Return>> {
    const data = await t.call(
      shop,
      { method: 'POST', path: PATHS.returnsSearch, query: paging(o, PAGE_LIMITS.returns, token), body: f },
      ReturnSearchPage,
    );
    return { items: data.return_orders, nextPageToken: data.next_page_token, totalCount: data.total_count };
  }

  async function cancellationsPage(
    f: CancellationSearchBody,
    o: SearchOptions,
    token?: string,
  ): Promise<Page<Cancellation>> {
    const data = await t.call(
      shop,
      {
        method: 'POST',
        path: PATHS.cancellationsSearch,
        query: paging(o, PAGE_LIMITS.cancellations, token),
        body: f,
      },
      CancellationSearchPage,
    );
    return { items: data.cancellations, nextPageToken: data.next_page_token, totalCount: data.total_count };
  }

  // Default key: a hash of shop, path and body, so a job retried after a lost answer repeats the
  // same decision under the same key instead of making a second one (STYLE.md convention 4).
  const decide = async (path: string, idempotencyKey: string | undefined, body?: unknown) => {
    const query = {
      idempotency_key: idempotencyKey ?? contentHash({ shop: shop.id, path, body: body ?? null }),
    };
    await t.call(shop, { method: 'POST', path, query, body }, Empty);
  };

  /** A returns search page, each return checked on its own (update-time polling). */
  async function returnsPageChecked(
    f: ReturnSearchBody,
    o: SearchOptions,
    token?: string,
  ): Promise<CheckedPage<Return>> {
    const query = paging(o, PAGE_LIMITS.returns, token);
    const data = await t.call(
      shop,
      { method: 'POST', path: PATHS.returnsSearch, query, body: f },
      ReturnSearchPageRaw,
    );
    return checked(data.return_orders, Return, 'return_id', data.next_page_token);
  }

  async function cancellationsPageChecked(
    f: CancellationSearchBody,
    o: SearchOptions,
    token?: string,
  ): Promise<CheckedPage<Cancellation>> {
    const query = paging(o, PAGE_LIMITS.cancellations, token);
    const data = await t.call(
      shop,
      { method: 'POST', path: PATHS.cancellationsSearch, query, body: f },
      CancellationSearchPageRaw,
    );
    return checked(data.cancellations, Cancellation, 'cancel_id', data.next_page_token);
  }

  return {
    returnsPage,
    returnsPageChecked,
    cancellationsPageChecked,
    searchReturns(f: ReturnSearchBody = {}, o: SearchOptions = {}): AsyncGenerator<Return> {
      return paginate((token) => returnsPage(f, o, token));
    },
    /** There is no get-by-id endpoint; search by `return_ids` (§7.1). */
    async getReturn(returnId: string): Promise<Return | null> {
      return (await returnsPage({ return_ids: [returnId] }, {})).items[0] ?? null;
    },
    approveReturn(returnId: string, body: ApproveReturnBody, idempotencyKey?: string): Promise<void> {
      return decide(PATHS.returnApprove(returnId), idempotencyKey, body);
    },
    rejectReturn(returnId: string, body: RejectReturnBody, idempotencyKey?: string): Promise<void> {
      return decide(PATHS.returnReject(returnId), idempotencyKey, body);
    },
    cancellationsPage,
    searchCancellations(f: CancellationSearchBody = {}, o: SearchOptions = {}): AsyncGenerator<Cancellation> {
      return paginate((token) => cancellationsPage(f, o, token));
    },
    async getCancellation(cancelId: string): Promise<Cancellation | null> {
      return (await cancellationsPage({ cancel_ids: [cancelId] }, {})).items[0] ?? null;
    },
    approveCancellation(cancelId: string, idempotencyKey?: string): Promise<void> {
      return decide(PATHS.cancellationApprove(cancelId), idempotencyKey);
    },
    rejectCancellation(
      cancelId: string,
      body: RejectCancellationBody,
      idempotencyKey?: string,
    ): Promise<void> {
      return decide(PATHS.cancellationReject(cancelId), idempotencyKey, body);
    },
    /**
     * The reasons a return or cancellation may be rejected with (GET …/reject_reasons, §7.1); the
     * reject calls take one of these names as `reject_reason`.
     */
    rejectReasons(returnOrCancelId: string): Promise<RejectReasons> {
      return t.call(
        shop,
        { method: 'GET', path: PATHS.rejectReasons, query: { return_or_cancel_id: returnOrCancelId } },
        RejectReasons,
      );
    },
    /** POST /return_refund/202309/cancellations: the seller cancels unshipped lines (§7.1). */
    cancelOrder(body: CancelOrderBody): Promise<CancelOrderData> {
      return t.call(shop, { method: 'POST', path: PATHS.cancellations, body }, CancelOrderData);
    },
  };
}
export type ReturnsApi = ReturnType<typeof returnsApi>;
