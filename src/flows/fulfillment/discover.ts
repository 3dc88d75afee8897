/**
 * Which NetSuite item fulfillments to push: those of sales orders TikSuite created (externalId
 * `<prefix>-<shop>-<order>`) changed since a stamp (SuiteQL on transaction.lastmodifieddate,
 * reference section 8), and those deleted since (the `deletedrecord` table). Each fulfillment is one
 * record `netsuite:itemfulfillment:<id>`; its version is the stamp and the tracking numbers, so a
 * number corrected within the same second is still a new version.
 */
import { z } from 'zod';
import type { NetSuiteClient, SuiteqlRow } from '../../connectors/netsuite/index.ts';
import type { FlowRecord } from '../engine/define.ts';
import { parseSalesOrderExternalId } from './deps.ts';

export const FulfillmentPayload = z.object({
  fulfillmentId: z.string().min(1),
  /** The sales order it was created from (absent on a deletion: NetSuite no longer says). */
  salesOrderId: z.string().min(1).optional(),
  shopId: z.string().min(1),
  orderId: z.string().regex(/^\d{1,30}$/, 'a TikTok order id (digits)'),
  /** NetSuite lastModifiedDate (or deleteddate) of the version that triggered the record. */
  modified: z.string(),
  deleted: z.boolean().optional(),
});
export type FulfillmentPayload = z.infer<typeof FulfillmentPayload>;

/** `tiksuite run fulfillment.tracking -p ...` / `tiksuite fulfillment sync`. */
export const FulfillmentSyncParams = z
  .object({
    /** Fulfillments changed since this time (ISO 8601); default: the last 24 hours. */
    since: z.iso.datetime({ offset: true }).optional(),
    /** NetSuite item fulfillment internal ids, as a list or comma-separated. */
    ids: z
      .union([z.array(z.string()), z.string()])
      .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^\d{1,20}$/, 'a NetSuite internal id (digits)')))
      .optional(),
  })
  .strict();

export const FMT = "'YYYY-MM-DD HH24:MI:SS'";
const SELECT = `SELECT f.id, TO_CHAR(f.lastmodifieddate, ${FMT}) AS modified, f.createdfrom AS salesorder,
  so.externalid AS order_ref, f.linkedtrackingnumberlist AS tracking
  FROM transaction f JOIN transaction so ON so.id = f.createdfrom
  WHERE f.type = 'ItemShip' AND so.externalid LIKE ?`;

export interface Changed {
  records: FlowRecord<FulfillmentPayload>[];
  /** The newest stamp read (the next cursor). */
  newest: string | undefined;
}

/** Fulfillments changed after `since` ("YYYY-MM-DD HH24:MI:SS", UTC), oldest first. */
export async function changedFulfillments(
  netsuite: NetSuiteClient,
  prefix: string,
  since: string,
): Promise<Changed> {
  const q = `${SELECT} AND f.lastmodifieddate > TO_TIMESTAMP(?, ${FMT}) ORDER BY f.lastmodifieddate, f.id`;
  return collect(netsuite.suiteql.rows(q, [`${prefix}-%`, since], { pageSize: 1000 }), prefix);
}

/** Named fulfillments, whatever their stamp (an on-demand sync). */
export async function namedFulfillments(
  netsuite: NetSuiteClient,
  prefix: string,
  ids: readonly string[],
): Promise<Changed> {
  const marks = ids.map(() => '?').join(', ');
  const q = `${SELECT} AND f.id IN (${marks}) ORDER BY f.id`;
  return collect(netsuite.suiteql.rows(q, [`${prefix}-%`, ...ids]), prefix);
}

async function collect(rows: AsyncIterable<SuiteqlRow>, prefix: string): Promise<Changed> {
  const out: Changed = { records: [], newest: undefined };
  for await (const row of rows) {
    const modified = row['modified'] ?? '';
    if (modified && (!out.newest || modified > out.newest)) out.newest = modified;
    const ref = parseSalesOrderExternalId(row['order_ref'], prefix);
    const id = row['id'];
    const salesOrderId = row['salesorder'];
    if (!ref || !id || !salesOrderId) continue;
    out.records.push({
      key: fulfillmentKey(id),
      version: `${modified}|${row['tracking'] ?? ''}`,
      payload: { fulfillmentId: id, salesOrderId, ...ref, modified },
    });
  }
  return out;
}

export function fulfillmentKey(id: string): string {
  return `netsuite:itemfulfillment:${id}`;
}

/**
 * Item fulfillments deleted after `since`: ids and stamps. The step looks each one up in the
 * cross-reference (only a shipped one matters), so the payload carries no order yet.
 */
export async function deletedFulfillments(
  netsuite: NetSuiteClient,
  type: string,
  since: string,
): Promise<{ rows: Array<{ id: string; deleted: string }>; newest: string | undefined }> {
  const q = `SELECT recordid, TO_CHAR(deleteddate, ${FMT}) AS deleted FROM deletedrecord
    WHERE type = ? AND deleteddate > TO_TIMESTAMP(?, ${FMT}) ORDER BY deleteddate, recordid`;
  const rows: Array<{ id: string; deleted: string }> = [];
  let newest: string | undefined;
  for await (const row of netsuite.suiteql.rows(q, [type, since], { pageSize: 1000 })) {
    const id = row['recordid'];
    const at = row['deleted'] ?? '';
    if (!id) continue;
    rows.push({ id, deleted: at });
    if (at && (!newest || at > newest)) newest = at;
  }
  return { rows, newest };
}
