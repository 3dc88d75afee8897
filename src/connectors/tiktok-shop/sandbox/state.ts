/** Entity maps and secondary indexes; nothing here scans all orders. */
import type {
  Adjustment,
  Authorization,
  Cancellation,
  DeliveryOption,
  Order,
  OrderLine,
  Package,
  Payment,
  Product,
  ReserveHold,
  Return,
  Shop,
  Sku,
  Statement,
} from './model.ts';

/** A Map plus a per-shop list in creation order. */
export class ShopIndexed<T extends { id: string; shopId: string }> {
  readonly byId = new Map<string, T>();
  readonly #byShop = new Map<string, T[]>();

  add(item: T): T {
    this.byId.set(item.id, item);
    let list = this.#byShop.get(item.shopId);
    if (!list) {
      list = [];
      this.#byShop.set(item.shopId, list);
    }
    list.push(item);
    return item;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** The shop's items in creation order (do not mutate). */
  ofShop(shopId: string): readonly T[] {
    return this.#byShop.get(shopId) ?? [];
  }

  get size(): number {
    return this.byId.size;
  }
}

/** What the next daily statement of a shop settles. */
export interface PendingSettlement {
  orders: Order[];
  adjustments: Adjustment[];
  /** Refunds that completed after their order settled: the order and the refunded lines. */
  refunds: Array<{ order: Order; lineIds: string[] }>;
}

export class SandboxState {
  readonly shops = new Map<string, Shop>();
  readonly shopByCipher = new Map<string, Shop>();
  readonly authByAccessToken = new Map<string, Authorization>();
  readonly authByRefreshToken = new Map<string, Authorization>();
  readonly authByCode = new Map<string, Authorization>();
  readonly products = new ShopIndexed<Product>();
  readonly skus = new Map<string, Sku>();
  /** `${shopId}\u0000${seller_sku}` -> SKU. */
  readonly skuBySellerSku = new Map<string, Sku>();
  readonly orders = new ShopIndexed<Order>();
  readonly lineOrder = new Map<string, { order: Order; line: OrderLine }>();
  readonly packages = new ShopIndexed<Package>();
  readonly returns = new ShopIndexed<Return>();
  readonly cancellations = new ShopIndexed<Cancellation>();
  readonly statements = new ShopIndexed<Statement>();
  readonly payments = new ShopIndexed<Payment>();
  /** Completed orders, adjustments and late refunds waiting for the next daily statement, per shop. */
  readonly unsettled = new Map<string, PendingSettlement>();
  /** Statements no payment pays yet, per shop (their balance is below the minimum payout). */
  readonly unpaid = new Map<string, Statement[]>();
  /** Reserves withheld and not yet released, per shop. */
  readonly reserveHolds = new Map<string, ReserveHold[]>();
  /** Order id -> the statements it appears in (sale first, then late refunds). */
  readonly orderStatements = new Map<string, string[]>();
  /** Shipping providers (id -> name) and the delivery options offering them (§6.4). */
  readonly providers = new Map<string, string>();
  readonly deliveryOptions = new Map<string, DeliveryOption>();
  /** `${path}\u0000${idempotency_key}` -> the data answered the first time (reference §10.3). */
  readonly idempotent = new Map<string, unknown>();
  /** Counter behind request_id, so ids are deterministic per sandbox. */
  requestSeq = 0;
  /**
   * Bumped before anything may change state (a write request, an admin change, a timer). Rendered
   * orders are cached per revision, so read-heavy load does not re-render unchanged orders.
   */
  rev = 0;
  readonly renderCache = new Map<string, { rev: number; value: Record<string, unknown> }>();

  skuKey(shopId: string, sellerSku: string): string {
    return `${shopId}\u0000${sellerSku}`;
  }

  pendingSettlement(shopId: string): PendingSettlement {
    let p = this.unsettled.get(shopId);
    if (!p) {
      p = { orders: [], adjustments: [], refunds: [] };
      this.unsettled.set(shopId, p);
    }
    return p;
  }

  /** The per-shop list of `map`, created empty on first use. */
  listOf<T>(map: Map<string, T[]>, key: string): T[] {
    let list = map.get(key);
    if (!list) {
      list = [];
      map.set(key, list);
    }
    return list;
  }

  counts(): Record<string, number> {
    return {
      shops: this.shops.size,
      products: this.products.size,
      skus: this.skus.size,
      orders: this.orders.size,
      packages: this.packages.size,
      returns: this.returns.size,
      cancellations: this.cancellations.size,
      statements: this.statements.size,
      payments: this.payments.size,
    };
  }
}
