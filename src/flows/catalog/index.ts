/** The catalog flows (NetSuite items -> TikTok products and prices), built from their services. */
import type { AnyFlow } from '../engine/define.ts';
import { type CatalogServices, catalogContext } from './deps.ts';
import { catalogPricesFlow } from './price.ts';
import { catalogProductsFlow } from './product.ts';

export { type CatalogServices, catalogXref } from './deps.ts';
export { CatalogSyncParams } from './discover.ts';
export { CATALOG_PRICES_FLOW } from './price.ts';
export { CATALOG_PRODUCTS_FLOW } from './product.ts';

export function catalogFlows(services: CatalogServices): AnyFlow[] {
  const c = catalogContext(services);
  return [catalogProductsFlow(c) as AnyFlow, catalogPricesFlow(c) as AnyFlow];
}
