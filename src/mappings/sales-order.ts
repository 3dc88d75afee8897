/**
 * Domain Order + settings -> NetSuite sales order upsert (reference §7.1), plus the customer
 * upsert for the per_buyer strategy. Routing, customer and the money plan are computed first
 * (typed code, see their files); the body layout is a spec built from the settings and compiled
 * once, so templates and custom fields are checked at load.
 */
import { z } from 'zod';
import { type OrderMappingSettings, SETTINGS_ROOT } from '../config/order-settings.ts';
import type { RefInput } from '../connectors/netsuite/index.ts';
import { DecimalString, type Money, money, Order } from '../domain/index.ts';
import {
  compileSpec,
  createRegistry,
  type Expr,
  type MappingContext,
  type MappingSpec,
} from '../mapping/index.ts';
import { AppError } from '../shared/errors.ts';
import { type CustomerUpsert, nsAddress, planCustomer, refKey } from './customer.ts';
import { resolveItems, type SalesOrderLookups } from './items.ts';
import type { Route } from './routing.ts';
import {
  AddressDraft,
  LineDraft,
  RefDraft,
  SalesOrderDraft,
  type SalesOrderUpsert,
  toSalesOrderInput,
} from './sales-order-draft.ts';
import { type LineRole, planMoney } from './sales-order-lines.ts';

/** What the spec reads: the order and the plan computed for it. */
export const SalesOrderScope = z.object({
  order: Order,
  plan: z.object({
    memoPrefix: z.string(),
    entity: RefDraft,
    route: z.object({
      subsidiary: RefDraft.optional(),
      location: RefDraft.optional(),
      department: RefDraft.optional(),
      class: RefDraft.optional(),
      rule: z.string().optional(),
    }),
    currency: RefDraft.optional(),
    exchangeRate: DecimalString.optional(),
    shippingAddress: AddressDraft,
    money: z.object({
      lines: z.array(LineDraft),
      shipMethod: RefDraft.optional(),
      shippingCost: DecimalString.optional(),
    }),
  }),
});
export type SalesOrderScope = z.infer<typeof SalesOrderScope>;

export const SALES_ORDER_SPEC_ID = 'domain-order-to-netsuite-sales-order';
export const SALES_ORDER_SPEC_VERSION = 1;

/** The spec for the sales order body, from the settings (templates, date rule, custom fields). */
export function salesOrderSpec(s: OrderMappingSettings): MappingSpec {
  const when: Expr =
    s.body.tranDate === 'paid'
      ? { fn: 'coalesce', args: [{ path: 'order.paidAt' }, { path: 'order.createdAt' }] }
      : { path: 'order.createdAt' };
  const custom = Object.fromEntries(
    Object.entries(s.body.customFields).map(([id, template]) => [`customFields.${id}`, { template }]),
  );
  return {
    id: SALES_ORDER_SPEC_ID,
    version: SALES_ORDER_SPEC_VERSION,
    fields: {
      externalId: {
        fn: 'concat',
        args: [{ const: s.externalIdPrefix }, { path: 'order.shopId' }, { path: 'order.id' }],
        opts: { separator: '-' },
      },
      entity: { path: 'plan.entity' },
      tranDate: {
        fn: 'formatDate',
        args: [when],
        opts: { input: 'iso', output: 'date', timeZone: s.body.timeZone },
      },
      otherRefNum: { template: s.body.otherRefNum },
      memo: { fn: 'concat', args: [{ path: 'plan.memoPrefix' }, { template: s.body.memo }] },
      subsidiary: { path: 'plan.route.subsidiary' },
      location: { path: 'plan.route.location' },
      department: { path: 'plan.route.department' },
      class: { path: 'plan.route.class' },
      currency: { path: 'plan.currency' },
      exchangeRate: { path: 'plan.exchangeRate' },
      ...(s.body.orderStatus ? { orderStatus: { const: { id: s.body.orderStatus } } } : {}),
      shipMethod: { path: 'plan.money.shipMethod' },
      shippingCost: { path: 'plan.money.shippingCost' },
      shippingAddress: { path: 'plan.shippingAddress' },
      lines: { path: 'plan.money.lines' },
      ...custom,
    },
  };
}

export interface SalesOrderMapping {
  /** The sales order's externalId: upsert with PUT /salesOrder/eid:<externalId>. */
  externalId: string;
  salesOrder: SalesOrderUpsert;
  /** What each line of `salesOrder.item` stands for, in the same order. */
  lineRoles: LineRole[];
  /** per_buyer only: upsert this customer first (PUT /customer/eid:<externalId>). */
  customer?: CustomerUpsert;
  route: Route;
  /** orderTotal (lines + shippingCost) + excludedTax = buyerTotal (payment.total_amount). */
  amounts: { orderTotal: Money; excludedTax: Money; buyerTotal: Money };
  specVersion: number;
}

function memoPrefix(order: Order, s: OrderMappingSettings): string {
  if (order.flags.sample) return `${s.samples.memoPrefix}: `;
  if (order.flags.replacement) {
    return `${s.replacements.memoPrefix}${order.replacesOrderId ? ` (replaces ${order.replacesOrderId})` : ''}: `;
  }
  return '';
}

function currencyRef(order: Order, s: OrderMappingSettings): RefInput | undefined {
  const ids = s.currency.ids;
  if (Object.keys(ids).length === 0) return undefined;
  const ref = ids[order.currency];
  if (ref) return ref;
  throw new AppError(
    'mapping_setting_missing',
    `TikTok order ${order.id} is in ${order.currency}, which has no NetSuite currency: set ${SETTINGS_ROOT}.currency.ids.${order.currency} in tiksuite.yaml, then retry`,
    { details: { orderId: order.id, setting: `${SETTINGS_ROOT}.currency.ids.${order.currency}` } },
  );
}

function exchangeRate(
  order: Order,
  route: Route,
  s: OrderMappingSettings,
  lookups: SalesOrderLookups,
): string | undefined {
  const sub = refKey(route.subsidiary);
  const base = sub !== undefined ? s.currency.subsidiaryCurrencies[sub] : undefined;
  if (!base || base === order.currency) return undefined;
  const rate = lookups.exchangeRate?.(order.currency, base);
  if (rate === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(rate)) {
    throw new AppError(
      'validation_failed',
      `exchange rate ${order.currency}->${base} "${rate}" is not a decimal like "1.2734"`,
    );
  }
  return rate;
}

function shippingAddress(order: Order) {
  if (order.shippingAddress) return nsAddress(order.shippingAddress);
  throw new AppError(
    'mapping_missing_address',
    `TikTok order ${order.id} has no shipping address (recipient_address): TikTok hides it while an order is UNPAID or ON_HOLD; import the order once it is AWAITING_SHIPMENT, then retry`,
    { details: { orderId: order.id, field: 'recipient_address', status: order.status } },
  );
}

export function planScope(order: Order, s: OrderMappingSettings, route: Route, lookups: SalesOrderLookups) {
  const address = shippingAddress(order);
  const items = resolveItems(order, s, lookups);
  const currency = currencyRef(order, s);
  const customer = planCustomer(order, route, s, currency);
  const moneyPlan = planMoney(order, s, items);
  const rate = exchangeRate(order, route, s, lookups);
  const scope: SalesOrderScope = {
    order,
    plan: {
      memoPrefix: memoPrefix(order, s),
      entity: customer.entity,
      route,
      ...(currency ? { currency } : {}),
      ...(rate !== undefined ? { exchangeRate: rate } : {}),
      shippingAddress: address,
      money: moneyPlan,
    },
  };
  return { scope, customer, moneyPlan };
}

/** Compiles the sales order spec for these settings (throws mapping_invalid_spec). */
export function compileSalesOrderSpec(s: OrderMappingSettings) {
  return compileSpec(salesOrderSpec(s), {
    source: SalesOrderScope,
    target: SalesOrderDraft,
    registry: createRegistry<MappingContext>(),
  });
}

export function buildSalesOrder(
  order: Order,
  s: OrderMappingSettings,
  route: Route,
  lookups: SalesOrderLookups,
  compiled: ReturnType<typeof compileSalesOrderSpec>,
): SalesOrderMapping {
  const { scope, customer, moneyPlan } = planScope(order, s, route, lookups);
  const draft = compiled.run(scope, { lookups: {} });
  return {
    externalId: draft.externalId,
    salesOrder: toSalesOrderInput(draft),
    lineRoles: moneyPlan.roles,
    ...(customer.upsert ? { customer: customer.upsert } : {}),
    route,
    amounts: {
      orderTotal: money(moneyPlan.orderTotal, order.currency),
      excludedTax: money(moneyPlan.excludedTax, order.currency),
      buyerTotal: order.amounts.total,
    },
    specVersion: compiled.version,
  };
}
