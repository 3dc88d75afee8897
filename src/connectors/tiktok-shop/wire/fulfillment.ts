/** Packages and shipping (reference §6.1). */
import { z } from 'zod';
import { Id, pageOf, UnixSeconds } from './common.ts';

export const PACKAGE_STATUSES = ['PROCESSING', 'FULFILLING', 'COMPLETED', 'CANCELLED'] as const;
export const PackageStatus = z.enum(PACKAGE_STATUSES);

/** Sender and recipient of a package (§6.1); TikTok masks the phone number. */
export const PackageAddress = z.looseObject({
  name: z.string().optional(),
  phone_number: z.string().optional(),
  full_address: z.string().optional(),
  address_detail: z.string().optional(),
  address_line1: z.string().optional(),
  address_line2: z.string().optional(),
  address_line3: z.string().optional(),
  address_line4: z.string().optional(),
  postal_code: z.string().optional(),
  region_code: z.string().optional(),
});

/** Package detail (§6.1); everything past id and status may be omitted by TikTok. */
export const Package = z.looseObject({
  package_id: Id,
  package_status: PackageStatus,
  create_time: UnixSeconds.optional(),
  update_time: UnixSeconds.optional(),
  order_line_item_ids: z.array(z.string()).default([]),
  orders: z
    .array(
      z.looseObject({
        id: Id,
        skus: z
          .array(
            z.looseObject({
              id: Id,
              name: z.string().optional(),
              image_url: z.string().optional(),
              quantity: z.number().int(),
            }),
          )
          .optional(),
      }),
    )
    .default([]),
  split_and_combine_tag: z.string().optional(),
  note_tag: z.string().optional(),
  has_multi_skus: z.boolean().optional(),
  shipping_type: z.string().optional(),
  shipping_provider_id: z.string().optional(),
  shipping_provider_name: z.string().optional(),
  tracking_number: z.string().optional(),
  last_mile_tracking_number: z.string().optional(),
  delivery_option_id: z.string().optional(),
  delivery_option_name: z.string().optional(),
  handover_method: z.string().optional(),
  pickup_slot: z.looseObject({ start_time: UnixSeconds, end_time: UnixSeconds }).optional(),
  dimension: z
    .looseObject({
      length: z.string().optional(),
      width: z.string().optional(),
      height: z.string().optional(),
      unit: z.string().optional(),
    })
    .optional(),
  weight: z.looseObject({ value: z.string().optional(), unit: z.string().optional() }).optional(),
  sender_address: PackageAddress.optional(),
  recipient_address: PackageAddress.optional(),
});
export type Package = z.infer<typeof Package>;

/** Search results carry a summary per package (id, status, order ids). */
export const PackageSummary = z.looseObject({
  id: Id,
  status: PackageStatus,
  create_time: UnixSeconds.optional(),
  update_time: UnixSeconds.optional(),
  orders: z.array(z.looseObject({ id: Id })).default([]),
  tracking_number: z.string().optional(),
  shipping_provider_id: z.string().optional(),
});
export type PackageSummary = z.infer<typeof PackageSummary>;
export const PackageSearchPage = pageOf('packages', PackageSummary);

export const PackageSearchBody = z.object({
  create_time_ge: UnixSeconds.optional(),
  create_time_lt: UnixSeconds.optional(),
  update_time_ge: UnixSeconds.optional(),
  update_time_lt: UnixSeconds.optional(),
  package_status: PackageStatus.optional(),
});
export type PackageSearchBody = z.infer<typeof PackageSearchBody>;

export const SelfShipment = z.object({
  tracking_number: z.string().min(1),
  shipping_provider_id: z.string().min(1),
});

export const ShipPackageBody = z.object({
  handover_method: z.enum(['PICKUP', 'DROP_OFF']).optional(),
  pickup_slot: z.object({ start_time: UnixSeconds, end_time: UnixSeconds }).optional(),
  self_shipment: SelfShipment.optional(),
});
export type ShipPackageBody = z.infer<typeof ShipPackageBody>;

export const BatchShipBody = z.object({
  packages: z.array(ShipPackageBody.extend({ id: z.string().min(1) })).min(1),
});
export type BatchShipBody = z.infer<typeof BatchShipBody>;

export const UpdateShippingInfoBody = SelfShipment;
export type UpdateShippingInfoBody = z.infer<typeof UpdateShippingInfoBody>;

export const MarkShippedBody = SelfShipment.extend({
  order_line_item_ids: z.array(z.string()).optional(),
});
export type MarkShippedBody = z.infer<typeof MarkShippedBody>;

export const MarkShippedData = z.looseObject({
  order_id: Id,
  order_line_item_ids: z.array(z.string()).default([]),
  package_id: Id,
  warning: z.looseObject({ message: z.string() }).optional(),
});
export type MarkShippedData = z.infer<typeof MarkShippedData>;
