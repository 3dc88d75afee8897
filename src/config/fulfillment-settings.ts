/**
 * The `fulfillment:` block of tiksuite.yaml (docs/fulfillment.md): NetSuite item fulfillments ->
 * TikTok shipments and tracking, TikTok's own shipments (platform labels, FBT) back into NetSuite,
 * and the ship-by warnings.
 */
import { z } from 'zod';
import { NsRefSetting } from './order-settings.ts';

export const FulfillmentSettings = z
  .object({
    /** Push NetSuite item fulfillments of TikSuite's sales orders to TikTok. */
    enabled: z.boolean().default(true),
    /** How often NetSuite is polled for new or changed item fulfillments (SuiteQL on lastmodifieddate). */
    pollIntervalSeconds: z.number().min(0.2).max(3600).default(10),
    /** Each poll re-reads this many seconds before the saved cursor (clock skew, same-second writes). */
    overlapSeconds: z.number().int().min(0).max(3600).default(30),
    /** Polls that find fulfillments join one open run until this long after it opened (ADR 5). */
    pollRunMaxSeconds: z.number().int().min(1).max(86_400).default(900),
    /**
     * NetSuite ship method (its name as NetSuite shows it, or its internal id) -> TikTok shipping
     * provider (name or id), e.g. `"UPS Ground": UPS`. A ship method not listed is matched to the
     * provider of the same name; one with no match is an error record naming this setting.
     */
    carriers: z.record(z.string().min(1), z.string().min(1)).default({}),
    /** The provider used when a fulfillment has no ship method at all (none: an error record). */
    defaultCarrier: z.string().min(1).optional(),
    /**
     * Which NetSuite fulfillments are pushed: `shipped` (shipStatus C, or no ship status at all) or
     * `any` (picked and packed ones too).
     */
    shipOn: z.enum(['shipped', 'any']).default('shipped'),
    /** TikTok shipping (platform labels): how the parcel is handed to TikTok's carrier. */
    handoverMethod: z.enum(['DROP_OFF', 'PICKUP']).default('DROP_OFF'),
    /** Write the tracking number TikTok assigns (platform labels) onto the NetSuite fulfillment's package. */
    writeBackTracking: z.boolean().default(true),
    /**
     * `deletedrecord.type` of an item fulfillment. UNCONFIRMED (netsuite-rest-api.md section 8.2):
     * change it if your account reports another value; deletions are then noticed again.
     */
    deletedRecordType: z.string().min(1).default('itemfulfillment'),
    /** Orders TikTok fulfils from its own warehouses (FBT) become NetSuite item fulfillments. */
    fbt: z
      .object({
        enabled: z.boolean().default(true),
        /** The location the FBT stock is held at in NetSuite (internal id or { externalId }). */
        location: NsRefSetting.optional(),
      })
      .strict()
      .prefault({}),
    /** Ship-by deadlines (TikTok's rts_sla_time): warn this many hours before an order is late. */
    lateWarningHours: z.number().min(0).max(720).default(12),
    /** How often the ship-by check runs (metric and warnings; docs/orders.md "Ship-by deadlines"). */
    lateCheckIntervalSeconds: z.number().min(0.2).max(3600).default(60),
  })
  .strict();
export type FulfillmentSettings = z.infer<typeof FulfillmentSettings>;
