/** Products, inventory and prices (reference §5). */
import { PAGE_LIMITS, PATHS } from '../manifest.ts';
import type { CallOptions, ShopRef, Transport } from '../transport.ts';
import { BatchResult } from '../wire/common.ts';
import {
  CreateProductData,
  type InventorySearchBody,
  InventorySearchData,
  type InventoryUpdateBody,
  type PriceUpdateBody,
  Product,
  type ProductInput,
  type ProductSearchBody,
  ProductSearchPage,
} from '../wire/products.ts';
import { type Page, paginate } from './paginate.ts';

export function productsApi(t: Transport, shop: ShopRef) {
  async function searchPage(
    filters: ProductSearchBody,
    pageSize: number,
    pageToken?: string,
  ): Promise<Page<Product>> {
    const data = await t.call(
      shop,
      {
        method: 'POST',
        path: PATHS.productsSearch,
        query: { page_size: Math.min(pageSize, PAGE_LIMITS.products), page_token: pageToken },
        body: filters,
      },
      ProductSearchPage,
    );
    return { items: data.products, nextPageToken: data.next_page_token, totalCount: data.total_count };
  }

  return {
    searchPage,
    /** POST /product/202309/products/search (§5.2). */
    search(filters: ProductSearchBody = {}, opts: { pageSize?: number } = {}): AsyncGenerator<Product> {
      return paginate((token) => searchPage(filters, opts.pageSize ?? 50, token));
    },
    /** GET /product/202309/products/{id} (§5.1). */
    get(productId: string): Promise<Product> {
      return t.call(shop, { method: 'GET', path: PATHS.product(productId) }, Product);
    },
    /** POST /product/202309/products (§5.2). */
    create(input: ProductInput): Promise<CreateProductData> {
      return t.call(shop, { method: 'POST', path: PATHS.products, body: input }, CreateProductData);
    },
    /** PUT /product/202309/products/{id}: a full replace (§5.1, treatment of omissions UNCONFIRMED). */
    edit(productId: string, input: ProductInput): Promise<CreateProductData> {
      return t.call(shop, { method: 'PUT', path: PATHS.product(productId), body: input }, CreateProductData);
    },
    /** POST /product/202309/products/deactivate; failed ids come back in `errors` (§1.4). */
    deactivate(productIds: readonly string[]): Promise<BatchResult> {
      return t.call(
        shop,
        { method: 'POST', path: PATHS.productsDeactivate, body: { product_ids: productIds } },
        BatchResult,
      );
    },
    /** POST /product/202309/products/activate: lists seller-deactivated products again (§5.1). */
    activate(productIds: readonly string[]): Promise<BatchResult> {
      return t.call(
        shop,
        { method: 'POST', path: PATHS.productsActivate, body: { product_ids: productIds } },
        BatchResult,
      );
    },
    /** POST …/inventory/update: absolute quantities per warehouse (§5.3). */
    updateInventory(
      productId: string,
      body: InventoryUpdateBody,
      opts: CallOptions = {},
    ): Promise<BatchResult> {
      return t.call(
        shop,
        { method: 'POST', path: PATHS.inventoryUpdate(productId), body },
        BatchResult,
        opts,
      );
    },
    /** POST /product/202309/inventory/search: listed quantities per SKU and warehouse (§5.1). */
    searchInventory(body: InventorySearchBody, opts: CallOptions = {}): Promise<InventorySearchData> {
      return t.call(shop, { method: 'POST', path: PATHS.inventorySearch, body }, InventorySearchData, opts);
    },
    /** POST …/prices/update (§5.4). */
    updatePrice(productId: string, body: PriceUpdateBody): Promise<BatchResult> {
      return t.call(shop, { method: 'POST', path: PATHS.priceUpdate(productId), body }, BatchResult);
    },
  };
}
export type ProductsApi = ReturnType<typeof productsApi>;
