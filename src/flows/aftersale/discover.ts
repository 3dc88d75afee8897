/**
 * Finding TikTok cancellations and returns (API reference section 7.1): each has its own search,
 * filtered and sorted by update time. A poll reads a shop's changes since its cursor minus the
 * overlap; a manual run reads named ids or everything since a time. Each item is checked alone: one
 * TikTok sent in a shape TikSuite cannot read is queued as sent and becomes its own error record.
 */
import { z } from 'zod';
import type { TikTokShopApi } from '../../connectors/tiktok-shop/index.ts';
import { contentHash } from '../../shared/ids.ts';
import type { FlowRecord } from '../engine/define.ts';
import {
  CANCELLATION_FLOW,
  type CancellationPayload,
  cancellationKey,
  RETURN_FLOW,
  type ReturnPayload,
  returnKey,
} from './deps.ts';

export const AftersaleSyncParams = z
  .object({
    since: z.iso.datetime({ offset: true }).optional(),
    /** TikTok return or cancellation ids, as a list or comma-separated. */
    ids: z
      .union([z.array(z.string()), z.string()])
      .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^\d{1,30}$/, 'a TikTok id (digits)')))
      .optional(),
    /** Limit to one shop (default: every configured shop). */
    shop: z.string().optional(),
  })
  .strict();
export type AftersaleSyncParams = z.infer<typeof AftersaleSyncParams>;

export type AftersaleKind = 'cancellations' | 'returns';
export const FLOW_OF: Record<AftersaleKind, string> = {
  cancellations: CANCELLATION_FLOW,
  returns: RETURN_FLOW,
};

export interface Found {
  records: FlowRecord<unknown>[];
  /** The newest update_time read (the next cursor). */
  newest: number | undefined;
}

export interface Filter {
  ids?: string[] | undefined;
  since?: number | undefined;
}

/** A record's version: a new one for any status, amount or time change. */
function versionOf(updateTime: number, status: string, total: string | undefined): string {
  return `${updateTime}|${status}|${total ?? ''}`;
}

/** Every cancellation or return of one shop matching the filter, oldest update first, as records. */
export async function findAftersale(
  api: TikTokShopApi,
  shopId: string,
  kind: AftersaleKind,
  f: Filter,
): Promise<Found> {
  const out: Found = { records: [], newest: undefined };
  const opts = { pageSize: 50, sortField: 'update_time', sortOrder: 'ASC' } as const;
  let token: string | undefined;
  do {
    if (kind === 'returns') {
      const body = f.ids ? { return_ids: f.ids } : { update_time_ge: f.since ?? 0 };
      const page = await api.returns.returnsPageChecked(body, opts, token);
      for (const r of page.items) {
        const payload: ReturnPayload = { shopId, return: r };
        const version = versionOf(r.update_time, r.return_status, r.refund_amount?.refund_total);
        out.records.push({ key: returnKey(shopId, r.return_id), version, payload });
        out.newest = Math.max(out.newest ?? 0, r.update_time);
      }
      out.records.push(...page.malformed.map((m) => unread(shopId, kind, m)));
      token = page.nextPageToken || undefined;
    } else {
      const body = f.ids ? { cancel_ids: f.ids } : { update_time_ge: f.since ?? 0 };
      const page = await api.returns.cancellationsPageChecked(body, opts, token);
      for (const c of page.items) {
        const payload: CancellationPayload = { shopId, cancellation: c };
        const version = versionOf(c.update_time, c.cancel_status, c.refund_amount?.refund_total);
        out.records.push({ key: cancellationKey(shopId, c.cancel_id), version, payload });
        out.newest = Math.max(out.newest ?? 0, c.update_time);
      }
      out.records.push(...page.malformed.map((m) => unread(shopId, kind, m)));
      token = page.nextPageToken || undefined;
    }
  } while (token);
  return out;
}

/** Queued as sent: the flow's payload check names the field that cannot be read. */
function unread(
  shopId: string,
  kind: AftersaleKind,
  m: { id: string | undefined; raw: unknown },
): FlowRecord<unknown> {
  const id = m.id ?? `unreadable-${contentHash(m.raw).slice(0, 16)}`;
  return kind === 'returns'
    ? { key: returnKey(shopId, id), version: contentHash(m.raw), payload: { shopId, return: m.raw } }
    : {
        key: cancellationKey(shopId, id),
        version: contentHash(m.raw),
        payload: { shopId, cancellation: m.raw },
      };
}
