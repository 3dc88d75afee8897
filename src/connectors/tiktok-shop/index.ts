/**
 * The only entry other layers import: the client factory, token storage, webhook verification
 * and parsing, the sandbox starter and the wire schemas (zod) with their types.
 */
export {
  MemoryTokenStore,
  type ReconsentNotice,
  type SecretsLike,
  secretTokenStore,
  type TokenStore,
  type Tokens,
  tokensFromWire,
} from './auth.ts';
export {
  createTikTokShopClient,
  type TikTokShopApi,
  type TikTokShopClient,
  type TikTokShopClientOptions,
} from './client.ts';
export { EVENT_TYPE_NAMES, EVENT_TYPES, type EventTypeName, HOSTS, PATHS, TIKTOK_CODES } from './manifest.ts';
export { collect, type Page } from './resources/paginate.ts';
export type { TikTokSandboxOptions } from './sandbox/options.ts';
export type { DeliveryRecord } from './sandbox/push.ts';
export { type SandboxShopCredentials, startTikTokSandbox, type TikTokSandbox } from './sandbox/server.ts';
export { signRequest, signWebhook } from './signing.ts';
export { type Harness, startSandboxWithClient, tokensOf, tradeForFinance } from './testing.ts';
export type { ShopRef } from './transport.ts';
export {
  isOrderId,
  type ParsedWebhook,
  parseWebhook,
  verifyAndParseWebhook,
  verifyWebhookSignature,
} from './webhooks.ts';
export { AuthorizedShop, TokenData } from './wire/auth.ts';
export { BatchError, BatchResult } from './wire/common.ts';
export { UnknownWebhookEvent, WebhookEvent, WebhookSubscription } from './wire/events.ts';
export {
  OrderTransactions202309,
  OrderTransactions202501,
  Payment,
  Statement,
  StatementTransactions202309,
  StatementTransactions202501,
  Transaction202309,
  Transaction202501,
  UnsettledTransaction,
} from './wire/finance.ts';
export { MarkShippedBody, Package, PackageSummary, ShipPackageBody } from './wire/fulfillment.ts';
export { Order, OrderLineItem, OrderPayment, OrderSearchBody, OrderStatus } from './wire/orders.ts';
export {
  CreateProductData,
  DeliveryOption,
  InventorySearchData,
  InventoryUpdateBody,
  PriceUpdateBody,
  Product,
  ProductInput,
  ProductSearchBody,
  ShippingProvider,
  Warehouse,
} from './wire/products.ts';
export { Cancellation, CancelOrderBody, CancelOrderData, RefundAmount, Return } from './wire/returns.ts';
