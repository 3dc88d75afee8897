/**
 * Order mapping settings (read by src/mappings): the `mappings:` block of tiksuite.yaml (docs/mapping.md lists every
 * field with its default). Parsed once at load; `compileOrderMapping` then checks the templates
 * and custom body fields against the domain order so a typo fails at start-up.
 */
import { z } from 'zod';

/** Where the config embeds these settings; error messages name paths below it. */
export const SETTINGS_ROOT = 'mappings';

/** A NetSuite reference: an internal id ("12" or 12) or { externalId }. */
export const NsRefSetting = z.union([
  z.union([z.string().min(1), z.number().int().positive()]).transform((id) => ({ id: String(id) })),
  z.object({ id: z.string().min(1) }).strict(),
  z.object({ externalId: z.string().regex(/^[A-Za-z0-9_-]+$/) }).strict(),
]);
export type NsRefSetting = z.output<typeof NsRefSetting>;

const Decimal = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal amount string like "100.00"');

export const RouteTarget = z
  .object({
    subsidiary: NsRefSetting.optional(),
    location: NsRefSetting.optional(),
    department: NsRefSetting.optional(),
    class: NsRefSetting.optional(),
  })
  .strict();
export type RouteTarget = z.output<typeof RouteTarget>;

export const RoutingRule = z
  .object({
    name: z.string().min(1).optional(),
    /** Every given condition must hold; an empty `when` always matches. */
    when: z
      .object({
        shops: z.array(z.string().min(1)).min(1).optional(),
        regions: z.array(z.string().min(2)).min(1).optional(),
        warehouses: z.array(z.string().min(1)).min(1).optional(),
        /** Glob on seller SKU (`*` any run, `?` one character); matches when any line matches. */
        skuPattern: z.string().min(1).optional(),
        /** Buyer-paid total (payment.total_amount) in the order currency: min inclusive, max exclusive. */
        minTotal: Decimal.optional(),
        maxTotal: Decimal.optional(),
        currencies: z
          .array(z.string().regex(/^[A-Z]{3}$/))
          .min(1)
          .optional(),
      })
      .strict()
      .prefault({}),
    set: RouteTarget,
  })
  .strict();
export type RoutingRule = z.output<typeof RoutingRule>;

const SpecialOrder = (memoPrefix: string) =>
  z
    .object({
      /** Whether the flows import these orders at all. */
      import: z.boolean().default(true),
      /** Discount item (e.g. posting to marketing expense) for the order's seller-funded discount. */
      discountItem: NsRefSetting.optional(),
      memoPrefix: z.string().default(memoPrefix),
    })
    .strict()
    .prefault({});

export const OrderMappingSettings = z
  .object({
    /** Sales order externalId = `<prefix>-<shopId>-<orderId>`. */
    externalIdPrefix: z
      .string()
      .regex(/^[A-Za-z0-9_]+$/)
      .default('tiktok'),
    customer: z
      .object({
        strategy: z.enum(['generic', 'per_buyer']).default('generic'),
        /** generic: the customer of every order, unless byShop / bySubsidiary (internal id) names one. */
        generic: NsRefSetting.optional(),
        byShop: z.record(z.string(), NsRefSetting).default({}),
        bySubsidiary: z.record(z.string(), NsRefSetting).default({}),
        /** per_buyer: match (and upsert) by TikTok buyer user id or by the buyer's relay e-mail. */
        matchBy: z.enum(['buyer_id', 'email']).default('buyer_id'),
        externalIdPrefix: z
          .string()
          .regex(/^[A-Za-z0-9_-]+$/)
          .default('tiktok-buyer'),
      })
      .strict()
      .prefault({}),
    items: z
      .object({
        /** How the flow finds a SKU's item: itemId (Item Name/Number), upc (upcCode) or a custom field. */
        lookup: z
          .discriminatedUnion('kind', [
            z.object({ kind: z.literal('item_id') }).strict(),
            z.object({ kind: z.literal('upc') }).strict(),
            z
              .object({ kind: z.literal('custom_field'), field: z.string().regex(/^custitem[a-z0-9_]+$/) })
              .strict(),
          ])
          .default({ kind: 'item_id' }),
        /** Seller SKU -> NetSuite item internal id; wins over the lookup. */
        overrides: z
          .record(z.string(), z.union([z.string().min(1), z.number().int()]).transform(String))
          .default({}),
      })
      .strict()
      .prefault({}),
    discounts: z
      .object({
        seller: z
          .object({
            /** discount_line: a line on `item` after each discounted line; reduced_rate: lower line amounts. */
            treatment: z.enum(['discount_line', 'reduced_rate']).default('discount_line'),
            item: NsRefSetting.optional(),
          })
          .strict()
          .prefault({}),
        platform: z
          .object({
            /** receivable: one negative line on `item` (posting to a Due-from-TikTok account); reduce_revenue: like seller discounts. */
            treatment: z.enum(['receivable', 'reduce_revenue']).default('receivable'),
            item: NsRefSetting.optional(),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    shipping: z
      .object({
        /** Ship item for shipMethod; shippingCost is always sent with it. */
        method: NsRefSetting.optional(),
        /** When set, shipping is an item line on this item instead of shippingCost. */
        lineItem: NsRefSetting.optional(),
        /** Who funds shipping_fee_cofunded_discount in the books (TikTok reimburses it). */
        cofundedDiscount: z.enum(['platform', 'seller']).default('platform'),
      })
      .strict()
      .prefault({}),
    tax: z
      .object({
        /** exclude: marketplace-facilitator tax stays off the order; pass_through: a line on `item`. */
        treatment: z.enum(['exclude', 'pass_through']).default('exclude'),
        item: NsRefSetting.optional(),
        /** Tax code put on every item line (e.g. a non-taxable code). */
        taxCode: NsRefSetting.optional(),
      })
      .strict()
      .prefault({}),
    currency: z
      .object({
        /** ISO code -> NetSuite currency; when empty, currency is left to the customer's default. */
        ids: z.record(z.string().regex(/^[A-Z]{3}$/), NsRefSetting).default({}),
        /** Subsidiary internal id (or externalId) -> its base currency, to decide on an exchange rate. */
        subsidiaryCurrencies: z.record(z.string(), z.string().regex(/^[A-Z]{3}$/)).default({}),
      })
      .strict()
      .prefault({}),
    routing: z
      .object({
        rules: z.array(RoutingRule).default([]),
        default: RouteTarget.prefault({}),
      })
      .strict()
      .prefault({}),
    body: z
      .object({
        memo: z.string().default('TikTok Shop order {order.id}'),
        otherRefNum: z.string().default('{order.id}'),
        /** tranDate from the paid time (falling back to created) or the created time, in timeZone. */
        tranDate: z.enum(['paid', 'created']).default('paid'),
        timeZone: z.string().default('UTC'),
        /** A = Pending Approval, B = Pending Fulfillment; unset leaves NetSuite's default. */
        orderStatus: z.enum(['A', 'B']).optional(),
        /** custbody field id -> template over the domain order, e.g. "{order.buyer.userId}". */
        customFields: z.record(z.string().regex(/^custbody[a-z0-9_]+$/), z.string()).default({}),
      })
      .strict()
      .prefault({}),
    samples: SpecialOrder('Sample order'),
    replacements: SpecialOrder('Replacement order'),
  })
  .strict();
export type OrderMappingSettings = z.output<typeof OrderMappingSettings>;
export type OrderMappingSettingsInput = z.input<typeof OrderMappingSettings>;

/** The defaults, as `OrderMappingSettings.parse({})`. */
export function defaultOrderSettings(): OrderMappingSettings {
  return OrderMappingSettings.parse({});
}
