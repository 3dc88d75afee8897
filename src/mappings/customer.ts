/**
 * The sales order's customer. `generic`: one configured customer per shop or subsidiary.
 * `per_buyer`: one customer per TikTok buyer (by user id or relay e-mail), written first by
 * upsert on a deterministic externalId so a retry never makes a twin.
 */
import { createHash } from 'node:crypto';
import { type OrderMappingSettings, SETTINGS_ROOT } from '../config/order-settings.ts';
import type { CustomerInput, RefInput } from '../connectors/netsuite/index.ts';
import type { Address, Order } from '../domain/index.ts';
import { AppError } from '../shared/errors.ts';
import type { Route } from './routing.ts';
import type { AddressDraft } from './sales-order-draft.ts';

export interface CustomerUpsert {
  /** PUT /customer/eid:<externalId> before the sales order. */
  externalId: string;
  body: CustomerInput;
}

export interface CustomerPlan {
  entity: RefInput;
  upsert?: CustomerUpsert;
}

export function refKey(ref: RefInput | undefined): string | undefined {
  if (!ref) return undefined;
  return 'id' in ref ? ref.id : ref.externalId;
}

/** NetSuite address fields from a domain address; masked phones (TikTok logistics) are left out. */
export function nsAddress(a: Address): AddressDraft {
  const out: AddressDraft = { addr1: a.line1, country: { id: a.countryCode } };
  const addressee = a.name ?? ([a.firstName, a.lastName].filter(Boolean).join(' ') || undefined);
  if (addressee) out.addressee = addressee;
  if (a.line2) out.addr2 = a.line2;
  if (a.city) out.city = a.city;
  if (a.state) out.state = a.state;
  if (a.postalCode) out.zip = a.postalCode;
  if (a.phone && !a.phone.includes('*')) out.addrPhone = a.phone;
  return out;
}

function genericCustomer(order: Order, route: Route, settings: OrderMappingSettings): CustomerPlan {
  const c = settings.customer;
  const sub = refKey(route.subsidiary);
  const entity = c.byShop[order.shopId] ?? (sub !== undefined ? c.bySubsidiary[sub] : undefined) ?? c.generic;
  if (!entity) {
    throw new AppError(
      'mapping_setting_missing',
      `No customer for shop ${order.shopId}: set ${SETTINGS_ROOT}.customer.generic (or byShop["${order.shopId}"]${sub ? ` / bySubsidiary["${sub}"]` : ''}) in tiksuite.yaml to a NetSuite customer, or use customer.strategy: per_buyer, then retry`,
      { details: { orderId: order.id, setting: `${SETTINGS_ROOT}.customer.generic` } },
    );
  }
  return { entity };
}

function buyerKey(order: Order, settings: OrderMappingSettings): string {
  const by = settings.customer.matchBy;
  const value = by === 'email' ? order.buyer.email?.trim().toLowerCase() : order.buyer.userId;
  if (!value) {
    const field = by === 'email' ? 'buyer_email' : 'user_id';
    throw new AppError(
      'validation_failed',
      `TikTok order ${order.id} has no ${field} to match its buyer: set ${SETTINGS_ROOT}.customer.matchBy to ${by === 'email' ? 'buyer_id' : 'email'} or use the generic customer strategy, then retry`,
      { details: { orderId: order.id, field } },
    );
  }
  // NetSuite external ids allow letters, digits, _ and - only: e-mails are hashed.
  return by === 'email' ? `e${createHash('sha256').update(value).digest('hex').slice(0, 32)}` : value;
}

function personName(order: Order): { firstName: string; lastName: string } {
  const a = order.shippingAddress;
  if (a?.firstName && a.lastName) return { firstName: a.firstName, lastName: a.lastName };
  const parts = (a?.name ?? order.buyer.name ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length >= 2) return { firstName: parts.slice(0, -1).join(' '), lastName: parts.at(-1)! };
  return { firstName: parts[0] ?? 'TikTok', lastName: 'Buyer' };
}

function perBuyerCustomer(
  order: Order,
  route: Route,
  settings: OrderMappingSettings,
  currency?: RefInput,
): CustomerPlan {
  const externalId = `${settings.customer.externalIdPrefix}-${buyerKey(order, settings)}`;
  const body: CustomerInput = { externalId, isPerson: true, ...personName(order) };
  if (order.buyer.email) body.email = order.buyer.email;
  if (route.subsidiary) body.subsidiary = route.subsidiary;
  if (currency) body.currency = currency;
  if (order.shippingAddress) {
    body.addressBook = {
      items: [
        {
          defaultShipping: true,
          defaultBilling: true,
          label: 'TikTok Shop',
          addressBookAddress: nsAddress(order.shippingAddress),
        },
      ],
    };
  }
  return { entity: { externalId }, upsert: { externalId, body } };
}

export function planCustomer(
  order: Order,
  route: Route,
  settings: OrderMappingSettings,
  currency?: RefInput,
): CustomerPlan {
  return settings.customer.strategy === 'per_buyer'
    ? perBuyerCustomer(order, route, settings, currency)
    : genericCustomer(order, route, settings);
}
