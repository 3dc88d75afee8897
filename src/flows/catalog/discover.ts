/**
 * Discovery of the catalog flows: NetSuite items changed since the cursor (SuiteQL on
 * item.lastmodifieddate, minus the overlap window), every item (`full`), or named items. Each
 * item becomes one record per configured shop. SuiteQL over REST: reference section 8.
 */
import { z } from 'zod';
import type { SuiteqlRow } from '../../connectors/netsuite/index.ts';
import type { DiscoverContext, FlowRecord } from '../engine/define.ts';
import { type CatalogContext, RECORD_TYPE_OF, type SyncedItemType } from './deps.ts';

export const CatalogPayload = z.object({
  shopId: z.string().min(1),
  itemId: z.string().min(1),
  itemType: z.enum(['InvtPart', 'NonInvtPart', 'Kit']),
  /** NetSuite lastModifiedDate of the version that triggered the record. */
  modified: z.string(),
});
export type CatalogPayload = z.infer<typeof CatalogPayload>;

export const CatalogSyncParams = z
  .object({
    /** Every item, not only those changed since the cursor; unchanged products are not written. */
    full: z.boolean().optional(),
    /** Items by internal id or Item Name/Number, as a list or comma-separated. */
    items: z
      .union([z.array(z.string()), z.string()])
      .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
      .optional(),
    /** Limit to one shop (default: every shop in catalog.shops). */
    shop: z.string().optional(),
  })
  .strict();

/** The items cursor (and the source the stall watchdog watches). */
export const CATALOG_CURSOR = 'item.lastmodifieddate';
const CURSOR = CATALOG_CURSOR;
const FMT = "'YYYY-MM-DD HH24:MI:SS'";
const SELECT = `SELECT id, itemtype, TO_CHAR(lastmodifieddate, ${FMT}) AS modified FROM item`;
const PAGE = 1000;

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** "2026-11-26 17:50:00" -> the same instant minus `seconds`, in the same format. */
function minusSeconds(stamp: string, seconds: number): string {
  const t = Date.parse(`${stamp.replace(' ', 'T')}Z`) - seconds * 1000;
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

export async function discoverItems(
  ctx: DiscoverContext<CatalogPayload>,
  raw: Record<string, unknown>,
  c: CatalogContext,
): Promise<void> {
  const p = CatalogSyncParams.parse(raw);
  const shops = p.shop ? [p.shop] : Object.keys(c.settings.shops);
  const types = c.settings.itemTypes;
  // lastmodifieddate has one-second precision: a second edit in the same second has the same
  // stamp, so the stamp alone cannot be the record version. Each run's records are new versions;
  // the steps skip TikTok when the product body and price are unchanged.
  const forced = `#${ctx.runId}`;
  const emitRows = async (rows: SuiteqlRow[]) => {
    const records: FlowRecord<CatalogPayload>[] = [];
    for (const row of rows) {
      const itemType = row['itemtype'] as SyncedItemType;
      if (!row['id'] || !(itemType in RECORD_TYPE_OF)) continue;
      const modified = row['modified'] ?? '';
      for (const shopId of shops) {
        records.push({
          key: `netsuite:item:${row['id']}:shop:${shopId}`,
          version: `${modified}${forced}`,
          payload: { shopId, itemId: row['id'], itemType, modified },
        });
      }
    }
    if (records.length) await ctx.emit(records);
  };
  if (p.items?.length) {
    const q = `${SELECT} WHERE id IN (${marks(p.items.length)}) OR itemid IN (${marks(p.items.length)})`;
    const rows: SuiteqlRow[] = [];
    for await (const row of c.netsuite.suiteql.rows(q, [...p.items, ...p.items])) rows.push(row);
    return emitRows(rows);
  }
  if (p.full) {
    const q = `${SELECT} WHERE itemtype IN (${marks(types.length)}) AND id > ? ORDER BY id`;
    const batch: SuiteqlRow[] = [];
    for await (const row of c.netsuite.suiteql.keysetRows(q, types, { pageSize: PAGE })) {
      batch.push(row);
      if (batch.length >= PAGE) await emitRows(batch.splice(0));
    }
    return emitRows(batch);
  }
  await discoverChanged(ctx, c, types, emitRows);
}

/** Items modified after cursor - overlap; the cursor moves to the newest stamp once all are queued. */
async function discoverChanged(
  ctx: DiscoverContext<CatalogPayload>,
  c: CatalogContext,
  types: readonly string[],
  emitRows: (rows: SuiteqlRow[]) => Promise<void>,
): Promise<void> {
  const saved = await ctx.cursor.get(CURSOR);
  const since = saved ? minusSeconds(saved, ctx.overlapSeconds) : '1970-01-01 00:00:00';
  const q = `${SELECT} WHERE itemtype IN (${marks(types.length)}) AND lastmodifieddate > TO_TIMESTAMP(?, ${FMT}) ORDER BY lastmodifieddate, id`;
  let newest = saved;
  const batch: SuiteqlRow[] = [];
  let count = 0;
  for await (const row of c.netsuite.suiteql.rows(q, [...types, since], { pageSize: PAGE })) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    batch.push(row);
    count++;
    const m = row['modified'];
    if (m && (!newest || m > newest)) newest = m;
    if (batch.length >= PAGE) await emitRows(batch.splice(0));
  }
  await emitRows(batch);
  if (newest && newest !== saved) await ctx.cursor.set(CURSOR, newest);
  await ctx.cursor.polled(CURSOR);
  ctx.log.info({ since, items: count, newest }, 'catalog items polled');
}
