/**
 * The `catalog:` block of tiksuite.yaml (docs/catalog.md): which NetSuite items become TikTok
 * products, per shop the currency and price level, the category/brand/attribute tables and the
 * field mapping. Parsed once at load; `compileProductMapping` (src/mappings/product.ts) then checks
 * every source path against the item scope, so a typo fails at start-up.
 */
import { z } from 'zod';

/** A source expression of the field mapping: a dotted path, a `{path}` template or a constant. */
export const SourceExpr = z.union([
  z.object({ path: z.string().min(1) }).strict(),
  z.object({ template: z.string() }).strict(),
  z.object({ const: z.string() }).strict(),
]);
export type SourceExpr = z.infer<typeof SourceExpr>;

/** A value table: NetSuite value (text of the source field) -> TikTok id. */
const LookupTable = z
  .object({
    /** Where the NetSuite value is read, e.g. `item.custom.custitem_tiktok_category` or `item.class`. */
    source: z.string().min(1),
    table: z.record(z.string(), z.string().min(1)).default({}),
    /** Used when the value is missing or not in the table; without it that is an error record. */
    default: z.string().min(1).optional(),
  })
  .strict();
export type LookupTable = z.infer<typeof LookupTable>;

export const CatalogShopSettings = z
  .object({
    /** The shop's currency (USD for US shops, GBP for GB ...); TikTok refuses any other. */
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO currency code like USD'),
    /** NetSuite price level (internal id) whose price in `currency` is the TikTok price; "1" is Base Price. */
    priceLevel: z.string().min(1).default('1'),
    /**
     * The pricing-sublist currency: a NetSuite currency internal id or name. Default: the id
     * `mappings.currency.ids` gives the shop currency, else the shop currency matched by name.
     */
    priceCurrency: z.string().min(1).optional(),
    /** Only items of this subsidiary (internal id) are listed in the shop; unset = every item. */
    subsidiary: z.string().min(1).optional(),
    /** Warehouse of the initial (zero) inventory a create needs; unset = the shop's default. */
    warehouseId: z.string().min(1).optional(),
  })
  .strict();
export type CatalogShopSettings = z.infer<typeof CatalogShopSettings>;

export const CatalogSettings = z
  .object({
    enabled: z.boolean().default(false),
    /** Minutes between polls of item.lastmodifieddate: a divisor of 60, or whole hours up to 24. */
    pollIntervalMinutes: z
      .number()
      .int()
      .min(1)
      .max(1440)
      .refine((m) => (m < 60 ? 60 % m === 0 : m % 60 === 0 && 24 % (m / 60) === 0), {
        message: 'a divisor of 60 (1, 2, 5, 10, 15, 30) or whole hours dividing 24 (60, 120, 180 ...)',
      })
      .default(5),
    /** NetSuite item types (SuiteQL itemtype) that are synced. */
    itemTypes: z
      .array(z.enum(['InvtPart', 'NonInvtPart', 'Kit']))
      .min(1)
      .default(['InvtPart']),
    /** Shop id -> its catalog settings; only shops listed here get products. */
    shops: z.record(z.string(), CatalogShopSettings).default({}),
    category: LookupTable.optional(),
    brand: LookupTable.optional(),
    /** TikTok product attributes: attribute id -> where its value comes from (a table maps to value ids). */
    attributes: z
      .record(
        z.string(),
        z
          .object({
            source: z.string().min(1),
            table: z.record(z.string(), z.string().min(1)).optional(),
          })
          .strict(),
      )
      .default({}),
    /** Overrides of the default field mapping (docs/catalog.md lists the fields and their defaults). */
    fields: z
      .object({
        title: SourceExpr.optional(),
        description: SourceExpr.optional(),
        sellerSku: SourceExpr.optional(),
        /** Image URIs (TikTok upload URIs), comma or newline separated. */
        images: SourceExpr.optional(),
        weight: SourceExpr.optional(),
        weightUnit: SourceExpr.optional(),
        length: SourceExpr.optional(),
        width: SourceExpr.optional(),
        height: SourceExpr.optional(),
      })
      .strict()
      .prefault({}),
    /** Unit of length/width/height. */
    dimensionUnit: z.enum(['CENTIMETER', 'INCH']).default('INCH'),
    /** Weight unit when the item has none. */
    defaultWeightUnit: z.enum(['lb', 'oz', 'kg', 'g']).default('lb'),
  })
  .strict();
export type CatalogSettings = z.infer<typeof CatalogSettings>;
export type CatalogSettingsInput = z.input<typeof CatalogSettings>;
