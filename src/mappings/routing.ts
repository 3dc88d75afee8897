/**
 * Routing rules: the first rule whose conditions all hold sets subsidiary, location, department
 * and class; fields a rule leaves out come from `routing.default`.
 */

import {
  type OrderMappingSettings,
  type RouteTarget,
  type RoutingRule,
  SETTINGS_ROOT,
} from '../config/order-settings.ts';
import type { RefInput } from '../connectors/netsuite/index.ts';
import { type Order, toMinor } from '../domain/index.ts';
import { AppError } from '../shared/errors.ts';
import { parseMoney } from '../shared/money.ts';

export interface Route {
  subsidiary?: RefInput;
  location?: RefInput;
  department?: RefInput;
  class?: RefInput;
  /** The matched rule's name (or `rules[i]`), or undefined when only the default applied. */
  rule?: string;
}

interface CompiledRule {
  label: string;
  rule: RoutingRule;
  sku: RegExp | undefined;
}

/** `*` any run of characters, `?` exactly one; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

export function compileRules(settings: OrderMappingSettings): CompiledRule[] {
  return settings.routing.rules.map((rule, i) => {
    const label = rule.name ?? `rules[${i}]`;
    const { minTotal, maxTotal } = rule.when;
    if (
      minTotal !== undefined &&
      maxTotal !== undefined &&
      parseMoney(minTotal, 'USD').minor >= parseMoney(maxTotal, 'USD').minor
    ) {
      throw new AppError(
        'mapping_invalid_spec',
        `${SETTINGS_ROOT}.routing.rules[${i}].when: minTotal must be below maxTotal`,
      );
    }
    return { label, rule, sku: rule.when.skuPattern ? globToRegExp(rule.when.skuPattern) : undefined };
  });
}

function totalWithin(order: Order, min: string | undefined, max: string | undefined): boolean {
  const total = toMinor(order.amounts.total).minor;
  if (min !== undefined && total < parseMoney(min, order.currency, 'minTotal').minor) return false;
  if (max !== undefined && total >= parseMoney(max, order.currency, 'maxTotal').minor) return false;
  return true;
}

function matches(order: Order, r: CompiledRule): boolean {
  const w = r.rule.when;
  if (w.shops && !w.shops.includes(order.shopId)) return false;
  if (w.regions && !w.regions.includes(order.region)) return false;
  if (w.warehouses && (!order.warehouseId || !w.warehouses.includes(order.warehouseId))) return false;
  if (w.currencies && !w.currencies.includes(order.currency)) return false;
  if (r.sku && !order.lines.some((l) => r.sku!.test(l.sku))) return false;
  return totalWithin(order, w.minTotal, w.maxTotal);
}

function merge(base: RouteTarget, over: RouteTarget): RouteTarget {
  return { ...base, ...Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined)) };
}

export function routeOrder(order: Order, rules: readonly CompiledRule[], fallback: RouteTarget): Route {
  const hit = rules.find((r) => matches(order, r));
  const target = hit ? merge(fallback, hit.rule.set) : fallback;
  return { ...target, ...(hit ? { rule: hit.label } : {}) };
}
