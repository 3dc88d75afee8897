/**
 * Discovery of the order import flow: the scheduled polling backstop (orders updated since the
 * per-shop cursor minus the overlap window, so a lost webhook never loses an order), a backfill by
 * date range, or a re-sync of given ids. Search: POST /order/202309/orders/search (reference §4.1).
 */
import { z } from 'zod';
import type { DiscoverContext } from '../engine/define.ts';
import type { OrderServices } from './deps.ts';
import { type OrderPayload, orderRecords } from './fetch.ts';

export const SyncParams = z
  .object({
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    /** Order ids, as a list or comma-separated. */
    ids: z
      .union([z.array(z.string()), z.string()])
      .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
      .optional(),
    /** Limit to one shop (default: every configured shop). */
    shop: z.string().optional(),
  })
  .strict();
export type SyncParams = z.infer<typeof SyncParams>;

type Ctx = DiscoverContext<OrderPayload>;

export async function discoverOrders(ctx: Ctx, raw: Record<string, unknown>, services: OrderServices) {
  const p = SyncParams.parse(raw);
  const shops = p.shop ? [p.shop] : services.shops.ids();
  // Each shop on its own: one whose poll fails is an error record; the others go on, cursors too.
  await ctx.eachSource(
    shops,
    async (shopId) => {
      if (p.ids?.length) {
        // An id belongs to one shop; the others simply do not return it.
        for (let i = 0; i < p.ids.length; i += 50) {
          const { records, unread } = await orderRecords(services, shopId, p.ids.slice(i, i + 50));
          await ctx.emit([...records, ...unread]);
        }
      } else if (p.since) {
        await pollShop(ctx, services, shopId, toSeconds(p.since), p.until ? toSeconds(p.until) : undefined);
      } else {
        await pollWithCursor(ctx, services, shopId);
      }
    },
    (shopId) => ({ ...raw, shop: shopId }),
  );
}

/** The shop's polling cursor (and the source the stall watchdog watches). */
export const pollSource = (shopId: string) => `updated:${shopId}`;

/** The backstop: the cursor is TikTok's own newest update_time seen, advanced after every page is queued. */
async function pollWithCursor(ctx: Ctx, services: OrderServices, shopId: string): Promise<void> {
  const source = pollSource(shopId);
  const saved = await ctx.cursor.get(source);
  const lookback = services.settings.pollLookbackHours * 3600;
  const since = saved
    ? Number.parseInt(saved, 10) - ctx.overlapSeconds
    : Math.floor(Date.now() / 1000) - lookback;
  const newest = await pollShop(ctx, services, shopId, Math.max(0, since), undefined);
  if (newest !== undefined && (!saved || newest > Number.parseInt(saved, 10)))
    await ctx.cursor.set(source, String(newest));
  await ctx.cursor.polled(source);
}

/** Emits every order updated in [since, until); returns the newest update_time seen. */
async function pollShop(
  ctx: Ctx,
  services: OrderServices,
  shopId: string,
  since: number,
  until: number | undefined,
): Promise<number | undefined> {
  const api = await services.shops.api(shopId);
  const filters = { update_time_ge: since, ...(until !== undefined ? { update_time_lt: until } : {}) };
  const opts = { pageSize: 50, sortField: 'update_time', sortOrder: 'ASC' } as const;
  let token: string | undefined;
  let newest: number | undefined;
  let pages = 0;
  do {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const page = await api.orders.searchRefs(filters, opts, token);
    const { records, unread } = await orderRecords(
      services,
      shopId,
      page.items.map((o) => o.id),
    );
    await ctx.emit([...records, ...unread]);
    for (const o of page.items) newest = Math.max(newest ?? 0, o.update_time);
    token = page.nextPageToken || undefined;
    pages++;
  } while (token);
  ctx.log.info({ shopId, since, until, pages, newest }, 'orders polled');
  return newest;
}

function toSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
