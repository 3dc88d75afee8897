/**
 * Return paths other than a plain refund (reference §7.1-7.2) through the real client over HTTP:
 * the buyer keeps the item, the parcel's tracking, reject reasons, replacements, and what a
 * refunded order's settlement shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMoney } from '../../../shared/money.ts';
import { type Harness, startSandboxWithClient } from '../testing.ts';
import type { Return } from '../wire/returns.ts';

let h: Harness;
let shopId: string;
let providerId: string;
const HOUR = 3600;
const DAY = 86_400;
const cents = (v: string | undefined) => parseMoney(v, 'USD').minor;

beforeAll(async () => {
  h = await startSandboxWithClient({ seed: 62, startTime: Date.UTC(2026, 2, 2, 9) });
  shopId = h.creds.shops[0]!.id;
  await h.admin('POST', '/products', {
    shop_id: shopId,
    title: 'Lamp',
    skus: [
      { seller_sku: 'LAMP', price: '19.99', quantity: 500 },
      { seller_sku: 'BULB', price: '3.35', quantity: 500 },
    ],
  });
  const [opt] = await h.us.logistics.deliveryOptions(h.creds.shops[0]!.warehouse_id);
  providerId = (await h.us.logistics.shippingProviders(opt!.id))[0]!.id;
});
afterAll(() => h.close());

async function delivered(lines = [{ seller_sku: 'LAMP', quantity: 1 }], shipping = '4.99') {
  const o = await h.admin<{ order_id: string; line_item_ids: string[] }>('POST', '/orders', {
    shop_id: shopId,
    lines,
    shipping_fee: shipping,
  });
  h.sandbox.advance(HOUR);
  await h.us.fulfillment.markShipped(o.order_id, {
    tracking_number: `RT-${o.order_id}`,
    shipping_provider_id: providerId,
  });
  await h.admin('POST', `/orders/${o.order_id}/deliver`);
  return o;
}

async function openReturn(orderId: string, body: Record<string, unknown> = {}): Promise<string> {
  return (await h.admin<{ return_id: string }>('POST', `/orders/${orderId}/return`, body)).return_id;
}

async function ret(id: string): Promise<Return> {
  const r = await h.us.returns.getReturn(id);
  if (!r) throw new Error(`return ${id} not found`);
  return r;
}

describe('return and refund paths', () => {
  it('buyer_keep_item: approving the return refunds at once, with no parcel', async () => {
    const o = await delivered();
    const id = await openReturn(o.order_id);
    expect((await ret(id)).can_buyer_keep_item).toBe(true);
    await h.us.returns.approveReturn(id, { decision: 'APPROVE_RETURN', buyer_keep_item: true });
    expect(await ret(id)).toMatchObject({
      return_status: 'RETURN_OR_REFUND_REQUEST_COMPLETE',
      return_tracking_number: '',
      refund_amount: { refund_total: '26.58' },
    });
    const kept = await openReturn((await delivered()).order_id, { can_buyer_keep_item: false });
    await expect(
      h.us.returns.approveReturn(kept, { decision: 'APPROVE_RETURN', buyer_keep_item: true }),
    ).rejects.toMatchObject({ code: 'tiktok_invalid_param', details: { param: 'buyer_keep_item' } });
    expect((await ret(kept)).return_status).toBe('RETURN_OR_REFUND_REQUEST_PENDING');
  });

  it('the parcel the buyer sends back shows its tracking number and carrier', async () => {
    const [a, b] = [await delivered(), await delivered()];
    const ra = await openReturn(a.order_id);
    const rb = await openReturn(b.order_id);
    for (const id of [ra, rb]) await h.us.returns.approveReturn(id, { decision: 'APPROVE_RETURN' });
    expect((await ret(ra)).return_status).toBe('AWAITING_BUYER_SHIP');
    await h.admin('POST', `/returns/${ra}/ship`, {
      tracking_number: '1Z999AA10123456784',
      provider_name: 'UPS',
    });
    await h.admin('POST', `/returns/${rb}/ship`);
    const shipped = await ret(ra);
    expect(shipped).toMatchObject({
      return_status: 'BUYER_SHIPPED_ITEM',
      return_tracking_number: '1Z999AA10123456784',
      return_provider_name: 'UPS',
      seller_next_action_response: [{ action: 'SELLER_RESPOND_RECEIVE_PACKAGE' }],
    });
    // Without the buyer's own carrier, TikTok's label service: a TT… number.
    expect(await ret(rb)).toMatchObject({
      return_tracking_number: expect.stringMatching(/^TT[A-Z0-9]{16}$/),
      return_provider_name: 'TT Virtual express',
    });
    await h.us.returns.approveReturn(ra, { decision: 'APPROVE_RECEIVED_PACKAGE' });
    expect(await ret(ra)).toMatchObject({
      return_status: 'RETURN_OR_REFUND_REQUEST_COMPLETE',
      return_tracking_number: '1Z999AA10123456784',
    });
  });

  it('lists reject reasons and refuses a reason outside them, for returns and cancellations', async () => {
    const o = await delivered();
    const id = await openReturn(o.order_id);
    const { reasons } = await h.us.returns.rejectReasons(id);
    const defaults = reasons.map((r) => ({ name: r.name, text: r.text }));
    expect(reasons.map((r) => r.name)).toContain('seller_reject_apply_product_has_been_packed');
    expect(reasons.every((r) => r.text.length > 0)).toBe(true);
    await expect(
      h.us.returns.rejectReturn(id, { decision: 'REJECT_RETURN', reject_reason: 'because' }),
    ).rejects.toMatchObject({ code: 'tiktok_invalid_param', details: { param: 'reject_reason' } });
    await expect(h.us.returns.rejectReasons('403000000000000000')).rejects.toMatchObject({
      code: 'tiktok_api_error',
      message: expect.stringMatching(/return or cancellation 403000000000000000 does not exist/),
    });
    // Another shop's return is as unknown as no return at all.
    await expect(h.gb.returns.rejectReasons(id)).rejects.toMatchObject({ code: 'tiktok_api_error' });

    await h.admin('PUT', '/settings', {
      business: { rejectReasons: [{ name: 'seller_custom_reason', text: 'Custom' }] },
    });
    try {
      const placed = await h.admin<{ order_id: string }>('POST', '/orders', {
        shop_id: shopId,
        lines: [{ seller_sku: 'BULB', quantity: 1 }],
      });
      h.sandbox.advance(HOUR);
      const c = await h.admin<{ cancel_id: string }>('POST', `/orders/${placed.order_id}/cancel`, {
        by: 'BUYER',
      });
      expect((await h.us.returns.rejectReasons(c.cancel_id)).reasons).toEqual([
        { name: 'seller_custom_reason', text: 'Custom' },
      ]);
      await expect(
        h.us.returns.rejectCancellation(c.cancel_id, {
          reject_reason: 'seller_reject_apply_product_has_been_packed',
        }),
      ).rejects.toMatchObject({ details: { param: 'reject_reason' } });
      await h.us.returns.rejectCancellation(c.cancel_id, { reject_reason: 'seller_custom_reason' });
      await h.us.returns.rejectReturn(id, {
        decision: 'REJECT_RETURN',
        reject_reason: 'seller_custom_reason',
      });
      expect((await ret(id)).return_status).toBe('REFUND_OR_RETURN_REQUEST_REJECT');
    } finally {
      await h.admin('PUT', '/settings', { business: { rejectReasons: defaults } });
    }
  });

  it('a replacement refunds nothing; a replacement the seller cannot send is refunded in full', async () => {
    const o = await delivered();
    const id = await openReturn(o.order_id, { return_type: 'REPLACEMENT' });
    expect(await ret(id)).toMatchObject({
      return_type: 'REPLACEMENT',
      return_status: 'REPLACEMENT_REQUEST_PENDING',
      seller_next_action_response: [{ action: 'SELLER_RESPOND_REPLACEMENT' }],
      refund_amount: { refund_total: '0.00' },
    });
    await h.us.returns.approveReturn(id, { decision: 'APPROVE_REPLACEMENT' });
    expect(await ret(id)).toMatchObject({
      return_status: 'REPLACEMENT_REQUEST_COMPLETE',
      refund_amount: { refund_total: '0.00' },
    });
    // Nothing was refunded, so the same line can still be returned.
    const again = await openReturn(o.order_id, { return_type: 'REFUND' });
    expect((await ret(again)).refund_amount?.refund_total).toBe('26.58');

    const other = await delivered();
    const r2 = await openReturn(other.order_id, { return_type: 'REPLACEMENT' });
    await h.us.returns.approveReturn(r2, { decision: 'ISSUE_REPLACEMENT_REFUND' });
    expect(await ret(r2)).toMatchObject({
      return_status: 'REPLACEMENT_REQUEST_REFUND_SUCCESS',
      refund_amount: { refund_total: '26.58', refund_shipping_fee: '4.99' },
    });
  });
});

describe('settlement of refunded orders', () => {
  it("books each refund's figures on the order's statement transaction, and the identity still holds", async () => {
    const whole = await delivered();
    const w = await openReturn(whole.order_id, { return_type: 'REFUND' });
    await h.us.returns.approveReturn(w, { decision: 'APPROVE_REFUND' });
    const part = await delivered([{ seller_sku: 'BULB', quantity: 2 }], '1.00');
    const p = await openReturn(part.order_id, { return_type: 'REFUND', amount: '2.00' });
    await h.us.returns.approveReturn(p, { decision: 'APPROVE_REFUND' });
    h.sandbox.advance(8 * DAY);
    for (const [orderId, returnId] of [
      [whole.order_id, w],
      [part.order_id, p],
    ] as const) {
      const refund = (await ret(returnId)).refund_amount!;
      const [tx] = (await h.us.finance.orderTransactions(orderId)).statement_transactions;
      expect(tx, orderId).toBeDefined();
      expect(cents(tx!.customer_refund_amount)).toBe(-cents(refund.refund_total));
      expect(cents(tx!.sales_tax_refund_amount)).toBe(-cents(refund.refund_tax));
      expect(cents(tx!.customer_paid_shipping_fee_refund_amount)).toBe(-cents(refund.refund_shipping_fee));
      expect(cents(tx!.settlement_amount)).toBe(
        cents(tx!.net_sales_amount) + cents(tx!.shipping_cost_amount) + cents(tx!.fee_amount),
      );
    }
    const [wt] = (await h.us.finance.orderTransactions(whole.order_id)).statement_transactions;
    // Wholly refunded: no sales left, the shipping paid went back, only fees remain.
    expect(wt).toMatchObject({ net_sales_amount: '0.00', customer_paid_shipping_fee_refund_amount: '-4.99' });
    expect(cents(wt!.shipping_cost_amount)).toBe(0n);
    const [pt] = (await h.us.finance.orderTransactions(part.order_id)).statement_transactions;
    const pr = (await ret(p)).refund_amount!;
    expect(cents(pt!.gross_sales_refund_amount)).toBe(-cents(pr.refund_subtotal));
    expect(cents(pt!.net_sales_amount)).toBe(670n - cents(pr.refund_subtotal));
  });
});
