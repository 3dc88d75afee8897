/** Warehouses, delivery options, shipping providers (reference §6.4). */
import { PATHS } from '../manifest.ts';
import type { ShopRef, Transport } from '../transport.ts';
import {
  type DeliveryOption,
  DeliveryOptionsData,
  type ShippingProvider,
  ShippingProvidersData,
  type Warehouse,
  WarehousesData,
} from '../wire/products.ts';

export function logisticsApi(t: Transport, shop: ShopRef) {
  return {
    async warehouses(): Promise<Warehouse[]> {
      return (await t.call(shop, { method: 'GET', path: PATHS.warehouses }, WarehousesData)).warehouses;
    },
    async deliveryOptions(warehouseId: string): Promise<DeliveryOption[]> {
      const data = await t.call(
        shop,
        { method: 'GET', path: PATHS.deliveryOptions(warehouseId) },
        DeliveryOptionsData,
      );
      return data.delivery_options;
    },
    async shippingProviders(deliveryOptionId: string): Promise<ShippingProvider[]> {
      const data = await t.call(
        shop,
        { method: 'GET', path: PATHS.shippingProviders(deliveryOptionId) },
        ShippingProvidersData,
      );
      return data.shipping_providers;
    },
  };
}
export type LogisticsApi = ReturnType<typeof logisticsApi>;
