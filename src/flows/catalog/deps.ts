/**
 * What the catalog flows need from the composition root: the two clients, the shops and the
 * `catalog:` settings, with the product mapping compiled once (a bad block fails at start).
 */
import type { CatalogSettings, CatalogShopSettings } from '../../config/catalog-settings.ts';
import type { NetSuiteClient } from '../../connectors/netsuite/index.ts';
import { compileProductMapping, type ProductMapping } from '../../mappings/product.ts';
import { AppError } from '../../shared/errors.ts';
import type { XrefKey } from '../../store/xref.ts';
import type { ShopDirectory } from '../orders/deps.ts';

export interface CatalogServices {
  netsuite: NetSuiteClient;
  shops: ShopDirectory;
  settings: CatalogSettings;
  /** ISO code -> NetSuite currency internal id (`mappings.currency.ids`): picks the pricing-sublist currency. */
  currencyIds?: Readonly<Record<string, string>>;
}

export interface CatalogContext extends CatalogServices {
  mapping: ProductMapping;
}

export function catalogContext(services: CatalogServices): CatalogContext {
  return { ...services, mapping: compileProductMapping(services.settings) };
}

/** The shop's catalog settings; a shop outside `catalog.shops` gets no products. */
export function shopSettings(settings: CatalogSettings, shopId: string): CatalogShopSettings {
  const s = settings.shops[shopId];
  if (!s) {
    throw new AppError(
      'validation_failed',
      `shop ${shopId} is not in catalog.shops of tiksuite.yaml; add it (currency, priceLevel) to list items there`,
      { details: { shopId } },
    );
  }
  return s;
}

/**
 * Cross-reference of a NetSuite item to its TikTok product or SKU in one shop. The shop is part
 * of the target system: an item has one product per shop, each in its own id space.
 */
export function catalogXref(itemId: string, shopId: string, targetType: 'product' | 'sku'): XrefKey {
  return {
    sourceSystem: 'netsuite',
    sourceType: 'item',
    sourceId: itemId,
    targetSystem: `tiktok:${shopId}`,
    targetType,
  };
}

/** SuiteQL item type -> Record API type (reference sections 7.3 and 8.2). */
export const RECORD_TYPE_OF = {
  InvtPart: 'inventoryItem',
  NonInvtPart: 'nonInventorySaleItem',
  Kit: 'kitItem',
} as const;
export type SyncedItemType = keyof typeof RECORD_TYPE_OF;
