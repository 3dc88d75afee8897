/**
 * What a shipment must satisfy (reference §4.4, §6.1, §6.4): the order's delivery option decides
 * which shipping providers are allowed, tracking numbers follow a configurable pattern, orders
 * fulfilled by TikTok are not the seller's to ship, and every order carries ship-by deadlines.
 */
import { type Ctx, invalidParam, invalidState } from './context.ts';
import type { DeliveryOption, Order, ShipDeadlines } from './model.ts';
import { ID_PREFIX } from './rng.ts';

const PROVIDERS = ['USPS', 'UPS', 'FedEx', 'Royal Mail', 'DPD', 'TT Virtual express'];

/**
 * Two delivery options: the seller's own carriers for `shipping_type: SELLER` orders (type
 * SEND_BY_SELLER, reference §6.1) and TikTok's label service for `TIKTOK` orders.
 */
export function seedLogistics(ctx: Ctx): void {
  const ids = PROVIDERS.map((name) => {
    const id = ctx.ids.next(ID_PREFIX.provider);
    ctx.state.providers.set(id, name);
    return id;
  });
  ctx.state.deliveryOptions.set(ctx.ids.next(ID_PREFIX.deliveryOption), {
    name: 'Standard shipping',
    type: 'SEND_BY_SELLER',
    shippingType: 'SELLER',
    providerIds: ids.slice(0, -1),
  });
  ctx.state.deliveryOptions.set(ctx.ids.next(ID_PREFIX.deliveryOption), {
    name: 'Shipped by TikTok',
    type: 'SEND_BY_PLATFORM',
    shippingType: 'TIKTOK',
    providerIds: ids.slice(-1),
  });
}

/** The delivery option id serving orders of this shipping type. */
export function deliveryOptionFor(ctx: Ctx, shippingType: 'TIKTOK' | 'SELLER'): string {
  for (const [id, o] of ctx.state.deliveryOptions) if (o.shippingType === shippingType) return id;
  throw new Error(`no delivery option serves ${shippingType} orders`);
}

export function optionOf(ctx: Ctx, order: Order): DeliveryOption {
  return ctx.state.deliveryOptions.get(order.deliveryOptionId)!;
}

export type DeadlineOverrides = { [K in keyof ShipDeadlines]?: number | undefined };

/** Deadlines counted from the paid time with the business settings, unless overridden. */
export function shipDeadlines(ctx: Ctx, paidTime: number, given: DeadlineOverrides = {}): ShipDeadlines {
  const b = ctx.settings.business;
  return {
    rtsSlaTime: given.rtsSlaTime ?? paidTime + b.rtsSlaSeconds,
    ttsSlaTime: given.ttsSlaTime ?? paidTime + b.ttsSlaSeconds,
    shippingDueTime: given.shippingDueTime ?? paidTime + b.shippingDueSeconds,
    collectionDueTime: given.collectionDueTime ?? paidTime + b.collectionDueSeconds,
    deliveryDueTime: given.deliveryDueTime ?? paidTime + b.deliveryDueSeconds,
  };
}

/** Refuses a seller shipment of an order TikTok's warehouse fulfils. */
export function refuseFbt(ctx: Ctx, order: Order): void {
  if (order.fulfillmentType !== 'FULFILLMENT_BY_TIKTOK') return;
  throw invalidState(
    ctx,
    `order ${order.id} is FULFILLMENT_BY_TIKTOK: TikTok fulfils it from its own warehouse, the seller cannot ship it`,
  );
}

/**
 * An empty, over-long or oddly spelt tracking number is a parameter error. The rule is
 * UNCONFIRMED, so it is the `trackingNumberPattern` setting; the code is the documented
 * invalid-parameter one (36009004, reference §1.4).
 */
export function checkTrackingNumber(ctx: Ctx, value: string, field: string): void {
  const pattern = ctx.settings.business.trackingNumberPattern;
  if (!new RegExp(pattern).test(value))
    throw invalidParam(`param ${field} is invalid: tracking number "${value}" does not match ${pattern}`);
}

/**
 * The provider must exist and be one of the order's delivery option (reference §6.1: it comes
 * from Get Shipping Providers of that option). TikTok's code for a provider outside the option is
 * not documented; the closest documented one is the invalid-parameter code 36009004 (§1.4).
 */
export function checkProvider(ctx: Ctx, order: Order, providerId: string, field: string): void {
  const name = ctx.state.providers.get(providerId);
  if (name === undefined)
    throw invalidParam(`param ${field} is invalid: shipping provider ${providerId} does not exist`);
  const option = optionOf(ctx, order);
  if (!option.providerIds.includes(providerId))
    throw invalidParam(
      `param ${field} is invalid: ${name} (${providerId}) is not a shipping provider of delivery option ` +
        `${option.name} (${order.deliveryOptionId}) of order ${order.id}`,
    );
}
