/** Webhook subscriptions (reference §9.1) and pushed events (§9.2-9.3). */
import { z } from 'zod';
import { Id, UnixSeconds } from './common.ts';

export const WebhookSubscription = z.looseObject({
  event_type: z.string(),
  address: z.string(),
  create_time: UnixSeconds.optional(),
  update_time: UnixSeconds.optional(),
});
export type WebhookSubscription = z.infer<typeof WebhookSubscription>;
export const WebhooksData = z.looseObject({
  webhooks: z.array(WebhookSubscription).default([]),
  total_count: z.number().int().optional(),
});
export const UpdateWebhookBody = z.object({
  event_type: z.string().min(1),
  address: z.string().min(1).max(255),
});
export const DeleteWebhookBody = z.object({ event_type: z.string().min(1) });

const envelope = {
  tts_notification_id: z.string().optional(),
  shop_id: Id,
  timestamp: UnixSeconds,
};

/** §9.3 `data` shapes per numeric type; unknown types are kept with `data` as a record. */
export const WebhookEvent = z.discriminatedUnion('type', [
  z.looseObject({
    ...envelope,
    type: z.literal(1),
    data: z.looseObject({
      order_id: Id,
      order_status: z.string(),
      is_on_hold_order: z.boolean().optional(),
      update_time: UnixSeconds,
    }),
  }),
  z.looseObject({
    ...envelope,
    type: z.literal(2),
    data: z.looseObject({ order_id: Id.optional(), update_time: UnixSeconds.optional() }),
  }),
  z.looseObject({
    ...envelope,
    type: z.literal(3),
    data: z.looseObject({ order_id: Id, update_time: UnixSeconds }),
  }),
  z.looseObject({
    ...envelope,
    type: z.literal(4),
    data: z.looseObject({
      sc_type: z.string().optional(),
      role_type: z.string().optional(),
      package_list: z
        .array(z.looseObject({ package_id: Id, order_id_list: z.array(Id).default([]) }))
        .default([]),
      update_time: UnixSeconds,
    }),
  }),
  z.looseObject({
    ...envelope,
    type: z.literal(5),
    data: z.looseObject({
      product_id: Id,
      status: z.string(),
      suspended_reason: z.string().optional(),
      update_time: UnixSeconds,
    }),
  }),
  z.looseObject({ ...envelope, type: z.literal(6), data: z.looseObject({ message: z.string().optional() }) }),
  z.looseObject({
    ...envelope,
    type: z.literal(7),
    data: z.looseObject({
      message: z.string().optional(),
      expiration_time: z.union([z.string(), z.number()]),
    }),
  }),
  z.looseObject({
    ...envelope,
    type: z.literal(11),
    data: z.looseObject({
      order_id: Id,
      cancellations_role: z.string().optional(),
      cancel_status: z.string(),
      cancel_id: Id,
      create_time: UnixSeconds.optional(),
    }),
  }),
  z.looseObject({
    ...envelope,
    type: z.literal(12),
    data: z.looseObject({
      order_id: Id,
      return_role: z.string().optional(),
      return_type: z.string().optional(),
      return_status: z.string(),
      return_id: Id,
      create_time: UnixSeconds.optional(),
      update_time: UnixSeconds.optional(),
    }),
  }),
  z.looseObject({
    ...envelope,
    type: z.literal(15),
    data: z.looseObject({
      product_id: Id,
      changed_fields: z.array(z.string()).default([]),
      update_time: UnixSeconds,
    }),
  }),
  z.looseObject({
    ...envelope,
    type: z.literal(16),
    data: z.looseObject({
      product_id: Id,
      product_type: z.array(z.string()).default([]),
      update_time: UnixSeconds,
    }),
  }),
]);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

/** Envelope of any push, for types we do not model (e.g. customer-service events, §9.2). */
export const UnknownWebhookEvent = z.looseObject({
  ...envelope,
  type: z.number().int(),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type UnknownWebhookEvent = z.infer<typeof UnknownWebhookEvent>;
