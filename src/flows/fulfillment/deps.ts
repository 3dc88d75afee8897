/**
 * What the fulfillment flows need from the composition root: the two clients, the shops, the
 * `fulfillment:` settings and the order mapping's item lookup (to tie a NetSuite line's item to
 * the TikTok SKU it was sold as). Built once in main/runtime.ts.
 */
import type { FulfillmentSettings } from '../../config/fulfillment-settings.ts';
import type { NetSuiteClient } from '../../connectors/netsuite/index.ts';
import type { XrefKey } from '../../store/xref.ts';
import type { ShopDirectory } from '../orders/deps.ts';
import type { ItemResolver } from '../orders/items.ts';

export const FULFILLMENT_FLOW = 'fulfillment.tracking';
export const FBT_FLOW = 'fulfillment.fbt';

export interface FulfillmentServices {
  netsuite: NetSuiteClient;
  shops: ShopDirectory;
  settings: FulfillmentSettings;
  /** The sales orders' externalId prefix (`mappings.externalIdPrefix`): `<prefix>-<shop>-<order>`. */
  salesOrderPrefix: string;
  /** Seller SKU -> NetSuite item, as the order import resolves it (lookup field and overrides). */
  items: ItemResolver;
  overrides: Readonly<Record<string, string>>;
  /** Observes every tracking number that reached TikTok (bench and demo figures). */
  onShipped?: (m: ShipMeasure) => void;
}

export interface ShipMeasure {
  fulfillmentId: string;
  shopId: string;
  orderId: string;
  packageId: string;
  action: ShipAction;
  at: number;
}

export type ShipAction = 'shipped' | 'platform_shipped' | 'tracking_updated' | 'recovered';

/**
 * Seller SKU -> NetSuite item id, as the order import resolves it (`mappings.items.overrides`
 * first, then the lookup): one resolver call for the SKUs of these line items.
 */
export async function itemsOfSkus(
  s: Pick<FulfillmentServices, 'items' | 'overrides'>,
  lineItems: ReadonlyArray<{ seller_sku?: string | undefined }>,
): Promise<(sku: string) => string | undefined> {
  const skus = [...new Set(lineItems.flatMap((l) => (l.seller_sku ? [l.seller_sku] : [])))];
  const resolved = await s.items.resolve(skus.filter((sku) => !s.overrides[sku]));
  return (sku) => s.overrides[sku] ?? resolved.get(sku)?.id;
}

/** A NetSuite item fulfillment and the TikTok package it became (one per fulfillment). */
export function packageXref(fulfillmentId: string, shopId: string): XrefKey {
  return {
    sourceSystem: 'netsuite',
    sourceType: 'itemFulfillment',
    sourceId: fulfillmentId,
    targetSystem: `tiktok:${shopId}`,
    targetType: 'package',
  };
}

/** A shipped fulfillment's TikTok order (so a deletion, which NetSuite reports bare, can be named). */
export function orderXref(fulfillmentId: string, shopId: string): XrefKey {
  return { ...packageXref(fulfillmentId, shopId), targetType: 'order' };
}

/** `<prefix>-<shop>-<order>` -> shop and order (order ids are digits, reference section 4.4). */
export function parseSalesOrderExternalId(
  externalId: string | null | undefined,
  prefix: string,
): { shopId: string; orderId: string } | undefined {
  if (!externalId?.startsWith(`${prefix}-`)) return undefined;
  const m = /^(.+)-(\d{1,30})$/.exec(externalId.slice(prefix.length + 1));
  return m ? { shopId: m[1]!, orderId: m[2]! } : undefined;
}
