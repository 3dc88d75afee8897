/**
 * What the aftersale flows (TikTok cancellations, returns and refunds -> NetSuite) need from the
 * composition root, their ids and the external ids of the NetSuite documents they create: one per
 * TikTok return, so a repeat (webhook and poll, retry, crash) finds the document instead of
 * making a twin (STYLE.md convention 4).
 */
import { z } from 'zod';
import type { AftersaleSettings } from '../../config/aftersale-settings.ts';
import type { OrderMappingSettings } from '../../config/order-settings.ts';
import type { NetSuiteClient } from '../../connectors/netsuite/index.ts';
import { Cancellation, Return } from '../../connectors/tiktok-shop/index.ts';
import type { ShopDirectory } from '../orders/deps.ts';
import type { ItemResolver } from '../orders/items.ts';

export const CANCELLATION_FLOW = 'aftersale.cancellations';
export const RETURN_FLOW = 'aftersale.returns';

export interface AftersaleServices {
  netsuite: NetSuiteClient;
  shops: ShopDirectory;
  settings: AftersaleSettings;
  /** The order mapping's settings: external id prefix, discount, shipping and tax treatments. */
  mappings: OrderMappingSettings;
  /** Seller SKU -> NetSuite item, as the order import resolves it. */
  items: ItemResolver;
  /** Reads the order afresh and queues it on the import flow (a cancellation closes its lines there). */
  resyncOrder?: (shopId: string, orderId: string) => Promise<void>;
  /** Observes every NetSuite document booked for a return (demo and bench figures). */
  onBooked?: (m: BookedMeasure) => void;
}

export interface BookedMeasure {
  shopId: string;
  returnId: string;
  orderId: string;
  document: ReturnDocumentKind;
  netsuiteId: string;
  at: number;
}

export const CancellationPayload = z.object({ shopId: z.string().min(1), cancellation: Cancellation });
export type CancellationPayload = z.infer<typeof CancellationPayload>;
export const ReturnPayload = z.object({ shopId: z.string().min(1), return: Return });
export type ReturnPayload = z.infer<typeof ReturnPayload>;

export const cancellationKey = (shopId: string, id: string) => `tiktok:${shopId}:cancellation:${id}`;
export const returnKey = (shopId: string, id: string) => `tiktok:${shopId}:return:${id}`;

/** The NetSuite documents of one TikTok return, each with its own external id. */
export type ReturnDocumentKind = 'returnAuthorization' | 'itemReceipt' | 'credit' | 'refund';

const SUFFIX: Record<ReturnDocumentKind, string> = {
  returnAuthorization: 'ra',
  itemReceipt: 'rcpt',
  credit: 'cm',
  refund: 'rf',
};

/** `<prefix>-<shop>-<kind>-<returnId>`, e.g. `tiktok-7495-cm-4035318504086604100`. */
export function returnExternalId(prefix: string, shopId: string, kind: ReturnDocumentKind, id: string) {
  return `${prefix}-${shopId}-${SUFFIX[kind]}-${id}`;
}
