/**
 * Returns, refunds and cancellations (reference §7) through the real client against the sandbox
 * over HTTP. The refund figures are what a credit memo is built from, so every check here is to
 * the cent: refund_total = the five parts, on the request and on each line, and the lines add up
 * to the request part by part.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMoney } from '../../../shared/money.ts';
import { type Harness, startSandboxWithClient } from '../testing.ts';
import type { Order } from '../wire/orders.ts';
import type { RefundAmount, Return } from '../wire/returns.ts';

let h: Harness;
let shopId: string;
let providerId: string;
const HOUR = 3600;
const cents = (v: string | undefined) => parseMoney(v, 'USD').minor;
const PARTS = [
  'refund_subtotal',
  'refund_shipping_fee',
  'refund_tax',
  'retail_delivery_fee',
  'buyer_service_fee',
] as const;

beforeAll(async () => {
  h = await startSandboxWithClient({ seed: 61, startTime: Date.UTC(2026, 2, 2, 9) });
  shopId = h.creds.shops[0]!.id;
  await h.admin('POST', '/products', {
    shop_id: shopId,
    title: 'Mug',
    skus: [
      { seller_sku: 'MUG', price: '12.99', quantity: 500 },
      { seller_sku: 'PLATE', price: '7.33', quantity: 500 },
    ],
  });
  const [opt] = await h.us.logistics.deliveryOptions(h.creds.shops[0]!.warehouse_id);
  providerId = (await h.us.logistics.shippingProviders(opt!.id))[0]!.id;
});
afterAll(() => h.close());

/** Mug + plate, shipping 5.99, both discounts: every part of a refund is non-zero. */
const MIXED = {
  lines: [
    { seller_sku: 'MUG', quantity: 1 },
    { seller_sku: 'PLATE', quantity: 1 },
  ],
  shipping_fee: '5.99',
  seller_discount: '1.00',
  platform_discount: '0.50',
};

async function place(body: Record<string, unknown> = MIXED) {
  return h.admin<{ order_id: string; line_item_ids: string[] }>('POST', '/orders', {
    shop_id: shopId,
    ...body,
  });
}

async function delivered(body: Record<string, unknown> = MIXED) {
  const o = await place(body);
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

async function order(id: string): Promise<Order> {
  return (await h.us.orders.getDetails([id]))[0]!;
}

function expectConsistent(
  total: RefundAmount | undefined,
  lines: Array<{ refund_amount?: RefundAmount | undefined }>,
): void {
  const sumParts = (r: RefundAmount) => PARTS.reduce((a, k) => a + cents(r[k]), 0n);
  expect(cents(total!.refund_total)).toBe(sumParts(total!));
  for (const l of lines) expect(cents(l.refund_amount!.refund_total)).toBe(sumParts(l.refund_amount!));
  for (const k of [...PARTS, 'refund_total'] as const)
    expect(
      lines.reduce((a, l) => a + cents(l.refund_amount![k]), 0n),
      k,
    ).toBe(cents(total![k]));
}

/** A line's goods (sale_price) and tax as the order shows them. */
function lineFigures(o: Order, lineId: string) {
  const l = o.line_items.find((x) => x.id === lineId)!;
  return { goods: cents(l.sale_price), tax: cents(l.item_tax?.[0]?.tax_amount) };
}

describe('refund breakdown', () => {
  it('a return of the whole order refunds goods, tax and shipping: the order total to the cent', async () => {
    const o = await delivered();
    const id = await openReturn(o.order_id, { return_type: 'REFUND' });
    const r = await ret(id);
    const p = (await order(o.order_id)).payment;
    expect(r.refund_amount).toMatchObject({
      currency: 'USD',
      refund_total: p.total_amount,
      refund_subtotal: p.sub_total,
      refund_shipping_fee: '5.99',
      refund_tax: p.tax,
    });
    expectConsistent(r.refund_amount, r.return_line_items);
    // The order-level part sits on the first line.
    expect(r.return_line_items.map((l) => l.refund_amount?.refund_shipping_fee)).toEqual(['5.99', '0.00']);
    await h.us.returns.approveReturn(id, { decision: 'APPROVE_REFUND' });
    expect((await ret(id)).refund_amount).toEqual(r.refund_amount);
  });

  it('only the request that refunds the rest of the order carries the shipping; closed figures are frozen', async () => {
    const o = await delivered();
    const [mug, plate] = o.line_item_ids as [string, string];
    const a = await openReturn(o.order_id, { return_type: 'REFUND', line_item_ids: [mug] });
    const b = await openReturn(o.order_id, { return_type: 'REFUND', line_item_ids: [plate] });
    const before = await order(o.order_id);
    const m = lineFigures(before, mug);
    expect((await ret(a)).refund_amount).toMatchObject({ refund_shipping_fee: '0.00' });
    expect(cents((await ret(a)).refund_amount?.refund_total)).toBe(m.goods + m.tax);
    expect((await ret(b)).refund_amount?.refund_shipping_fee).toBe('0.00');
    await h.us.returns.approveReturn(a, { decision: 'APPROVE_REFUND' });
    // With the mug refunded, the plate's request now refunds the rest of the order.
    expect((await ret(b)).refund_amount?.refund_shipping_fee).toBe('5.99');
    await h.us.returns.approveReturn(b, { decision: 'APPROVE_REFUND' });
    const [ra, rb] = [await ret(a), await ret(b)];
    expectConsistent(ra.refund_amount, ra.return_line_items);
    expectConsistent(rb.refund_amount, rb.return_line_items);
    expect(cents(ra.refund_amount?.refund_total) + cents(rb.refund_amount?.refund_total)).toBe(
      cents(before.payment.total_amount),
    );
    // A later change of the rule does not touch a completed refund.
    await h.admin('PUT', '/settings', { business: { refundShippingOnFullRefund: false } });
    try {
      expect((await ret(b)).refund_amount).toEqual(rb.refund_amount);
      const other = await delivered();
      const c = await openReturn(other.order_id, { return_type: 'REFUND' });
      expect((await ret(c)).refund_amount?.refund_shipping_fee).toBe('0.00');
    } finally {
      await h.admin('PUT', '/settings', { business: { refundShippingOnFullRefund: true } });
    }
  });

  it('cancellations: a partial one refunds its lines, the one cancelling the rest adds the shipping', async () => {
    const o = await place({ lines: [{ seller_sku: 'MUG', quantity: 2 }], shipping_fee: '4.00' });
    h.sandbox.advance(HOUR);
    const total = cents((await order(o.order_id)).payment.total_amount);
    const first = await h.us.returns.cancelOrder({
      order_id: o.order_id,
      cancel_reason: 'seller_cancel_out_of_stock',
      order_line_item_ids: [o.line_item_ids[0]!],
    });
    const c1 = (await h.us.returns.getCancellation(first.cancel_id))!;
    expect(c1.refund_amount).toMatchObject({ refund_total: '14.03', refund_shipping_fee: '0.00' });
    expectConsistent(c1.refund_amount, c1.cancel_line_items);
    const rest = await h.admin<{ cancel_id: string }>('POST', `/orders/${o.order_id}/cancel`, {
      by: 'BUYER',
    });
    const pending = (await h.us.returns.getCancellation(rest.cancel_id))!;
    expect(pending).toMatchObject({ cancel_status: 'CANCELLATION_REQUEST_PENDING' });
    expect(pending.refund_amount).toMatchObject({ refund_total: '18.03', refund_shipping_fee: '4.00' });
    await h.us.returns.approveCancellation(rest.cancel_id);
    const c2 = (await h.us.returns.getCancellation(rest.cancel_id))!;
    expect(c2.refund_amount).toEqual(pending.refund_amount);
    expectConsistent(c2.refund_amount, c2.cancel_line_items);
    expect(cents(c1.refund_amount?.refund_total) + cents(c2.refund_amount?.refund_total)).toBe(total);
    expect((await order(o.order_id)).status).toBe('CANCELLED');
  });
});

describe('partial refunds', () => {
  /** The split the sandbox promises: tax in the lines' ratio, rounded down, the rest subtotal. */
  function split(amount: bigint, goods: bigint, tax: bigint) {
    const t = (amount * tax) / (goods + tax);
    return { subtotal: amount - t, tax: t };
  }

  it('the seller offers a partial refund; the buyer declines, then accepts a second offer', async () => {
    const o = await delivered();
    const id = await openReturn(o.order_id);
    const od = await order(o.order_id);
    const goods = cents(od.payment.sub_total);
    const tax = cents(od.payment.tax);
    await h.us.returns.approveReturn(id, {
      decision: 'OFFER_PARTIAL_REFUND',
      partial_refund: { amount: '5.00', currency: 'USD' },
    });
    const offered = await ret(id);
    expect(offered).toMatchObject({
      return_status: 'AWAITING_BUYER_RESPONSE',
      partial_refund: { amount: '5.00', currency: 'USD' },
      seller_proposed_return_type: 'PARTIAL_REFUND',
      seller_next_action_response: [],
    });
    h.sandbox.advance(600);
    await h.admin('POST', `/returns/${id}/offer_response`, { accept: false });
    const declined = await ret(id);
    expect(declined).toMatchObject({
      return_status: 'RETURN_OR_REFUND_REQUEST_PENDING',
      partial_refund: { amount: '0.00' },
    });
    expect(declined.seller_next_action_response).toEqual([
      { action: 'SELLER_RESPOND_RETURN', deadline: declined.update_time + 172_800 },
    ]);
    await h.us.returns.approveReturn(id, {
      decision: 'OFFER_PARTIAL_REFUND',
      partial_refund: { amount: '7.51', currency: 'USD' },
    });
    await h.admin('POST', `/returns/${id}/offer_response`, { accept: true });
    const done = await ret(id);
    const want = split(751n, goods, tax);
    expect(done.return_status).toBe('RETURN_OR_REFUND_REQUEST_COMPLETE');
    expect(done.refund_amount).toMatchObject({ refund_total: '7.51', refund_shipping_fee: '0.00' });
    expect(cents(done.refund_amount?.refund_subtotal)).toBe(want.subtotal);
    expect(cents(done.refund_amount?.refund_tax)).toBe(want.tax);
    expectConsistent(done.refund_amount, done.return_line_items);
  });

  it('a buyer asks for part of a refund only; the figures split between goods and tax', async () => {
    const o = await delivered({ lines: [{ seller_sku: 'MUG', quantity: 3 }], shipping_fee: '2.00' });
    const id = await openReturn(o.order_id, { return_type: 'REFUND', amount: '10.00' });
    const r = await ret(id);
    // Three mugs: goods 38.97, tax 3.12.
    const want = split(1000n, 3897n, 312n);
    expect(r.partial_refund).toEqual({ amount: '10.00', currency: 'USD' });
    expect(cents(r.refund_amount?.refund_subtotal)).toBe(want.subtotal);
    expect(cents(r.refund_amount?.refund_tax)).toBe(want.tax);
    expectConsistent(r.refund_amount, r.return_line_items);
    await h.us.returns.approveReturn(id, { decision: 'APPROVE_REFUND' });
    expect((await ret(id)).refund_amount).toEqual(r.refund_amount);
  });

  it('refuses an amount that is not above 0, above the goods and tax, or in another currency, naming the field', async () => {
    const o = await delivered();
    const id = await openReturn(o.order_id);
    const p = (await order(o.order_id)).payment;
    // The most a partial refund may be: the lines' goods and tax (shipping is never part of it).
    const most = cents(p.sub_total) + cents(p.tax);
    const usd = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
    const offer = (amount: string, currency = 'USD') =>
      h.us.returns.approveReturn(id, {
        decision: 'OFFER_PARTIAL_REFUND',
        partial_refund: { amount, currency },
      });
    for (const amount of ['0', '0.00', '-1.00', usd(most + 1n), '1000000000000000000000', '5.001', '1e3'])
      await expect(offer(amount), amount).rejects.toMatchObject({
        code: 'tiktok_invalid_param',
        details: { tiktokCode: 36009004, param: 'partial_refund.amount' },
      });
    await expect(offer('5.00', 'GBP')).rejects.toMatchObject({
      details: { param: 'partial_refund.currency' },
    });
    await expect(h.us.returns.approveReturn(id, { decision: 'OFFER_PARTIAL_REFUND' })).rejects.toMatchObject({
      details: { param: 'partial_refund' },
    });
    await expect(
      h.us.returns.approveReturn(id, {
        decision: 'APPROVE_RETURN',
        partial_refund: { amount: '5.00', currency: 'USD' },
      }),
    ).rejects.toMatchObject({ details: { param: 'partial_refund' } });
    expect((await ret(id)).return_status).toBe('RETURN_OR_REFUND_REQUEST_PENDING');
    await offer(usd(most));
    expect((await ret(id)).refund_amount?.refund_total).toBe(usd(most));
  });
});
