/**
 * The order mapping as the flows use it: compile once from the settings (every spec, template,
 * rule and time zone checked at load), then per order: TikTok -> domain, the SKUs to look up,
 * domain -> NetSuite sales order (+ customer).
 */

import { OrderMappingSettings, SETTINGS_ROOT } from '../config/order-settings.ts';
import type { Order as TikTokOrder } from '../connectors/tiktok-shop/index.ts';
import type { Order } from '../domain/index.ts';
import { checkTemplate, isTimeZone } from '../mapping/index.ts';
import { AppError } from '../shared/errors.ts';
import { type SalesOrderLookups, skusToResolve } from './items.ts';
import { compileRules, type Route, routeOrder } from './routing.ts';
import {
  buildSalesOrder,
  compileSalesOrderSpec,
  type SalesOrderMapping,
  SalesOrderScope,
} from './sales-order.ts';
import { mapTikTokOrder, type ShopContext, TIKTOK_ORDER_SPEC_VERSION } from './tiktok-order.ts';

export interface OrderMapping {
  readonly settings: OrderMappingSettings;
  readonly specVersions: { readonly tiktokToDomain: number; readonly domainToSalesOrder: number };
  /** TikTok wire order (parsed by the connector) -> domain Order, amounts checked. */
  fromTikTok(order: TikTokOrder, shop: ShopContext): Order;
  /** SKUs the flow must look up in NetSuite (by settings.items.lookup) before toSalesOrder. */
  skusToResolve(order: Order): string[];
  /** Which routing rule applies and what it sets. */
  route(order: Order): Route;
  /** Domain Order -> sales order upsert body (+ customer upsert for per_buyer). */
  toSalesOrder(order: Order, lookups: SalesOrderLookups): SalesOrderMapping;
}

function parseSettings(input: unknown): OrderMappingSettings {
  const parsed = OrderMappingSettings.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [SETTINGS_ROOT, ...(issue?.path ?? []).map(String)].join('.');
  throw new AppError('mapping_invalid_spec', `${path}: ${issue?.message ?? 'invalid'} (tiksuite.yaml)`, {
    details: { path, issues: parsed.error.issues.slice(0, 5) },
  });
}

/** Templates name the tiksuite.yaml path in their errors (the spec would name its own field). */
function checkTemplates(s: OrderMappingSettings): void {
  const body = `${SETTINGS_ROOT}.body`;
  checkTemplate(SalesOrderScope, s.body.memo, `${body}.memo`);
  checkTemplate(SalesOrderScope, s.body.otherRefNum, `${body}.otherRefNum`);
  for (const [id, t] of Object.entries(s.body.customFields))
    checkTemplate(SalesOrderScope, t, `${body}.customFields.${id}`);
}

/**
 * Validates the settings (an `OrderMappingSettingsInput`, raw from YAML or already parsed) and
 * compiles every spec; throws mapping_invalid_spec naming the field.
 */
export function compileOrderMapping(input: unknown = {}): OrderMapping {
  const settings = parseSettings(input);
  if (!isTimeZone(settings.body.timeZone)) {
    throw new AppError(
      'mapping_invalid_spec',
      `${SETTINGS_ROOT}.body.timeZone "${settings.body.timeZone}" is not an IANA time zone`,
    );
  }
  checkTemplates(settings);
  const rules = compileRules(settings);
  const salesOrder = compileSalesOrderSpec(settings);
  const route = (order: Order) => routeOrder(order, rules, settings.routing.default);
  return {
    settings,
    specVersions: { tiktokToDomain: TIKTOK_ORDER_SPEC_VERSION, domainToSalesOrder: salesOrder.version },
    fromTikTok: (order, shop) => mapTikTokOrder(order, shop),
    skusToResolve: (order) => skusToResolve(order, settings),
    route,
    toSalesOrder: (order, lookups) => buildSalesOrder(order, settings, route(order), lookups, salesOrder),
  };
}
