import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startSandboxWithClient } from '../testing.ts';
import { collect } from './paginate.ts';

let h: Harness;
let shopId: string;
let providerId: string;
const HOUR = 3600;

beforeAll(async () => {
  h = await startSandboxWithClient({ seed: 21 });
  shopId = h.creds.shops[0]!.id;
  await h.admin('POST', '/products', {
    shop_id: shopId,
    title: 'Socks',
    skus: [
      { seller_sku: 'SOCK', price: '10.00', quantity: 500 },
      { seller_sku: 'HAT', price: '25.00', quantity: 3 },
    ],
  });
  const [opt] = await h.us.logistics.deliveryOptions(h.creds.shops[0]!.warehouse_id);
  providerId = (await h.us.logistics.shippingProviders(opt!.id))[0]!.id;
});
afterAll(() => h.close());

const place = (body: Record<string, unknown>) =>
  h.admin<{ order_id: string; line_item_ids: string[] }>('POST', '/orders', { shop_id: shopId, ...body });

describe('order search and detail', () => {
  it('is empty for a shop without orders', async () => {
    await expect(collect(h.gb.orders.search())).resolves.toEqual([]);
    const page = await h.gb.orders.searchPage({}, { pageSize: 10 });
    expect(page).toEqual({ items: [], nextPageToken: '', totalCount: 0 });
  });

  it('pages exactly one page and many pages, newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await place({ lines: [{ seller_sku: 'SOCK', quantity: 1 }] })).order_id);
    const one = await h.us.orders.searchPage({}, { pageSize: 5 });
    expect(one.items.map((o) => o.id)).toEqual([...ids].reverse());
    expect(one.nextPageToken).toBe('');
    const many = await collect(h.us.orders.search({}, { pageSize: 2, sortOrder: 'ASC' }));
    expect(many.map((o) => o.id)).toEqual(ids);
  });

  it('filters by status and update time, and fetches details in batches of 50', async () => {
    const before = Math.floor(h.sandbox.now() / 1000);
    const created: string[] = [];
    for (let i = 0; i < 55; i++)
      created.push((await place({ lines: [{ seller_sku: 'SOCK', quantity: 1 }] })).order_id);
    const onHold = await collect(
      h.us.orders.search({ order_status: 'ON_HOLD', update_time_ge: before }, { pageSize: 100 }),
    );
    expect(onHold.length).toBeGreaterThanOrEqual(55);
    const details = await h.us.orders.getDetails([...created, '576000000000000000']);
    expect(details.map((o) => o.id)).toEqual(created);
  });

  it('prices lines per unit, consistently with the payment object', async () => {
    const { order_id } = await place({
      lines: [
        { seller_sku: 'SOCK', quantity: 2 },
        { seller_sku: 'HAT', quantity: 1 },
      ],
      shipping_fee: '4.99',
      seller_discount: '3.00',
      platform_discount: '1.50',
    });
    const [o] = await h.us.orders.getDetails([order_id]);
    expect(o!.line_items).toHaveLength(3);
    const cents = (s: string | undefined) => BigInt((s ?? '0').replace('.', ''));
    const sumSale = o!.line_items.reduce((a, l) => a + cents(l.sale_price), 0n);
    expect(sumSale).toBe(cents(o!.payment.sub_total));
    expect(o!.payment).toMatchObject({
      original_total_product_price: '45.00',
      sub_total: '40.50',
      shipping_fee: '4.99',
    });
    expect(cents(o!.payment.total_amount)).toBe(
      cents(o!.payment.sub_total) + cents(o!.payment.shipping_fee) + cents(o!.payment.tax),
    );
    expect(o!.recipient_address).toBeUndefined();
  });

  it('refuses an order when the SKU has no stock, and decrements stock otherwise', async () => {
    await expect(place({ lines: [{ seller_sku: 'HAT', quantity: 5 }] })).rejects.toThrow(/in stock/);
    const [p] = await collect(h.us.products.search({ seller_skus: ['HAT'] }));
    expect(p!.skus.find((s) => s.seller_sku === 'HAT')?.inventory[0]?.quantity).toBe(2);
  });
});

describe('order lifecycle and packages', () => {
  it('runs ON_HOLD -> AWAITING_SHIPMENT -> AWAITING_COLLECTION -> IN_TRANSIT -> DELIVERED -> COMPLETED (platform shipping)', async () => {
    const { order_id } = await place({
      lines: [{ seller_sku: 'SOCK', quantity: 2 }],
      shipping_type: 'TIKTOK',
    });
    const status = async () => (await h.us.orders.getDetails([order_id]))[0]!;
    expect((await status()).status).toBe('ON_HOLD');
    h.sandbox.advance(HOUR);
    const ready = await status();
    expect(ready.status).toBe('AWAITING_SHIPMENT');
    expect(ready.recipient_address?.postal_code).toBeTruthy();
    const pkgId = ready.packages[0]!.id;
    await h.us.fulfillment.shipPackage(pkgId, { handover_method: 'DROP_OFF' });
    expect((await status()).status).toBe('AWAITING_COLLECTION');
    const pkg = await h.us.fulfillment.getPackage(pkgId);
    expect(pkg).toMatchObject({
      package_status: 'PROCESSING',
      order_line_item_ids: ready.line_items.map((l) => l.id),
    });
    expect(pkg.tracking_number).toBeTruthy();
    await h.admin('POST', `/orders/${order_id}/collect`);
    expect((await status()).status).toBe('IN_TRANSIT');
    await h.admin('POST', `/orders/${order_id}/deliver`);
    expect((await status()).status).toBe('DELIVERED');
    expect((await h.us.fulfillment.getPackage(pkgId)).package_status).toBe('COMPLETED');
    h.sandbox.advance(7 * 86_400);
    expect((await status()).status).toBe('COMPLETED');
    const found = await collect(
      h.us.fulfillment.searchPackages({ package_status: 'COMPLETED' }, { pageSize: 1 }),
    );
    expect(found.map((p) => p.id)).toContain(pkgId);
  });

  it('ships partially with the seller carrier, then fully, and updates tracking', async () => {
    const { order_id, line_item_ids } = await place({ lines: [{ seller_sku: 'SOCK', quantity: 3 }] });
    h.sandbox.advance(HOUR);
    const first = await h.us.fulfillment.markShipped(order_id, {
      tracking_number: 'TRK-0001',
      shipping_provider_id: providerId,
      order_line_item_ids: [line_item_ids[0]!],
    });
    expect((await h.us.orders.getDetails([order_id]))[0]!.status).toBe('PARTIALLY_SHIPPING');
    await h.us.fulfillment.markShipped(order_id, {
      tracking_number: 'TRK-0002',
      shipping_provider_id: providerId,
    });
    const o = (await h.us.orders.getDetails([order_id]))[0]!;
    expect(o.status).toBe('IN_TRANSIT');
    expect(o.packages).toHaveLength(2);
    await h.us.fulfillment.updateShippingInfo(first.package_id, {
      tracking_number: 'TRK-0001B',
      shipping_provider_id: providerId,
    });
    expect((await h.us.fulfillment.getPackage(first.package_id)).tracking_number).toBe('TRK-0001B');
    await expect(
      h.us.fulfillment.markShipped(order_id, {
        tracking_number: 'TRK-0003',
        shipping_provider_id: providerId,
      }),
    ).rejects.toMatchObject({ code: 'tiktok_api_error' });
  });

  it('refuses to ship while ON_HOLD and reports batch-ship failures per package', async () => {
    const a = await place({ lines: [{ seller_sku: 'SOCK', quantity: 1 }], shipping_type: 'TIKTOK' });
    const b = await place({ lines: [{ seller_sku: 'SOCK', quantity: 1 }], shipping_type: 'TIKTOK' });
    await expect(
      h.us.fulfillment.markShipped(a.order_id, {
        tracking_number: 'TRK-0004',
        shipping_provider_id: providerId,
      }),
    ).rejects.toMatchObject({ details: { tiktokCode: 36009011 } });
    h.sandbox.advance(HOUR);
    const [oa, ob] = await h.us.orders.getDetails([a.order_id, b.order_id]);
    const res = await h.us.fulfillment.batchShip({
      packages: [{ id: oa!.packages[0]!.id, handover_method: 'PICKUP' }, { id: '115000' }],
    });
    expect(res.errors).toEqual([expect.objectContaining({ detail: { package_id: '115000' } })]);
    expect((await h.us.orders.getDetails([a.order_id]))[0]!.status).toBe('AWAITING_COLLECTION');
    expect(ob!.status).toBe('AWAITING_SHIPMENT');
  });
});

describe('cancellations', () => {
  it('lets the buyer cancel freely while ON_HOLD and restocks', async () => {
    const { order_id } = await place({ lines: [{ seller_sku: 'HAT', quantity: 1 }] });
    const r = await h.admin<{ cancel_id: string }>('POST', `/orders/${order_id}/cancel`, { by: 'BUYER' });
    const c = await h.us.returns.getCancellation(r.cancel_id);
    expect(c).toMatchObject({ cancel_type: 'BUYER_CANCEL', cancel_status: 'CANCELLATION_REQUEST_COMPLETE' });
    const o = (await h.us.orders.getDetails([order_id]))[0]!;
    expect(o.status).toBe('CANCELLED');
    expect(o.line_items[0]?.display_status).toBe('CANCELLED');
  });

  it('waits for the seller after the on-hold window; approval is idempotent per key', async () => {
    const { order_id } = await place({ lines: [{ seller_sku: 'SOCK', quantity: 2 }] });
    h.sandbox.advance(HOUR);
    const r = await h.admin<{ cancel_id: string }>('POST', `/orders/${order_id}/cancel`, { by: 'BUYER' });
    const pending = await collect(
      h.us.returns.searchCancellations({ cancel_status: ['CANCELLATION_REQUEST_PENDING'] }),
    );
    expect(pending.map((c) => c.cancel_id)).toContain(r.cancel_id);
    expect((await h.us.orders.getDetails([order_id]))[0]!.is_buyer_request_cancel).toBe(true);
    await h.us.returns.approveCancellation(r.cancel_id, 'key-1');
    await h.us.returns.approveCancellation(r.cancel_id, 'key-1');
    await expect(h.us.returns.approveCancellation(r.cancel_id, 'key-2')).rejects.toMatchObject({
      code: 'tiktok_api_error',
    });
    expect((await h.us.orders.getDetails([order_id]))[0]!.status).toBe('CANCELLED');
  });

  it('lets the seller cancel unshipped lines through the API', async () => {
    const { order_id, line_item_ids } = await place({ lines: [{ seller_sku: 'SOCK', quantity: 2 }] });
    h.sandbox.advance(HOUR);
    const res = await h.us.returns.cancelOrder({
      order_id,
      cancel_reason: 'seller_cancel_out_of_stock',
      order_line_item_ids: [line_item_ids[1]!],
    });
    expect(res.cancel_status).toBe('CANCELLATION_REQUEST_COMPLETE');
    expect((await h.us.returns.getCancellation(res.cancel_id))?.role).toBe('SELLER');
    const all = await h.us.returns.cancelOrder({ order_id, cancel_reason: 'seller_cancel_out_of_stock' });
    expect(all.cancel_status).toBe('CANCELLATION_REQUEST_COMPLETE');
    expect((await h.us.orders.getDetails([order_id]))[0]!.status).toBe('CANCELLED');
  });

  it('cancels part of an order and rejects a request', async () => {
    const { order_id, line_item_ids } = await place({ lines: [{ seller_sku: 'SOCK', quantity: 2 }] });
    h.sandbox.advance(HOUR);
    await h.admin('POST', `/orders/${order_id}/cancel`, { by: 'SELLER', line_item_ids: [line_item_ids[0]] });
    const o = (await h.us.orders.getDetails([order_id]))[0]!;
    expect(o.status).toBe('AWAITING_SHIPMENT');
    expect(o.line_items.map((l) => l.display_status)).toEqual(['CANCELLED', 'AWAITING_SHIPMENT']);
    const r = await h.admin<{ cancel_id: string }>('POST', `/orders/${order_id}/cancel`, { by: 'BUYER' });
    await h.us.returns.rejectCancellation(r.cancel_id, {
      reject_reason: 'seller_reject_apply_product_has_been_packed',
    });
    expect((await h.us.returns.getCancellation(r.cancel_id))?.cancel_status).toBe(
      'CANCELLATION_REQUEST_CANCEL',
    );
  });
});

describe('returns', () => {
  async function delivered(): Promise<string> {
    const { order_id } = await place({ lines: [{ seller_sku: 'SOCK', quantity: 2 }] });
    h.sandbox.advance(HOUR);
    await h.us.fulfillment.markShipped(order_id, {
      tracking_number: 'RET-0001',
      shipping_provider_id: providerId,
    });
    await h.admin('POST', `/orders/${order_id}/deliver`);
    return order_id;
  }

  it('approves a refund-only request', async () => {
    const orderId = await delivered();
    const { return_id } = await h.admin<{ return_id: string }>('POST', `/orders/${orderId}/return`, {
      return_type: 'REFUND',
    });
    const r = await h.us.returns.getReturn(return_id);
    expect(r).toMatchObject({
      return_status: 'RETURN_OR_REFUND_REQUEST_PENDING',
      refund_amount: { currency: 'USD' },
    });
    expect(r?.seller_next_action_response?.[0]?.action).toBe('SELLER_RESPOND_REFUND');
    await h.us.returns.approveReturn(return_id, { decision: 'APPROVE_REFUND' });
    // A retried job repeats the call: the default key (hash of the call) replays the first answer.
    await h.us.returns.approveReturn(return_id, { decision: 'APPROVE_REFUND' });
    expect((await h.us.returns.getReturn(return_id))?.return_status).toBe(
      'RETURN_OR_REFUND_REQUEST_COMPLETE',
    );
  });

  it('runs return-and-refund through the buyer shipping the parcel, and can reject', async () => {
    const orderId = await delivered();
    const { return_id } = await h.admin<{ return_id: string }>('POST', `/orders/${orderId}/return`, {});
    await h.us.returns.approveReturn(return_id, { decision: 'APPROVE_RETURN' });
    await h.admin('POST', `/returns/${return_id}/ship`);
    await h.us.returns.approveReturn(return_id, { decision: 'APPROVE_RECEIVED_PACKAGE' });
    const done = await collect(h.us.returns.searchReturns({ order_ids: [orderId] }, { pageSize: 10 }));
    expect(done.map((r) => r.return_status)).toEqual(['RETURN_OR_REFUND_REQUEST_COMPLETE']);
    const other = await delivered();
    const r2 = await h.admin<{ return_id: string }>('POST', `/orders/${other}/return`, {});
    await h.us.returns.rejectReturn(r2.return_id, {
      decision: 'REJECT_RETURN',
      reject_reason: 'seller_reject_apply_product_has_been_shipped',
    });
    expect((await h.us.returns.getReturn(r2.return_id))?.return_status).toBe(
      'REFUND_OR_RETURN_REQUEST_REJECT',
    );
  });
});

describe('committed units (inventory search, ADR 7)', () => {
  it('an order moves units from available to committed; shipping or cancelling takes them out', async () => {
    await h.admin('POST', '/products', {
      shop_id: shopId,
      title: 'Caps',
      skus: [{ seller_sku: 'CAP', price: '12.00', quantity: 10 }],
    });
    const [p] = await collect(h.us.products.search({ seller_skus: ['CAP'] }));
    const skuId = p!.skus.find((s) => s.seller_sku === 'CAP')!.id;
    const shown = async () => {
      const data = await h.us.products.searchInventory({ sku_ids: [skuId] });
      const s = data.inventory[0]!.skus[0]!;
      const w = s.warehouse_inventory[0]!;
      return {
        available: w.available_quantity,
        committed: w.committed_quantity,
        total: s.total_committed_quantity,
      };
    };
    const shipped = await place({ lines: [{ seller_sku: 'CAP', quantity: 3 }] });
    const cancelled = await place({ lines: [{ seller_sku: 'CAP', quantity: 2 }] });
    expect(await shown()).toEqual({ available: 5, committed: 5, total: 5 });
    // Buyer cancels while ON_HOLD: out of committed, back on sale (restockOnCancel).
    await h.admin('POST', `/orders/${cancelled.order_id}/cancel`, { by: 'BUYER' });
    expect(await shown()).toEqual({ available: 7, committed: 3, total: 3 });
    // One line ships, then the rest: the units leave the warehouse, available does not move.
    h.sandbox.advance(HOUR);
    await h.us.fulfillment.markShipped(shipped.order_id, {
      tracking_number: 'CAP-0001',
      shipping_provider_id: providerId,
      order_line_item_ids: [shipped.line_item_ids[0]!],
    });
    expect(await shown()).toEqual({ available: 7, committed: 2, total: 2 });
    await h.us.fulfillment.markShipped(shipped.order_id, {
      tracking_number: 'CAP-0002',
      shipping_provider_id: providerId,
    });
    expect(await shown()).toEqual({ available: 7, committed: 0, total: 0 });
  });
});
