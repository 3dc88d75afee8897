/**
 * TikTok's per-product refusals as error records that say what to fix: the TikTok field (from
 * the parameter error), the NetSuite field or setting it is mapped from, and the next step.
 */
import { AppError, isAppError } from '../../shared/errors.ts';
import type { CatalogContext } from './deps.ts';

export interface RejectContext {
  shopId: string;
  itemId: string;
  sku: string;
  action: 'create' | 'edit' | 'price';
}

const SETTING_OF: Record<string, string> = {
  categoryId: 'catalog.category (table or default)',
  brandId: 'catalog.brand (table or default)',
  attributes: 'catalog.attributes',
  'sku.price': 'catalog.shops.<shop>.priceLevel',
};

/** Re-throws a TikTok parameter refusal as catalog_product_rejected; anything else unchanged. */
export function asRejection(err: unknown, c: CatalogContext, r: RejectContext): unknown {
  if (!isAppError(err) || err.code !== 'tiktok_invalid_param') return err;
  const tiktokField = typeof err.details['param'] === 'string' ? err.details['param'] : undefined;
  const origin = tiktokField ? c.mapping.sourcesOf(tiktokField) : undefined;
  const nsFields = (origin?.sources ?? []).map((s) => s.replace(/^item\.(custom\.)?/, ''));
  const setting = origin ? SETTING_OF[origin.draftField] : undefined;
  const from = [
    nsFields.length ? `NetSuite item field ${nsFields.join(' / ')}` : undefined,
    setting ? `the setting ${setting}` : undefined,
  ].filter(Boolean);
  const fix = from.length
    ? `fix ${from.join(' or ')} for item ${r.itemId} (${r.sku}), then retry this error`
    : `fix the item ${r.itemId} (${r.sku}) in NetSuite or the catalog: mapping, then retry this error`;
  const field = tiktokField ?? 'a product field';
  return new AppError(
    'catalog_product_rejected',
    `TikTok refused ${field} on product ${r.action} for shop ${r.shopId}: ${err.message}; ${fix}`,
    {
      cause: err,
      details: {
        ...err.details,
        tiktokField: tiktokField ?? null,
        netsuiteFields: nsFields,
        setting: setting ?? null,
        itemId: r.itemId,
        sellerSku: r.sku,
        shopId: r.shopId,
      },
    },
  );
}
