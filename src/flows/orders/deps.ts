/**
 * What the order flows need from the composition root: the two clients, the shops to serve and
 * the order settings. Built once in main/runtime.ts from the config; flows never read config files.
 */
import type { OrdersConfig, ShopConfig } from '../../config/schema.ts';
import type { NetSuiteClient } from '../../connectors/netsuite/index.ts';
import type { Order, TikTokShopApi, TikTokShopClient } from '../../connectors/tiktok-shop/index.ts';
import type { OrderMappingSettings } from '../../mappings/index.ts';
import { AppError } from '../../shared/errors.ts';

export interface OrderServices {
  tiktok: TikTokShopClient;
  netsuite: NetSuiteClient;
  shops: ShopDirectory;
  settings: OrdersConfig;
  /** The `mappings:` settings (docs/mapping.md), compiled once by the flow. */
  mappings: OrderMappingSettings;
  /** The TikTok app's credentials: webhook pushes are signed with them. */
  app: { appKey: string; appSecret: string };
  /** Stock reservations (the inventory flow), when `inventory:` is enabled. */
  stock?: OrderStockHooks;
  /**
   * TikTok's own shipments of FBT orders into NetSuite (the fulfillment flow), when `fulfillment:` is
   * enabled: the import's second step, after the sales order is written.
   */
  shipments?: OrderShipmentHook;
}

export type OrderShipmentHook = (
  input: { shopId: string; order: Order; salesOrderId: string | null },
  ctx: import('../engine/define.ts').StepContext,
) => Promise<unknown>;

/** What the order flows tell the stock side: orders seen in full, sales orders written. */
export interface OrderStockHooks {
  seen(shopId: string, orders: readonly Order[]): Promise<void>;
  imported(shopId: string, orderId: string): Promise<void>;
}

/** The configured shops, with ciphers filled in from the app's authorized shops when omitted. */
export class ShopDirectory {
  readonly #tiktok: TikTokShopClient;
  readonly #shops: ShopConfig[];
  readonly #known = new Map<string, { cipher: string; region: string }>();

  constructor(tiktok: TikTokShopClient, shops: readonly ShopConfig[]) {
    this.#tiktok = tiktok;
    this.#shops = [...shops];
    for (const s of shops)
      if (s.cipher && s.region) this.#known.set(s.id, { cipher: s.cipher, region: s.region });
  }

  ids(): string[] {
    return this.#shops.map((s) => s.id);
  }

  has(shopId: string): boolean {
    return this.#shops.some((s) => s.id === shopId);
  }

  /** The shop's API; the cipher is looked up once (GET /authorization/202309/shops) when not configured. */
  async api(shopId: string): Promise<TikTokShopApi> {
    const { cipher } = await this.#resolve(shopId);
    return this.#tiktok.shop({ id: shopId, cipher });
  }

  /** The shop's access token now: lets a read-then-write pair skip the token store in between. */
  accessToken(shopId: string): Promise<string> {
    return this.#tiktok.accessToken(shopId);
  }

  /** The shop's market (US, GB ...), as configured or as TikTok reports it. */
  async region(shopId: string): Promise<string> {
    return (await this.#resolve(shopId)).region;
  }

  async #resolve(shopId: string): Promise<{ cipher: string; region: string }> {
    const known = this.#known.get(shopId);
    if (known) return known;
    const conf = this.#shops.find((s) => s.id === shopId);
    if (!conf) {
      throw new AppError(
        'validation_failed',
        `TikTok shop ${shopId} is not in the shops: list of tiksuite.yaml; add it (id and cipher) to sync its orders`,
        { details: { shopId } },
      );
    }
    const found = (await this.#tiktok.authorizedShops(shopId)).find((s) => s.id === shopId);
    if (!found) {
      throw new AppError(
        'tiktok_shop_not_authorized',
        `shop ${shopId} is not among the shops the stored tokens authorize; re-authorize the app for it`,
        { details: { shopId } },
      );
    }
    const resolved = { cipher: conf.cipher ?? found.cipher, region: conf.region ?? found.region };
    this.#known.set(shopId, resolved);
    return resolved;
  }
}
