/**
 * TEMPORARY thin order mapping, used until the declarative mapping (src/mappings/, issue 5's
 * mapping part) lands: TikTok order -> salesOrder upsert body. One customer and location per shop,
 * lines consolidated by SKU and unit price, revenue at the price the buyer paid, shipping fee as
 * shippingCost, marketplace-facilitator tax left out. Replace the call in sales-order.ts, not this.
 */
import { z } from 'zod';
import { nsDecimal, type SalesOrderInput } from '../../connectors/netsuite/index.ts';
import type { Order } from '../../connectors/tiktok-shop/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { ItemLookupField, ResolvedItem } from './items.ts';

const Placement = z.object({ customer: z.string().min(1), location: z.string().min(1).optional() }).strict();

export const LocalMappingSettings = z
  .object({
    itemLookup: z.enum(['itemid', 'externalid', 'upccode']).default('itemid'),
    /** Customer and location external ids per TikTok shop id, and a default for the others. */
    default: Placement.optional(),
    shops: z.record(z.string(), Placement).default({}),
  })
  .loose();
export type LocalMappingSettings = z.infer<typeof LocalMappingSettings>;

export function itemLookupField(mapping: Record<string, unknown>): ItemLookupField {
  return LocalMappingSettings.parse(mapping).itemLookup;
}

export function mapOrderLocal(input: {
  shopId: string;
  order: Order;
  items: ReadonlyMap<string, ResolvedItem | null>;
  mapping: Record<string, unknown>;
  externalId: string;
}): SalesOrderInput {
  const { order, shopId } = input;
  const settings = LocalMappingSettings.parse(input.mapping);
  const placement = settings.shops[shopId] ?? settings.default;
  if (!placement) {
    throw new AppError(
      'mapping_setting_missing',
      `no NetSuite customer configured for TikTok shop ${shopId}: set orders.mapping.shops.${shopId}.customer (or orders.mapping.default.customer) in tiksuite.yaml, then retry`,
      { details: { shopId } },
    );
  }
  const groups = new Map<string, { item: ResolvedItem; rate: string; quantity: number }>();
  for (const unit of order.line_items) {
    const sku = unit.seller_sku ?? '';
    const item = input.items.get(sku);
    if (!item) throw new AppError('mapping_unknown_sku', `unknown SKU ${sku}`, { details: { sku } });
    const key = `${sku}\u0000${unit.sale_price}`;
    const g = groups.get(key) ?? { item, rate: unit.sale_price, quantity: 0 };
    g.quantity += 1;
    groups.set(key, g);
  }
  const location = placement.location ? { externalId: placement.location } : undefined;
  return {
    externalId: input.externalId,
    entity: { externalId: placement.customer },
    otherRefNum: order.id,
    memo: `TikTok Shop order ${order.id}${order.is_sample_order ? ' (sample)' : ''}`,
    ...(location ? { location } : {}),
    shippingCost: nsDecimal(order.payment.shipping_fee),
    ...(order.recipient_address ? { shippingAddress: address(order) } : {}),
    item: {
      items: [...groups.values()].map((g) => ({
        item: { id: g.item.id },
        quantity: g.quantity,
        rate: nsDecimal(g.rate),
        ...(location ? { location } : {}),
      })),
    },
  };
}

function address(order: Order) {
  const a = order.recipient_address!;
  const levels = a.district_info ?? [];
  const level = (n: string) => levels.find((d) => d.address_level === n)?.address_name;
  return {
    ...(a.name ? { addressee: a.name } : {}),
    ...(a.address_line1 ? { addr1: a.address_line1 } : {}),
    ...(a.address_line2 ? { addr2: a.address_line2 } : {}),
    ...(level('L2') ? { state: level('L2')! } : {}),
    ...(level('L3') ? { city: level('L3')! } : {}),
    ...(a.postal_code ? { zip: a.postal_code } : {}),
    ...(a.region_code ? { country: a.region_code } : {}),
  };
}
