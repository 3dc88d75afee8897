/** Order mappings: TikTok order -> domain Order -> NetSuite sales order (docs/mapping.md). */

export {
  defaultOrderSettings,
  NsRefSetting,
  OrderMappingSettings,
  type OrderMappingSettingsInput,
  RouteTarget,
  RoutingRule,
  SETTINGS_ROOT,
} from '../config/order-settings.ts';
export type { CustomerPlan, CustomerUpsert } from './customer.ts';
export type { ResolvedItem, SalesOrderLookups } from './items.ts';
export { compileOrderMapping, type OrderMapping } from './orders.ts';
export type { Route } from './routing.ts';
export { type SalesOrderMapping, salesOrderSpec } from './sales-order.ts';
export type { SalesOrderUpsert } from './sales-order-draft.ts';
export { mapTikTokOrder, ShopContext, TIKTOK_ORDER_SPEC, TikTokOrderScope } from './tiktok-order.ts';
