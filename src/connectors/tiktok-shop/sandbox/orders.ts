/**
 * Order lifecycle (reference §4.3, Appendix A.6): UNPAID -> ON_HOLD -> AWAITING_SHIPMENT ->
 * (PARTIALLY_SHIPPING) -> AWAITING_COLLECTION / IN_TRANSIT -> DELIVERED -> COMPLETED, CANCELLED
 * before delivery. Every status change stamps update_time and pushes ORDER_STATUS_CHANGE.
 */
import { allocateMoney, parseMoney } from '../../../shared/money.ts';
import type { OrderStatus } from '../wire/orders.ts';
import { applyRate, type Ctx, invalidParam, invalidState, notFound } from './context.ts';
import type { Buyer, FulfillmentType, Order, OrderLine, Package, Shop, Sku } from './model.ts';
import { ID_PREFIX } from './rng.ts';
import { type DeadlineOverrides, deliveryOptionFor, shipDeadlines } from './ship-rules.ts';

export interface PlaceOrderInput {
  lines: Array<{ seller_sku: string; quantity: number }>;
  buyer?: Partial<Buyer> | undefined;
  shipping_type?: 'TIKTOK' | 'SELLER' | undefined;
  /** FULFILLMENT_BY_TIKTOK implies (and requires) shipping_type TIKTOK. */
  fulfillment_type?: FulfillmentType | undefined;
  /** Absolute ship-by deadlines replacing the ones computed from the settings. */
  deadlines?: DeadlineOverrides | undefined;
  /** Buyer-paid shipping fee (decimal string), default "0". */
  shipping_fee?: string | undefined;
  /** Order-level discounts spread over the units by price. */
  seller_discount?: string | undefined;
  platform_discount?: string | undefined;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson'];

function makeBuyer(ctx: Ctx, shop: Shop, given: Partial<Buyer> | undefined): Buyer {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(ctx.random() * xs.length)]!;
  const userId = given?.userId ?? ctx.ids.next(ID_PREFIX.buyer);
  return {
    userId,
    name: given?.name ?? `${pick(FIRST)} ${pick(LAST)}`,
    email: given?.email ?? `${userId.slice(-8)}@scs.tiktokw.us`,
    address: given?.address ?? {
      line1: `${1 + Math.floor(ctx.random() * 9000)} Coleman Ave`,
      city: shop.region === 'US' ? 'San Jose' : 'London',
      state: shop.region === 'US' ? 'California' : 'Greater London',
      postalCode: shop.region === 'US' ? '95110' : 'EC1A 1BB',
      regionCode: shop.region,
    },
  };
}

/** Checks every line first, then takes the stock: the whole order is refused or placed. */
function takeStock(ctx: Ctx, shop: Shop, input: PlaceOrderInput) {
  if (input.lines.length === 0) throw invalidParam('lines must not be empty');
  const picked = input.lines.map((l) => {
    if (!Number.isInteger(l.quantity) || l.quantity < 1) {
      throw invalidParam(`quantity of ${l.seller_sku} must be >= 1`);
    }
    const sku = ctx.state.skuBySellerSku.get(ctx.state.skuKey(shop.id, l.seller_sku));
    if (!sku) throw notFound(ctx, 'seller_sku', l.seller_sku);
    const product = ctx.state.products.get(sku.productId)!;
    if (product.status !== 'ACTIVATE') throw invalidState(ctx, `product of ${l.seller_sku} is not on sale`);
    const stock = sku.stock.get(shop.warehouseId) ?? 0;
    if (stock < l.quantity) {
      throw invalidState(ctx, `${l.seller_sku} has ${stock} in stock, ${l.quantity} ordered`);
    }
    return { sku, product, quantity: l.quantity };
  });
  for (const { sku, quantity } of picked) {
    sku.stock.set(shop.warehouseId, (sku.stock.get(shop.warehouseId) ?? 0) - quantity);
    addCommitted(sku, shop.warehouseId, quantity);
  }
  return picked;
}

/** Units ordered and not yet shipped or cancelled, per warehouse (inventory search's committed_quantity). */
export function addCommitted(sku: Sku, warehouseId: string, delta: number): void {
  sku.committed.set(warehouseId, Math.max(0, (sku.committed.get(warehouseId) ?? 0) + delta));
}

/** Lines leaving the warehouse (shipped) or cancelled before it: no longer committed. */
export function uncommitLines(ctx: Ctx, order: Order, lineIds: readonly string[]): void {
  const shop = ctx.state.shops.get(order.shopId)!;
  for (const id of lineIds) {
    const line = order.lines.find((l) => l.id === id);
    const sku = line && ctx.state.skus.get(line.skuId);
    if (sku) addCommitted(sku, shop.warehouseId, -1);
  }
}

/** One line item per unit (reference §4.4: there is no quantity field). */
function unitLines(ctx: Ctx, picked: ReturnType<typeof takeStock>): OrderLine[] {
  const lines: OrderLine[] = [];
  for (const { sku, product, quantity } of picked) {
    for (let i = 0; i < quantity; i++) {
      lines.push({
        id: ctx.ids.next(ID_PREFIX.line),
        skuId: sku.id,
        productId: product.id,
        productName: product.title,
        sellerSku: sku.sellerSku,
        original: sku.price,
        sellerDiscount: 0n,
        platformDiscount: 0n,
        tax: 0n,
        packageId: undefined,
        cancelled: false,
        cancelUser: '',
        cancelReason: '',
        refund: undefined,
      });
    }
  }
  return lines;
}

/** Places and pays an order at once; stock is taken, or the whole order is refused. */
export function placeOrder(ctx: Ctx, shop: Shop, input: PlaceOrderInput): Order {
  // Checked before the stock is taken: a refused order must not keep units.
  const fulfillmentType = input.fulfillment_type ?? 'FULFILLMENT_BY_SELLER';
  const fbt = fulfillmentType === 'FULFILLMENT_BY_TIKTOK';
  if (fbt && input.shipping_type === 'SELLER')
    throw invalidParam(
      'param body.shipping_type is invalid: a FULFILLMENT_BY_TIKTOK order ships with TIKTOK',
    );
  const shippingType = input.shipping_type ?? (fbt ? 'TIKTOK' : 'SELLER');
  const lines = unitLines(ctx, takeStock(ctx, shop, input));
  spreadDiscounts(shop, lines, input);
  const taxRate = shop.region === 'US' ? ctx.settings.business.usSalesTaxRate : '0';
  for (const l of lines) l.tax = applyRate(l.original - l.sellerDiscount - l.platformDiscount, taxRate);
  const now = ctx.sim.nowSeconds();
  const order: Order = {
    id: ctx.ids.next(ID_PREFIX.order),
    shopId: shop.id,
    status: 'UNPAID',
    currency: shop.currency,
    shippingType,
    fulfillmentType,
    deliveryOptionId: deliveryOptionFor(ctx, shippingType),
    deadlines: shipDeadlines(ctx, now, input.deadlines),
    createTime: now,
    updateTime: now,
    paidTime: now,
    buyer: makeBuyer(ctx, shop, input.buyer),
    addressUpdated: false,
    lines,
    shippingFee: parseMoney(input.shipping_fee ?? '0', shop.currency, 'shipping_fee').minor,
    packageIds: [],
    buyerRequestCancel: false,
    cancelTime: undefined,
    cancelReason: '',
    cancellationInitiator: '',
    rtsTime: undefined,
    collectionTime: undefined,
    deliveryTime: undefined,
    completeTime: undefined,
    statementId: undefined,
    openReturnIds: new Set(),
  };
  ctx.state.orders.add(order);
  for (const line of lines) ctx.state.lineOrder.set(line.id, { order, line });
  // The buyer pays at once: creation then ON_HOLD, both pushed (reference §9.2 type 1).
  ctx.emit(shop.id, 1, orderEvent(order));
  setStatus(ctx, order, 'ON_HOLD');
  ctx.sim.at(ctx.sim.now() + ctx.settings.business.onHoldSeconds * 1000, () => releaseHold(ctx, order));
  return order;
}

function spreadDiscounts(shop: Shop, lines: OrderLine[], input: PlaceOrderInput): void {
  const weights = lines.map((l) => l.original);
  const total = lines.reduce((a, l) => a + l.original, 0n);
  const seller = parseMoney(input.seller_discount ?? '0', shop.currency, 'seller_discount');
  const platform = parseMoney(input.platform_discount ?? '0', shop.currency, 'platform_discount');
  if (seller.minor + platform.minor > total || seller.minor < 0n || platform.minor < 0n) {
    throw invalidParam('discounts must be >= 0 and not exceed the order subtotal');
  }
  const s = allocateMoney(seller, weights);
  const p = allocateMoney(platform, weights);
  lines.forEach((l, i) => {
    l.sellerDiscount = s[i]!.minor;
    l.platformDiscount = p[i]!.minor;
  });
}

export function orderEvent(order: Order): Record<string, unknown> {
  return {
    order_id: order.id,
    order_status: order.status,
    is_on_hold_order: order.status === 'ON_HOLD',
    update_time: order.updateTime,
  };
}

export function setStatus(ctx: Ctx, order: Order, status: OrderStatus): void {
  if (order.status === status) return;
  order.status = status;
  order.updateTime = ctx.sim.nowSeconds();
  ctx.emit(order.shopId, 1, orderEvent(order));
}

function releaseHold(ctx: Ctx, order: Order): void {
  if (order.status !== 'ON_HOLD') return;
  setStatus(ctx, order, 'AWAITING_SHIPMENT');
  // Platform logistics: the package exists before shipping (reference §6.3).
  if (order.shippingType === 'TIKTOK')
    createPackage(
      ctx,
      order,
      activeLines(order).map((l) => l.id),
    );
}

export type AddressChange = Partial<Buyer['address']> & { name?: string | undefined };

/** Statuses in which the buyer may still change where the parcel goes (nothing has shipped). */
const ADDRESS_CHANGEABLE = new Set<OrderStatus>(['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT']);

/**
 * The buyer changes the recipient address before shipment: has_updated_recipient_address becomes
 * true, update_time moves, and RECIPIENT_ADDRESS_UPDATE (type 3, data order_id + update_time,
 * reference §9.2-9.3) is pushed. The status does not change, so no type 1 push.
 */
export function updateRecipientAddress(ctx: Ctx, order: Order, change: AddressChange): void {
  const shipped = order.packageIds.some((id) => ctx.state.packages.get(id)?.shipped);
  if (!ADDRESS_CHANGEABLE.has(order.status) || shipped)
    throw invalidState(
      ctx,
      `order ${order.id} is ${order.status}: the address can change only before shipment`,
    );
  const { name, ...address } = change;
  const defined = Object.fromEntries(Object.entries(address).filter(([, v]) => v !== undefined));
  order.buyer = {
    ...order.buyer,
    ...(name ? { name } : {}),
    address: { ...order.buyer.address, ...defined },
  };
  order.addressUpdated = true;
  order.updateTime = ctx.sim.nowSeconds();
  ctx.emit(order.shopId, 3, { order_id: order.id, update_time: order.updateTime });
}

export function activeLines(order: Order): OrderLine[] {
  return order.lines.filter((l) => !l.cancelled);
}

export function createPackage(ctx: Ctx, order: Order, lineIds: string[]): Package {
  const now = ctx.sim.nowSeconds();
  const pkg: Package = {
    id: ctx.ids.next(ID_PREFIX.package),
    shopId: order.shopId,
    orderId: order.id,
    lineIds,
    status: 'PROCESSING',
    shipped: false,
    createTime: now,
    updateTime: now,
    trackingNumber: '',
    providerId: '',
    handoverMethod: '',
    deliveryOptionId: order.deliveryOptionId,
    pickupSlot: undefined,
  };
  ctx.state.packages.add(pkg);
  order.packageIds.push(pkg.id);
  for (const id of lineIds) {
    const line = order.lines.find((l) => l.id === id);
    if (line) line.packageId = pkg.id;
  }
  return pkg;
}

export function getOrder(ctx: Ctx, shop: Shop, orderId: string): Order {
  const order = ctx.state.orders.get(orderId);
  if (!order || order.shopId !== shop.id) throw notFound(ctx, 'order', orderId);
  return order;
}
