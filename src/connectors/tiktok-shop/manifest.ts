/**
 * TikTok Shop as data: hosts, pinned API versions per endpoint, limits and codes. Everything here
 * comes from ../shared/reference/tiktok-shop-api.md (section numbers cited); values tagged
 * UNCONFIRMED there are defaults the caller may override, never assumptions baked into logic.
 */

/** §1.1: one business host for every region; tokens live on the auth host. */
export const HOSTS = {
  api: 'https://open-api.tiktokglobalshop.com',
  auth: 'https://auth.tiktok-shops.com',
  /** §3.1: the older authorize page still used by the SDKs (takes app_key and state). */
  authorize: 'https://auth.tiktok-shops.com/oauth/authorize',
  /** §3.1: the current authorize page, keyed by the app's service id. */
  servicesAuthorize: 'https://services.tiktokshop.com/open/authorize',
  servicesAuthorizeUs: 'https://services.us.tiktokshop.com/open/authorize',
} as const;

/** Paths are pinned per endpoint (§1.2: a newer version is a separate endpoint). */
export const PATHS = {
  tokenGet: '/api/v2/token/get',
  tokenRefresh: '/api/v2/token/refresh',
  authorizedShops: '/authorization/202309/shops',
  ordersSearch: '/order/202309/orders/search',
  ordersDetail: '/order/202309/orders',
  productsSearch: '/product/202309/products/search',
  products: '/product/202309/products',
  product: (id: string) => `/product/202309/products/${id}`,
  productsDeactivate: '/product/202309/products/deactivate',
  productsActivate: '/product/202309/products/activate',
  inventoryUpdate: (id: string) => `/product/202309/products/${id}/inventory/update`,
  inventorySearch: '/product/202309/inventory/search',
  priceUpdate: (id: string) => `/product/202309/products/${id}/prices/update`,
  warehouses: '/logistics/202309/warehouses',
  deliveryOptions: (warehouseId: string) => `/logistics/202309/warehouses/${warehouseId}/delivery_options`,
  shippingProviders: (deliveryOptionId: string) =>
    `/logistics/202309/delivery_options/${deliveryOptionId}/shipping_providers`,
  packagesSearch: '/fulfillment/202309/packages/search',
  package: (id: string) => `/fulfillment/202309/packages/${id}`,
  packageShip: (id: string) => `/fulfillment/202309/packages/${id}/ship`,
  packagesBatchShip: '/fulfillment/202309/packages/ship',
  packageShippingInfo: (id: string) => `/fulfillment/202309/packages/${id}/shipping_info/update`,
  orderMarkShipped: (orderId: string) => `/fulfillment/202309/orders/${orderId}/packages`,
  returnsSearch: '/return_refund/202309/returns/search',
  returnApprove: (id: string) => `/return_refund/202309/returns/${id}/approve`,
  returnReject: (id: string) => `/return_refund/202309/returns/${id}/reject`,
  cancellationsSearch: '/return_refund/202309/cancellations/search',
  cancellationApprove: (id: string) => `/return_refund/202309/cancellations/${id}/approve`,
  cancellationReject: (id: string) => `/return_refund/202309/cancellations/${id}/reject`,
  cancellations: '/return_refund/202309/cancellations',
  rejectReasons: '/return_refund/202309/reject_reasons',
  statements: '/finance/202309/statements',
  payments: '/finance/202309/payments',
  statementTransactions: (id: string) => `/finance/202309/statements/${id}/statement_transactions`,
  statementTransactions202501: (id: string) => `/finance/202501/statements/${id}/statement_transactions`,
  orderTransactions: (id: string) => `/finance/202309/orders/${id}/statement_transactions`,
  orderTransactions202501: (id: string) => `/finance/202501/orders/${id}/statement_transactions`,
  /** §8.1: orders delivered or completed and not yet in a statement; response shape UNCONFIRMED. */
  unsettledOrders: '/finance/202507/orders/unsettled',
  webhooks: '/event/202309/webhooks',
} as const;

/** Path prefixes that take no shop_cipher (§1.2). */
export const SHOPLESS_PREFIXES = ['/authorization/', '/seller/'] as const;

/** §10.2 page-size ceilings per endpoint family. */
export const PAGE_LIMITS = {
  orders: 100,
  orderDetailIds: 50,
  packages: 50,
  products: 100,
  returns: 50,
  cancellations: 50,
  finance: 100,
} as const;

/** §1.4 TikTok envelope codes we act on. */
export const TIKTOK_CODES = {
  success: 0,
  signatureInvalid: 106001,
  accessTokenExpired: 105002,
  scopeDenied: 105005,
  refreshTokenExpired: 36004001,
  authRecordMissing: 36004005,
  rateLimited: 36009002,
  internalError: 36009003,
  invalidParam: 36009004,
} as const;

/** §9.2: numeric webhook `type` to topic name. */
export const EVENT_TYPES = {
  1: 'ORDER_STATUS_CHANGE',
  2: 'REVERSE_STATUS_UPDATE',
  3: 'RECIPIENT_ADDRESS_UPDATE',
  4: 'PACKAGE_UPDATE',
  5: 'PRODUCT_STATUS_CHANGE',
  6: 'SELLER_DEAUTHORIZATION',
  7: 'UPCOMING_AUTHORIZATION_EXPIRATION',
  11: 'CANCELLATION_STATUS_CHANGE',
  12: 'RETURN_STATUS_CHANGE',
  15: 'PRODUCT_INFORMATION_CHANGE',
  16: 'PRODUCT_CREATION',
} as const;
export type EventTypeName = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];
export const EVENT_TYPE_NAMES: readonly EventTypeName[] = Object.values(EVENT_TYPES);
/** Numeric `type` -> topic, for lookups with a number read off the wire. */
export const EVENT_TYPE_BY_NUMBER: ReadonlyMap<number, EventTypeName> = new Map(
  Object.entries(EVENT_TYPES).map(([k, v]) => [Number(k), v]),
);

/** §3.2: the official SDK's default access-token lifetime. */
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 7 * 24 * 3600;
/** §3.3: UPCOMING_AUTHORIZATION_EXPIRATION fires 30 days ahead; we warn on the same horizon. */
export const RECONSENT_WARNING_DAYS = 30;
