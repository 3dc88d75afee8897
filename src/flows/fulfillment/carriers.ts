/**
 * NetSuite ship method -> TikTok shipping provider: through `fulfillment.carriers`, else the provider
 * of the same name, checked against the providers TikTok offers for the order's delivery option
 * (reference section 6.4; read once per delivery option and cached for a few minutes).
 */

import type { FulfillmentSettings } from '../../config/fulfillment-settings.ts';
import type { NsRef } from '../../connectors/netsuite/index.ts';
import type { Order, TikTokShopApi } from '../../connectors/tiktok-shop/index.ts';
import { AppError } from '../../shared/errors.ts';

export interface Provider {
  id: string;
  name: string;
}

const TTL_MS = 10 * 60_000;

export class CarrierResolver {
  readonly #settings: FulfillmentSettings;
  readonly #cache = new Map<string, { at: number; providers: Promise<Provider[]> }>();

  constructor(settings: FulfillmentSettings) {
    this.#settings = settings;
  }

  /** The providers TikTok offers for this order (its delivery option, else its warehouse's options). */
  async offered(api: TikTokShopApi, order: Order): Promise<Provider[]> {
    const option = typeof order['delivery_option_id'] === 'string' ? order['delivery_option_id'] : '';
    const key = `${api.ref.id}:${option || `wh:${order.warehouse_id ?? ''}`}`;
    const hit = this.#cache.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.providers;
    const providers = (async () => {
      const options = option
        ? [option]
        : order.warehouse_id
          ? (await api.logistics.deliveryOptions(order.warehouse_id)).map((o) => o.id)
          : [];
      const seen = new Map<string, Provider>();
      for (const o of options)
        for (const p of await api.logistics.shippingProviders(o)) seen.set(p.id, { id: p.id, name: p.name });
      return [...seen.values()];
    })();
    this.#cache.set(key, { at: Date.now(), providers });
    providers.catch(() => this.#cache.delete(key));
    return providers;
  }

  /** The provider for a fulfillment shipped with `shipMethod` (an error record names the fix). */
  async resolve(
    api: TikTokShopApi,
    order: Order,
    shipMethod: NsRef | undefined,
    fulfillmentId: string,
  ): Promise<Provider> {
    const carriers = this.#settings.carriers;
    const method = shipMethod?.refName ?? shipMethod?.id;
    const mapped = shipMethod
      ? (carriers[shipMethod.refName ?? ''] ?? carriers[shipMethod.id])
      : this.#settings.defaultCarrier;
    const offered = await this.offered(api, order);
    const names = offered.map((p) => p.name).join(', ') || 'none';
    if (!shipMethod && !mapped) {
      throw new AppError(
        'fulfillment_carrier_unmapped',
        `NetSuite item fulfillment ${fulfillmentId} has no ship method: set one in NetSuite, or set fulfillment.defaultCarrier in tiksuite.yaml (TikTok offers for order ${order.id}: ${names}), then retry`,
        { details: { fulfillmentId, orderId: order.id, offered: names } },
      );
    }
    const wanted = (mapped ?? method ?? '').trim();
    const found = offered.find((p) => p.id === wanted || p.name.toLowerCase() === wanted.toLowerCase());
    if (found) return found;
    if (mapped) {
      throw new AppError(
        'fulfillment_carrier_not_offered',
        `TikTok does not offer shipping provider "${mapped}" (mapped from ship method "${method ?? 'none'}") for order ${order.id}; it offers ${names}: map the ship method to one of them under fulfillment.carriers in tiksuite.yaml, then retry`,
        {
          details: { fulfillmentId, orderId: order.id, shipMethod: method, provider: mapped, offered: names },
        },
      );
    }
    throw new AppError(
      'fulfillment_carrier_unmapped',
      `NetSuite ship method "${method}" on item fulfillment ${fulfillmentId} has no TikTok shipping provider: add it under fulfillment.carriers in tiksuite.yaml ("${method}": one of ${names}), then retry`,
      { details: { fulfillmentId, orderId: order.id, shipMethod: method, offered: names } },
    );
  }
}
