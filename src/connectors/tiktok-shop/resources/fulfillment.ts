/** Packages: search, detail, ship, batch ship, tracking updates, mark shipped (reference §6.1). */
import { PAGE_LIMITS, PATHS } from '../manifest.ts';
import type { ShopRef, Transport } from '../transport.ts';
import { BatchResult, Empty } from '../wire/common.ts';
import {
  type BatchShipBody,
  type MarkShippedBody,
  MarkShippedData,
  Package,
  type PackageSearchBody,
  PackageSearchPage,
  type PackageSummary,
  type ShipPackageBody,
  type UpdateShippingInfoBody,
} from '../wire/fulfillment.ts';
import { type Page, paginate } from './paginate.ts';

export function fulfillmentApi(t: Transport, shop: ShopRef) {
  async function searchPage(
    filters: PackageSearchBody,
    pageSize: number,
    pageToken?: string,
  ): Promise<Page<PackageSummary>> {
    const data = await t.call(
      shop,
      {
        method: 'POST',
        path: PATHS.packagesSearch,
        query: { page_size: Math.min(pageSize, PAGE_LIMITS.packages), page_token: pageToken },
        body: filters,
      },
      PackageSearchPage,
    );
    return { items: data.packages, nextPageToken: data.next_page_token, totalCount: data.total_count };
  }

  return {
    searchPage,
    searchPackages(
      filters: PackageSearchBody = {},
      opts: { pageSize?: number } = {},
    ): AsyncGenerator<PackageSummary> {
      return paginate((token) => searchPage(filters, opts.pageSize ?? 50, token));
    },
    getPackage(packageId: string): Promise<Package> {
      return t.call(shop, { method: 'GET', path: PATHS.package(packageId) }, Package);
    },
    async shipPackage(packageId: string, body: ShipPackageBody): Promise<void> {
      await t.call(shop, { method: 'POST', path: PATHS.packageShip(packageId), body }, Empty);
    },
    /** Per-package failures come back in `errors[].detail.package_id` (§6.1). */
    batchShip(body: BatchShipBody): Promise<BatchResult> {
      return t.call(shop, { method: 'POST', path: PATHS.packagesBatchShip, body }, BatchResult);
    },
    async updateShippingInfo(packageId: string, body: UpdateShippingInfoBody): Promise<void> {
      await t.call(shop, { method: 'POST', path: PATHS.packageShippingInfo(packageId), body }, Empty);
    },
    /** Seller shipping: mark (some) lines of an order shipped with the seller's own carrier. */
    markShipped(orderId: string, body: MarkShippedBody): Promise<MarkShippedData> {
      return t.call(shop, { method: 'POST', path: PATHS.orderMarkShipped(orderId), body }, MarkShippedData);
    },
  };
}
export type FulfillmentApi = ReturnType<typeof fulfillmentApi>;
