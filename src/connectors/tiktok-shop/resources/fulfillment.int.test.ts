/**
 * Shipping rules of the sandbox through the real client over HTTP (reference §4.4, §6.1, §6.4):
 * delivery options on orders and packages, the providers each option allows, line items' package
 * fields, package detail's shape and tracking number validation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startSandboxWithClient } from '../testing.ts';

let h: Harness;
let shopId: string;
const option = { seller: { id: '', name: '' }, platform: { id: '', name: '' } };
const provider = { usps: '', ups: '', tiktok: '' };
const HOUR = 3600;

beforeAll(async () => {
  h = await startSandboxWithClient({ seed: 61 });
  shopId = h.creds.shops[0]!.id;
  await h.admin('POST', '/products', {
    shop_id: shopId,
    title: 'Socks',
    skus: [
      { seller_sku: 'SOCK', price: '10.00', quantity: 500 },
      { seller_sku: 'HAT', price: '25.00', quantity: 500 },
    ],
  });
  for (const o of await h.us.logistics.deliveryOptions(h.creds.shops[0]!.warehouse_id)) {
    const providers = await h.us.logistics.shippingProviders(o.id);
    const byName = (name: string) => providers.find((p) => p.name === name)?.id;
    if (byName('USPS')) {
      option.seller = { id: o.id, name: o.name };
      provider.usps = byName('USPS')!;
      provider.ups = byName('UPS')!;
    } else {
      option.platform = { id: o.id, name: o.name };
      provider.tiktok = providers[0]!.id;
    }
  }
});
afterAll(() => h.close());

/** Places an order and lets it leave ON_HOLD. */
async function ready(body: Record<string, unknown>) {
  const placed = await h.admin<{ order_id: string; line_item_ids: string[] }>('POST', '/orders', {
    shop_id: shopId,
    ...body,
  });
  h.sandbox.advance(HOUR);
  return placed;
}
const detail = async (id: string) => (await h.us.orders.getDetails([id]))[0]!;
const invalidParam = (param: string) => ({
  code: 'tiktok_invalid_param',
  details: { tiktokCode: 36009004, param },
});

describe('delivery options', () => {
  it('puts seller-shipping orders on the seller option and platform orders on TikTok’s, order and package alike', async () => {
    expect(option.seller.id).not.toBe(option.platform.id);
    const seller = await ready({ lines: [{ seller_sku: 'SOCK', quantity: 1 }] });
    const platform = await ready({ lines: [{ seller_sku: 'SOCK', quantity: 1 }], shipping_type: 'TIKTOK' });
    const [s, p] = await h.us.orders.getDetails([seller.order_id, platform.order_id]);
    expect(s).toMatchObject({
      shipping_type: 'SELLER',
      delivery_option_id: option.seller.id,
      delivery_option_name: option.seller.name,
    });
    expect(p).toMatchObject({
      shipping_type: 'TIKTOK',
      delivery_option_id: option.platform.id,
      delivery_option_name: option.platform.name,
    });
    const platformPkg = await h.us.fulfillment.getPackage(p!.packages[0]!.id);
    expect(platformPkg).toMatchObject({ shipping_type: 'TIKTOK', delivery_option_id: option.platform.id });
    const shipped = await h.us.fulfillment.markShipped(seller.order_id, {
      tracking_number: '1Z999AA10123456784',
      shipping_provider_id: provider.ups,
    });
    expect(await h.us.fulfillment.getPackage(shipped.package_id)).toMatchObject({
      shipping_type: 'SELLER',
      delivery_option_id: option.seller.id,
      delivery_option_name: option.seller.name,
      shipping_provider_id: provider.ups,
      shipping_provider_name: 'UPS',
    });
  });

  it('refuses a provider that the order’s delivery option does not offer, or that does not exist', async () => {
    const seller = await ready({ lines: [{ seller_sku: 'SOCK', quantity: 1 }] });
    await expect(
      h.us.fulfillment.markShipped(seller.order_id, {
        tracking_number: 'TT-0000000001',
        shipping_provider_id: provider.tiktok,
      }),
    ).rejects.toMatchObject(invalidParam('shipping_provider_id'));
    await expect(
      h.us.fulfillment.markShipped(seller.order_id, {
        tracking_number: 'TT-0000000001',
        shipping_provider_id: '7110000000000000099',
      }),
    ).rejects.toThrow(/shipping provider 7110000000000000099 does not exist/);
    const platform = await ready({ lines: [{ seller_sku: 'SOCK', quantity: 1 }], shipping_type: 'TIKTOK' });
    const pkgId = (await detail(platform.order_id)).packages[0]!.id;
    await expect(
      h.us.fulfillment.shipPackage(pkgId, {
        self_shipment: { tracking_number: '9400111899223197428490', shipping_provider_id: provider.usps },
      }),
    ).rejects.toMatchObject(invalidParam('self_shipment.shipping_provider_id'));
    const batch = await h.us.fulfillment.batchShip({
      packages: [
        {
          id: pkgId,
          self_shipment: { tracking_number: '9400111899223197428490', shipping_provider_id: provider.usps },
        },
      ],
    });
    expect(batch.errors).toEqual([
      expect.objectContaining({ code: 36009004, detail: { package_id: pkgId } }),
    ]);
    // Nothing shipped; the seller order ships with its own carrier, then cannot move to TikTok's.
    expect((await detail(seller.order_id)).status).toBe('AWAITING_SHIPMENT');
    expect((await detail(platform.order_id)).status).toBe('AWAITING_SHIPMENT');
    const shipped = await h.us.fulfillment.markShipped(seller.order_id, {
      tracking_number: '9400111899223197428490',
      shipping_provider_id: provider.usps,
    });
    await expect(
      h.us.fulfillment.updateShippingInfo(shipped.package_id, {
        tracking_number: '9400111899223197428490',
        shipping_provider_id: provider.tiktok,
      }),
    ).rejects.toThrow(/is not a shipping provider of delivery option/);
    await h.us.fulfillment.updateShippingInfo(shipped.package_id, {
      tracking_number: '1Z999AA10123456784',
      shipping_provider_id: provider.ups,
    });
    expect(await h.us.fulfillment.getPackage(shipped.package_id)).toMatchObject({
      tracking_number: '1Z999AA10123456784',
      shipping_provider_name: 'UPS',
    });
  });
});

describe('line items and package detail', () => {
  it('shows a line’s package, tracking and provider once it ships, and its own display status', async () => {
    const { order_id, line_item_ids: lines } = await ready({
      lines: [
        { seller_sku: 'SOCK', quantity: 2 },
        { seller_sku: 'HAT', quantity: 1 },
      ],
    });
    const before = await detail(order_id);
    expect(before.line_items.map((l) => l.package_id)).toEqual([undefined, undefined, undefined]);
    const first = await h.us.fulfillment.markShipped(order_id, {
      tracking_number: 'USPS-000000001',
      shipping_provider_id: provider.usps,
      order_line_item_ids: [lines[0]!, lines[1]!],
    });
    const partial = await detail(order_id);
    expect(partial.status).toBe('PARTIALLY_SHIPPING');
    const shippedLine = {
      package_id: first.package_id,
      package_status: 'FULFILLING',
      tracking_number: 'USPS-000000001',
      shipping_provider_id: provider.usps,
      shipping_provider_name: 'USPS',
      display_status: 'IN_TRANSIT',
    };
    expect(partial.line_items[0]).toMatchObject(shippedLine);
    expect(partial.line_items[1]).toMatchObject(shippedLine);
    expect(partial.line_items[2]).toMatchObject({ display_status: 'AWAITING_SHIPMENT', tracking_number: '' });
    expect(partial.line_items[2]!.package_id).toBeUndefined();
    expect(partial.line_items[2]!.package_status).toBeUndefined();

    const one = await h.us.fulfillment.getPackage(first.package_id);
    expect(one).toMatchObject({
      package_id: first.package_id,
      package_status: 'FULFILLING',
      order_line_item_ids: [lines[0], lines[1]],
      orders: [{ id: order_id, skus: [{ id: partial.line_items[0]!.sku_id, quantity: 2 }] }],
      split_and_combine_tag: 'DEFAULT',
      note_tag: 'BUYER_UNNOTED',
      has_multi_skus: false,
      shipping_type: 'SELLER',
      shipping_provider_id: provider.usps,
      shipping_provider_name: 'USPS',
      tracking_number: 'USPS-000000001',
      last_mile_tracking_number: '',
      delivery_option_id: option.seller.id,
      delivery_option_name: option.seller.name,
      sender_address: { region_code: 'US', postal_code: '95110' },
      recipient_address: {
        postal_code: partial.recipient_address!.postal_code,
        phone_number: expect.any(String),
      },
    });
    expect(typeof one.create_time).toBe('number');

    const second = await h.us.fulfillment.markShipped(order_id, {
      tracking_number: 'USPS-000000002',
      shipping_provider_id: provider.usps,
    });
    const full = await detail(order_id);
    expect(full.status).toBe('IN_TRANSIT');
    expect(full.line_items.map((l) => [l.package_id, l.display_status])).toEqual([
      [first.package_id, 'IN_TRANSIT'],
      [first.package_id, 'IN_TRANSIT'],
      [second.package_id, 'IN_TRANSIT'],
    ]);
    // The order now travels in two packages: a split.
    expect((await h.us.fulfillment.getPackage(first.package_id)).split_and_combine_tag).toBe('SPLIT');
    await h.admin('POST', `/orders/${order_id}/deliver`);
    const delivered = await detail(order_id);
    expect(delivered.line_items.map((l) => [l.package_status, l.display_status])).toEqual([
      ['COMPLETED', 'DELIVERED'],
      ['COMPLETED', 'DELIVERED'],
      ['COMPLETED', 'DELIVERED'],
    ]);
  });

  it('keeps a platform package off the lines until TikTok’s label ships it', async () => {
    const { order_id } = await ready({
      lines: [
        { seller_sku: 'SOCK', quantity: 1 },
        { seller_sku: 'HAT', quantity: 1 },
      ],
      shipping_type: 'TIKTOK',
    });
    const waiting = await detail(order_id);
    const pkgId = waiting.packages[0]!.id;
    expect(waiting.line_items.every((l) => l.package_id === undefined)).toBe(true);
    const slot = { start_time: Math.floor(h.sandbox.now() / 1000) + HOUR, end_time: 0 };
    slot.end_time = slot.start_time + 2 * HOUR;
    await h.us.fulfillment.shipPackage(pkgId, { handover_method: 'PICKUP', pickup_slot: slot });
    const pkg = await h.us.fulfillment.getPackage(pkgId);
    expect(pkg).toMatchObject({
      package_status: 'PROCESSING',
      has_multi_skus: true,
      handover_method: 'PICKUP',
      pickup_slot: slot,
      shipping_provider_id: provider.tiktok,
      delivery_option_id: option.platform.id,
    });
    expect(pkg.tracking_number).toMatch(/^TT[A-Z0-9]{16}$/);
    const o = await detail(order_id);
    expect(o.status).toBe('AWAITING_COLLECTION');
    for (const l of o.line_items)
      expect(l).toMatchObject({
        package_id: pkgId,
        package_status: 'PROCESSING',
        display_status: 'AWAITING_COLLECTION',
        tracking_number: pkg.tracking_number,
        shipping_provider_id: provider.tiktok,
        shipping_provider_name: 'TT Virtual express',
      });
  });
});

describe('tracking numbers', () => {
  it('refuses an empty, over-long or oddly spelt tracking number on mark-shipped, ship and update', async () => {
    const { order_id } = await ready({ lines: [{ seller_sku: 'SOCK', quantity: 1 }] });
    const mark = (tracking_number: string) =>
      h.us.fulfillment.markShipped(order_id, { tracking_number, shipping_provider_id: provider.usps });
    await expect(mark('')).rejects.toMatchObject(invalidParam('tracking_number'));
    await expect(mark('A'.repeat(41))).rejects.toMatchObject(invalidParam('tracking_number'));
    await expect(mark('1Z 999 AA1')).rejects.toMatchObject(invalidParam('tracking_number'));
    await expect(mark('ABC#12345')).rejects.toThrow(/tracking number "ABC#12345" does not match/);
    await expect(mark('12345')).rejects.toMatchObject(invalidParam('tracking_number'));
    expect((await detail(order_id)).status).toBe('AWAITING_SHIPMENT');
    const pkg = await mark('A'.repeat(40));
    await expect(
      h.us.fulfillment.updateShippingInfo(pkg.package_id, {
        tracking_number: 'TRK/0001',
        shipping_provider_id: provider.usps,
      }),
    ).rejects.toMatchObject(invalidParam('tracking_number'));
    expect((await h.us.fulfillment.getPackage(pkg.package_id)).tracking_number).toBe('A'.repeat(40));

    const platform = await ready({ lines: [{ seller_sku: 'SOCK', quantity: 1 }], shipping_type: 'TIKTOK' });
    const pkgId = (await detail(platform.order_id)).packages[0]!.id;
    await expect(
      h.us.fulfillment.shipPackage(pkgId, {
        self_shipment: { tracking_number: 'TT_000001', shipping_provider_id: provider.tiktok },
      }),
    ).rejects.toMatchObject(invalidParam('self_shipment.tracking_number'));
    await h.us.fulfillment.shipPackage(pkgId, {
      self_shipment: { tracking_number: 'TT-000001', shipping_provider_id: provider.tiktok },
    });
    expect((await detail(platform.order_id)).status).toBe('IN_TRANSIT');
  });

  it('takes its rule from the trackingNumberPattern setting, and refuses a pattern that is no regex', async () => {
    const { order_id } = await ready({ lines: [{ seller_sku: 'SOCK', quantity: 1 }] });
    await h.admin('PUT', '/settings', { business: { trackingNumberPattern: '^\\d{20,22}$' } });
    try {
      await expect(
        h.us.fulfillment.markShipped(order_id, {
          tracking_number: 'USPS-000000003',
          shipping_provider_id: provider.usps,
        }),
      ).rejects.toMatchObject(invalidParam('tracking_number'));
      await h.us.fulfillment.markShipped(order_id, {
        tracking_number: '92612999897543581074',
        shipping_provider_id: provider.usps,
      });
      await expect(
        h.admin('PUT', '/settings', { business: { trackingNumberPattern: '([' } }),
      ).rejects.toThrow(/400.*trackingNumberPattern.*regular expression/);
    } finally {
      await h.admin('PUT', '/settings', { business: { trackingNumberPattern: '^[A-Za-z0-9-]{6,40}$' } });
    }
  });
});

describe('wire schemas', () => {
  it('parses an order that leaves out the delivery option and the deadlines', async () => {
    const { order_id } = await ready({ lines: [{ seller_sku: 'SOCK', quantity: 1 }] });
    const omit = ['delivery_option_id', 'delivery_option_name', 'rts_sla_time', 'tts_sla_time'];
    await h.admin('POST', `/orders/${order_id}/malform`, {
      omit: [...omit, 'shipping_due_time', 'collection_due_time', 'delivery_due_time'],
    });
    const o = await detail(order_id);
    expect(o.id).toBe(order_id);
    expect(o.delivery_option_id).toBeUndefined();
    expect(o.rts_sla_time).toBeUndefined();
  });
});
