/**
 * What the order flows need from the composition root: the two clients, the shops to serve and
 * the order settings. Built once in main/runtime.ts from the config; flows never read config files.
 */
import type { OrdersConfig, ShopConfig } from '../../config/schema.ts';
import type { NetSuiteClient } from '../../connectors/netsuite/index.ts';
import type { TikTokShopApi, TikTokShopClient } from '../../connectors/tiktok-shop/index.ts';
import { AppError } from '../../shared/errors.ts';

export interface OrderServices {
  tiktok: TikTokShopClient;
  netsuite: NetSuiteClient;
  shops: ShopDirectory;
  settings: OrdersConfig;
  /** The TikTok app's credentials: webhook pushes are signed with them. */
  app: { appKey: string; appSecret: string };
}

/** The configured shops, with ciphers filled in from the app's authorized shops when omitted. */
export class ShopDirectory {
  readonly #tiktok: TikTokShopClient;
  readonly #shops: ShopConfig[];
  readonly #ciphers = new Map<string, string>();

  constructor(tiktok: TikTokShopClient, shops: readonly ShopConfig[]) {
    this.#tiktok = tiktok;
    this.#shops = [...shops];
    for (const s of shops) if (s.cipher) this.#ciphers.set(s.id, s.cipher);
  }

  ids(): string[] {
    return this.#shops.map((s) => s.id);
  }

  has(shopId: string): boolean {
    return this.#shops.some((s) => s.id === shopId);
  }

  /** The shop's API; the cipher is looked up once (GET /authorization/202309/shops) when not configured. */
  async api(shopId: string): Promise<TikTokShopApi> {
    if (!this.has(shopId)) {
      throw new AppError(
        'validation_failed',
        `TikTok shop ${shopId} is not in the shops: list of tiksuite.yaml; add it (id and cipher) to sync its orders`,
        { details: { shopId } },
      );
    }
    let cipher = this.#ciphers.get(shopId);
    if (!cipher) {
      const found = (await this.#tiktok.authorizedShops(shopId)).find((s) => s.id === shopId);
      if (!found) {
        throw new AppError(
          'tiktok_shop_not_authorized',
          `shop ${shopId} is not among the shops the stored tokens authorize; re-authorize the app for it`,
          { details: { shopId } },
        );
      }
      cipher = found.cipher;
      this.#ciphers.set(shopId, cipher);
    }
    return this.#tiktok.shop({ id: shopId, cipher });
  }
}
