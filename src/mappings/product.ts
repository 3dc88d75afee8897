/**
 * NetSuite item -> TikTok Shop product (docs/catalog.md). `itemScope` normalises the item as read
 * from the Record API (pricing sublist, custom fields); the spec (data, built from the `catalog:`
 * settings) maps it to a ProductDraft; `productInput` renders the draft as TikTok's create/edit
 * body. `sourcesOf` says which NetSuite fields fed a TikTok field, so a refusal can name them.
 */
import { z } from 'zod';
import type { CatalogSettings, SourceExpr } from '../config/catalog-settings.ts';
import type { RecordOf } from '../connectors/netsuite/index.ts';
import type { ProductInput } from '../connectors/tiktok-shop/index.ts';
import { Money } from '../domain/money.ts';
import {
  compileSpec,
  createRegistry,
  type Expr,
  type MappingContext,
  type MappingSpec,
  templatePaths,
} from '../mapping/index.ts';
import { type ItemPrice, PRODUCT_TRANSFORMS } from './product-transforms.ts';

export type NsItem = RecordOf<'inventoryItem'>;

const Ref = z.object({ id: z.string(), refName: z.string().optional() }).optional();

export const ItemScope = z.object({
  item: z.object({
    id: z.string(),
    itemId: z.string(),
    displayName: z.string().optional(),
    description: z.string().optional(),
    salesDescription: z.string().optional(),
    upcCode: z.string().optional(),
    isInactive: z.boolean(),
    weight: z.string().optional(),
    weightUnit: z.string().optional(),
    class: Ref,
    department: Ref,
    prices: z.array(z.custom<ItemPrice>()),
    /** Every custom field (`custitem...`) as NetSuite returned it. */
    custom: z.record(z.string(), z.unknown()),
  }),
  shop: z.object({
    id: z.string(),
    region: z.string(),
    currency: z.string(),
    priceLevel: z.string(),
    priceCurrency: z.string(),
  }),
});
export type ItemScope = z.infer<typeof ItemScope>;

export const ProductDraft = z.object({
  title: z.string().default(''),
  description: z.string().default(''),
  categoryId: z.string().default(''),
  brandId: z.string().optional(),
  images: z.array(z.string()).default([]),
  weight: z.object({ value: z.string(), unit: z.enum(['KILOGRAM', 'POUND']) }),
  dimensions: z
    .object({
      length: z.string(),
      width: z.string(),
      height: z.string(),
      unit: z.enum(['CENTIMETER', 'INCH']),
    })
    .optional(),
  attributes: z
    .array(
      z.object({
        id: z.string(),
        values: z.array(z.object({ id: z.string().optional(), name: z.string().optional() })),
      }),
    )
    .default([]),
  sku: z.object({ sellerSku: z.string().min(1), price: Money }),
});
export type ProductDraft = z.infer<typeof ProductDraft>;

type Refish = { id: string; refName?: string } | undefined;
const refOf = (v: unknown): Refish =>
  v && typeof v === 'object' && 'id' in v
    ? { id: String(v.id), ...('refName' in v ? { refName: String(v.refName) } : {}) }
    : undefined;

/** The item as the spec reads it. */
export function itemScope(item: NsItem, shop: ItemScope['shop']): ItemScope {
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (k.startsWith('cust')) custom[k] = v;
  const prices: ItemPrice[] = (item.price?.items ?? []).map((p) => ({
    priceLevel: p.priceLevel?.id ?? '',
    priceLevelName: p.priceLevelName ?? p.priceLevel?.refName,
    currencyId: p.currencyPage?.id,
    currencyName: p.currencyPage?.refName,
    price: p.price,
    quantity: p.priceQty,
  }));
  const unit = item.weightUnit;
  return {
    item: {
      id: item.id,
      itemId: item.itemId,
      displayName: item.displayName,
      description: item.description,
      salesDescription: item.salesDescription,
      upcCode: item.upcCode,
      isInactive: item.isInactive === true,
      weight: item.weight,
      weightUnit: typeof unit === 'string' ? unit : (unit?.refName ?? unit?.id),
      class: refOf(item['class']),
      department: refOf(item['department']),
      prices,
      custom,
    },
    shop,
  };
}

const path = (p: string): Expr => ({ path: p });
const orDefault = (e: SourceExpr | undefined, d: Expr): Expr => e ?? d;

/** The spec for these settings: defaults, overridden field by field by `catalog.fields`. */
export function productSpec(s: CatalogSettings): MappingSpec {
  const f = s.fields;
  const table = (setting: string, t: NonNullable<CatalogSettings['category']>, optional: boolean): Expr => ({
    fn: 'catalogTable',
    args: [path(t.source)],
    opts: { setting, table: t.table, ...(t.default ? { default: t.default } : {}), optional },
  });
  const attrs = Object.entries(s.attributes);
  return {
    id: 'netsuite-item-to-tiktok-product',
    version: 1,
    fields: {
      title: orDefault(f.title, { fn: 'coalesce', args: [path('item.displayName'), path('item.itemId')] }),
      description: {
        fn: 'html',
        args: [
          orDefault(f.description, {
            fn: 'coalesce',
            args: [path('item.salesDescription'), path('item.description')],
          }),
        ],
      },
      ...(s.category ? { categoryId: table('catalog.category', s.category, false) } : {}),
      ...(s.brand ? { brandId: table('catalog.brand', s.brand, true) } : {}),
      images: { fn: 'splitList', args: [orDefault(f.images, path('item.custom.custitem_tiktok_images'))] },
      weight: {
        fn: 'packageWeight',
        args: [orDefault(f.weight, path('item.weight')), orDefault(f.weightUnit, path('item.weightUnit'))],
        opts: { defaultUnit: s.defaultWeightUnit },
      },
      dimensions: {
        fn: 'packageDimensions',
        args: [
          orDefault(f.length, path('item.custom.custitem_tiktok_length')),
          orDefault(f.width, path('item.custom.custitem_tiktok_width')),
          orDefault(f.height, path('item.custom.custitem_tiktok_height')),
        ],
        opts: { unit: s.dimensionUnit },
      },
      attributes: {
        fn: 'productAttributes',
        args: attrs.map(([, a]) => path(a.source)),
        opts: { ids: attrs.map(([id]) => id), tables: attrs.map(([, a]) => a.table ?? null) },
      },
      'sku.sellerSku': orDefault(f.sellerSku, path('item.itemId')),
      'sku.price': {
        fn: 'shopPrice',
        args: [
          path('item.prices'),
          path('shop.priceLevel'),
          path('shop.priceCurrency'),
          path('shop.currency'),
        ],
      },
    },
  };
}

/** Source paths an expression reads. */
function pathsOf(e: Expr): string[] {
  if ('path' in e) return [e.path];
  if ('template' in e) return templatePaths(e.template);
  if ('fn' in e) return (e.args ?? []).flatMap(pathsOf);
  return [];
}

/** TikTok body field -> the draft field it is rendered from. */
const WIRE_TO_DRAFT: ReadonlyArray<[RegExp, string]> = [
  [/^title/, 'title'],
  [/^description/, 'description'],
  [/^category_id/, 'categoryId'],
  [/^brand_id/, 'brandId'],
  [/^main_images/, 'images'],
  [/^package_weight/, 'weight'],
  [/^package_dimensions/, 'dimensions'],
  [/^product_attributes/, 'attributes'],
  [/^skus\.\d+\.price/, 'sku.price'],
  [/^skus\.\d+\.seller_sku/, 'sku.sellerSku'],
];

export interface ProductMapping {
  readonly spec: MappingSpec;
  map(scope: ItemScope): ProductDraft;
  /** Only the SKU and its price (the price flow): other fields' problems do not block a price. */
  price(scope: ItemScope): ProductDraft['sku'];
  /** The draft field and the NetSuite sources behind a TikTok body path (e.g. "package_weight.value"). */
  sourcesOf(wirePath: string): { draftField: string; sources: string[] } | undefined;
}

export function compileProductMapping(settings: CatalogSettings): ProductMapping {
  const spec = productSpec(settings);
  const compiled = compileSpec(spec, {
    source: ItemScope,
    target: ProductDraft,
    registry: createRegistry<MappingContext>(PRODUCT_TRANSFORMS),
  });
  const skuFields = ['sku.sellerSku', 'sku.price'] as const;
  const priceOnly = compileSpec(
    {
      ...spec,
      id: `${spec.id}-price`,
      fields: Object.fromEntries(skuFields.map((f) => [f, spec.fields[f]!])),
    },
    {
      source: ItemScope,
      target: z.object({ sku: ProductDraft.shape.sku }),
      registry: createRegistry<MappingContext>(PRODUCT_TRANSFORMS),
    },
  );
  return {
    spec,
    map: (scope) => compiled.run(scope, { lookups: {} }),
    price: (scope) => priceOnly.run(scope, { lookups: {} }).sku,
    sourcesOf(wirePath) {
      const draftField = WIRE_TO_DRAFT.find(([re]) => re.test(wirePath))?.[1];
      if (!draftField) return undefined;
      const expr = spec.fields[draftField];
      const sources = expr ? pathsOf(expr).filter((p) => p.startsWith('item.')) : [];
      return { draftField, sources };
    },
  };
}

/** TikTok's create/edit body (reference §5.2). Inventory is the caller's: an edit replaces it. */
export function productInput(
  draft: ProductDraft,
  item: { id: string },
  inventory: Array<{ warehouse_id?: string; quantity: number }>,
): ProductInput {
  return {
    title: draft.title,
    description: draft.description,
    category_id: draft.categoryId,
    ...(draft.brandId ? { brand_id: draft.brandId } : {}),
    main_images: draft.images.map((uri) => ({ uri })),
    package_weight: draft.weight,
    ...(draft.dimensions ? { package_dimensions: draft.dimensions } : {}),
    ...(draft.attributes.length ? { product_attributes: draft.attributes } : {}),
    external_product_id: item.id,
    skus: [
      {
        seller_sku: draft.sku.sellerSku,
        external_sku_id: item.id,
        price: { amount: draft.sku.price.amount, currency: draft.sku.price.currency },
        inventory,
      },
    ],
    save_mode: 'LISTING',
  };
}
