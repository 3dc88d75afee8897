/** Products, inventory, prices (reference §5) and warehouses/logistics (§6.4). */
import { z } from 'zod';
import { Amount, Id, pageOf, UnixSeconds } from './common.ts';

export const PRODUCT_STATUSES = [
  'DRAFT',
  'PENDING',
  'FAILED',
  'ACTIVATE',
  'SELLER_DEACTIVATED',
  'PLATFORM_DEACTIVATED',
  'FREEZE',
  'DELETED',
] as const;
export const ProductStatus = z.enum(PRODUCT_STATUSES);
export type ProductStatus = z.infer<typeof ProductStatus>;

export const SkuInventory = z.looseObject({
  warehouse_id: z.string().optional(),
  quantity: z.number().int().min(0),
});
export type SkuInventory = z.infer<typeof SkuInventory>;

/** Request SKU (create/edit): `price.amount` (§5.2). */
export const ProductSkuInput = z.looseObject({
  seller_sku: z.string().min(1),
  external_sku_id: z.string().optional(),
  sales_attributes: z.array(z.looseObject({ name: z.string(), value_name: z.string() })).optional(),
  price: z.object({ amount: Amount, currency: z.string() }),
  inventory: z.array(SkuInventory).min(1),
});
export type ProductSkuInput = z.infer<typeof ProductSkuInput>;

export const ProductInput = z.looseObject({
  title: z.string().min(1),
  description: z.string().min(1),
  category_id: z.string().min(1),
  brand_id: z.string().optional(),
  main_images: z.array(z.looseObject({ uri: z.string() })).min(1),
  package_weight: z.object({ value: z.string(), unit: z.enum(['KILOGRAM', 'POUND']) }),
  package_dimensions: z
    .object({
      length: z.string(),
      width: z.string(),
      height: z.string(),
      unit: z.enum(['CENTIMETER', 'INCH']),
    })
    .optional(),
  product_attributes: z
    .array(
      z.looseObject({
        id: z.string().min(1),
        values: z.array(z.looseObject({ id: z.string().optional(), name: z.string().optional() })).min(1),
      }),
    )
    .optional(),
  skus: z.array(ProductSkuInput).min(1).max(300),
  external_product_id: z.string().optional(),
  save_mode: z.enum(['LISTING', 'AS_DRAFT']).optional(),
});
export type ProductInput = z.infer<typeof ProductInput>;

export const CreateProductData = z.looseObject({
  product_id: Id,
  skus: z.array(z.looseObject({ id: Id, seller_sku: z.string().optional() })).default([]),
  warnings: z.array(z.looseObject({ message: z.string() })).optional(),
});
export type CreateProductData = z.infer<typeof CreateProductData>;

/** Read SKU (get/search): `price.sale_price`, no `amount` (§5.2). */
export const ProductSku = z.looseObject({
  id: Id,
  seller_sku: z.string().optional(),
  price: z.looseObject({
    currency: z.string(),
    sale_price: Amount,
    tax_exclusive_price: Amount.optional(),
  }),
  inventory: z.array(SkuInventory).default([]),
});
export type ProductSku = z.infer<typeof ProductSku>;

export const Product = z.looseObject({
  id: Id,
  title: z.string(),
  status: ProductStatus,
  description: z.string().optional(),
  category_id: z.string().optional(),
  brand_id: z.string().optional(),
  main_images: z.array(z.looseObject({ uri: z.string() })).optional(),
  package_weight: z.looseObject({ value: z.string(), unit: z.string() }).optional(),
  package_dimensions: z
    .looseObject({ length: z.string(), width: z.string(), height: z.string(), unit: z.string() })
    .optional(),
  product_attributes: z
    .array(
      z.looseObject({
        id: z.string(),
        values: z.array(z.looseObject({ id: z.string().optional(), name: z.string().optional() })),
      }),
    )
    .optional(),
  create_time: UnixSeconds.optional(),
  update_time: UnixSeconds.optional(),
  skus: z.array(ProductSku).default([]),
});
export type Product = z.infer<typeof Product>;

/** §5.2 search body (202309: note `_le`, not `_lt`). */
export const ProductSearchBody = z.object({
  status: z.union([ProductStatus, z.literal('ALL')]).optional(),
  seller_skus: z.array(z.string()).optional(),
  create_time_ge: UnixSeconds.optional(),
  create_time_le: UnixSeconds.optional(),
  update_time_ge: UnixSeconds.optional(),
  update_time_le: UnixSeconds.optional(),
});
export type ProductSearchBody = z.infer<typeof ProductSearchBody>;
export const ProductSearchPage = pageOf('products', Product);

/** §5.3: every warehouse of the SKU must be listed; quantity 0-99,999 (bounds UNCONFIRMED). */
export const InventoryUpdateBody = z.object({
  skus: z
    .array(
      z.object({
        id: z.string().min(1),
        inventory: z.array(z.object({ warehouse_id: z.string().optional(), quantity: z.number().int() })),
      }),
    )
    .min(1),
});
export type InventoryUpdateBody = z.infer<typeof InventoryUpdateBody>;

/** §5.1 inventory search: `product_ids` (≤ 100) or `sku_ids` (≤ 600). */
export const InventorySearchBody = z
  .object({
    product_ids: z.array(z.string().min(1)).min(1).max(100).optional(),
    sku_ids: z.array(z.string().min(1)).min(1).max(600).optional(),
  })
  .refine((b) => !!b.product_ids !== !!b.sku_ids, 'give product_ids or sku_ids');
export type InventorySearchBody = z.infer<typeof InventorySearchBody>;

/**
 * Inventory search answer. The reference names the endpoint only; this shape (per product, per SKU,
 * per warehouse `available_quantity`) follows the public API docs from memory and is UNCONFIRMED.
 */
export const InventorySearchData = z.looseObject({
  inventory: z
    .array(
      z.looseObject({
        product_id: Id,
        skus: z
          .array(
            z.looseObject({
              id: Id,
              seller_sku: z.string().optional(),
              total_available_quantity: z.number().int().optional(),
              total_committed_quantity: z.number().int().optional(),
              warehouse_inventory: z
                .array(
                  z.looseObject({
                    warehouse_id: z.string(),
                    available_quantity: z.number().int(),
                    committed_quantity: z.number().int().optional(),
                  }),
                )
                .default([]),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
});
export type InventorySearchData = z.infer<typeof InventorySearchData>;

/** §5.4. */
export const PriceUpdateBody = z.object({
  skus: z
    .array(z.object({ id: z.string().min(1), price: z.object({ amount: Amount, currency: z.string() }) }))
    .min(1),
});
export type PriceUpdateBody = z.infer<typeof PriceUpdateBody>;

export const ProductIdsBody = z.object({ product_ids: z.array(z.string().min(1)).min(1) });

export const Warehouse = z.looseObject({
  id: Id,
  name: z.string().default(''),
  effect_status: z.string().optional(),
  type: z.string().optional(),
  sub_type: z.string().optional(),
  is_default: z.boolean().optional(),
  address: z.looseObject({}).optional(),
});
export type Warehouse = z.infer<typeof Warehouse>;
export const WarehousesData = z.looseObject({ warehouses: z.array(Warehouse).default([]) });

export const DeliveryOption = z.looseObject({
  id: Id,
  name: z.string().default(''),
  type: z.string().optional(),
});
export type DeliveryOption = z.infer<typeof DeliveryOption>;
export const DeliveryOptionsData = z.looseObject({ delivery_options: z.array(DeliveryOption).default([]) });

export const ShippingProvider = z.looseObject({ id: Id, name: z.string().default('') });
export type ShippingProvider = z.infer<typeof ShippingProvider>;
export const ShippingProvidersData = z.looseObject({
  shipping_providers: z.array(ShippingProvider).default([]),
});
