/**
 * Cancellations after import, end to end over both sandboxes (docs/orders.md "Cancellations"):
 * NetSuite fulfils part of a sales order through the client's !transform, TikTok cancels units
 * through its sandbox's admin API, and the import closes or reduces exactly the lines concerned,
 * refuses units the warehouse shipped (an error record), and still refuses any other change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OrdersWorld, startOrdersWorld } from './support/orders.ts';
import { waitFor } from './support/proc.ts';

let w: OrdersWorld;
beforeAll(async () => {
  w = await startOrdersWorld('orders-cancel');
});
afterAll(async () => {
  await w?.close();
});

const netsuite = () => {
  const ns = w.demo.rt.orders?.services.netsuite;
  if (!ns) throw new Error('the order flows are not configured');
  return ns;
};

interface Line {
  line: number;
  item: string;
  quantity: number;
  fulfilled: number;
  amount: string;
  isClosed: boolean;
}

/** The sales order as NetSuite's REST API shows it (status and lines). */
async function salesOrder(soId: string): Promise<{ status: string; lines: Line[] }> {
  const so = await netsuite().records.get('salesOrder', soId);
  const lines = (so.item?.items ?? []).map((l) => ({
    line: l.line ?? 0,
    item: l.item?.refName ?? '',
    quantity: l.quantity ?? 0,
    fulfilled: l.quantityFulfilled ?? 0,
    amount: l.amount ?? '',
    isClosed: l.isClosed ?? false,
  }));
  return { status: so.status?.id ?? '', lines };
}

/** Imports an order (the hold ended) and returns its sales order id. */
async function imported(body: Record<string, unknown>): Promise<{ id: string; soId: string }> {
  const id = await w.placeOrder(body);
  w.demo.tiktok.advance(3601);
  return { id, soId: (await w.waitForSalesOrder(id)).id };
}

/** Ships `quantities` (by sales order line; the other open lines are left out) in one fulfillment. */
async function fulfil(soId: string, quantities: Record<number, number>): Promise<void> {
  const { lines } = await salesOrder(soId);
  const items = lines
    .filter((l) => !l.isClosed && l.quantity > l.fulfilled)
    .map((l) =>
      quantities[l.line]
        ? { orderLine: l.line, quantity: quantities[l.line] }
        : { orderLine: l.line, itemReceive: false },
    );
  await netsuite().records.transform('salesOrder', soId, 'itemFulfillment', { item: { items } });
}

/** Cancels `count` units of a SKU (all of them when omitted) as the seller, in TikTok. */
async function cancel(orderId: string, sku: string, count?: number): Promise<void> {
  const order = await w.tt<{ line_items: Array<{ id: string; seller_sku: string; display_status: string }> }>(
    'GET',
    `/orders/${orderId}`,
  );
  const ids = order.line_items
    .filter((l) => l.seller_sku === sku && l.display_status !== 'CANCELLED')
    .map((l) => l.id)
    .slice(0, count);
  await w.tt('POST', `/orders/${orderId}/cancel`, { by: 'SELLER', line_item_ids: ids });
}

const syncRow = (orderId: string) =>
  w.demo.rt.stores.db.selectFrom('order_sync').selectAll().where('order_id', '=', orderId).executeTakeFirst();

/** Waits until a new version of the order was applied (its hash moved) and returns the action. */
async function nextApplied(orderId: string, before: string | null | undefined): Promise<string | null> {
  const row = await waitFor(
    () => syncRow(orderId),
    (r) => r !== undefined && r.applied_hash !== before && r.lease_owner === null,
    undefined,
    50,
  );
  return row!.action;
}

const openError = (orderId: string) =>
  waitFor(
    async () =>
      (await w.demo.rt.stores.errors.list({ status: 'open' })).find((e) =>
        e.recordKey?.endsWith(`:${orderId}`),
      ),
    (e) => e !== undefined,
    undefined,
    100,
  );

/** Units NetSuite holds committed for a SKU at Austin DC (the demo's US location). */
async function committed(sku: string): Promise<number> {
  const item = await netsuite().records.get('inventoryItem', { externalId: `SKU-${sku}` });
  return item.locations?.items?.find((l) => l.location?.refName === 'Austin DC')?.quantityCommitted ?? 0;
}

const brief = (lines: Line[]) => lines.map((l) => [l.item, l.quantity, l.amount, l.isClosed]);

describe('cancellations on a sales order NetSuite has started to fulfil', () => {
  it('closes a line whose remaining units are all cancelled, with its discount line', async () => {
    const { id, soId } = await imported({
      lines: [
        { seller_sku: 'LIVE-HOODIE-BLK', quantity: 1 },
        { seller_sku: 'LIVE-CAP-RED', quantity: 2 },
      ],
      seller_discount: '2.00',
    });
    // Lines: 1 hoodie, 2 its discount, 3 caps, 4 their discount. The hoodie ships.
    expect(brief((await salesOrder(soId)).lines).map((l) => l[0])).toEqual([
      'LIVE-HOODIE-BLK',
      'Seller discount',
      'LIVE-CAP-RED',
      'Seller discount',
    ]);
    await fulfil(soId, { 1: 1, 2: 1 });
    const caps = await committed('LIVE-CAP-RED');
    const before = (await syncRow(id))?.applied_hash;
    await cancel(id, 'LIVE-CAP-RED');
    expect(await nextApplied(id, before)).toBe('lines_cancelled');
    const so = await salesOrder(soId);
    expect(so.lines.map((l) => [l.line, l.isClosed])).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [4, true],
    ]);
    expect(so.lines[2]).toMatchObject({ quantity: 2, fulfilled: 0 });
    // Every open line fulfilled, the rest closed: NetSuite waits for billing (status F).
    expect(so.status).toBe('F');
    expect(await committed('LIVE-CAP-RED'), 'the reservation is released').toBe(caps - 2);
  });

  it('reduces a line by fewer cancelled units than remain, once even when the answer is lost', async () => {
    const { id, soId } = await imported({
      lines: [{ seller_sku: 'LIVE-HOODIE-BLK', quantity: 3 }],
      seller_discount: '1.00',
    });
    await fulfil(soId, { 1: 1, 2: 1 });
    expect(brief((await salesOrder(soId)).lines)).toEqual([
      ['LIVE-HOODIE-BLK', 3, '117', false],
      ['Seller discount', 1, '-1', false],
    ]);
    // NetSuite saves the PATCH but its answer is lost: the retry finds nothing left to change.
    await w.ns('PATCH', '/settings', { faults: { dropAfterCommitNext: 1 } });
    let before = (await syncRow(id))?.applied_hash;
    await cancel(id, 'LIVE-HOODIE-BLK', 1);
    expect(await nextApplied(id, before)).toBe('unchanged');
    let so = await salesOrder(soId);
    expect(brief(so.lines)).toEqual([
      ['LIVE-HOODIE-BLK', 2, '78', false],
      ['Seller discount', 1, '-0.67', false],
    ]);
    expect(so.status).toBe('D');
    // The last unfulfilled unit too: the line keeps its fulfilled unit, still to be billed.
    before = (await syncRow(id))?.applied_hash;
    await cancel(id, 'LIVE-HOODIE-BLK', 1);
    expect(await nextApplied(id, before)).toBe('lines_cancelled');
    so = await salesOrder(soId);
    expect(brief(so.lines)).toEqual([
      ['LIVE-HOODIE-BLK', 1, '39', false],
      ['Seller discount', 1, '-0.34', false],
    ]);
    expect(so.lines[0]?.fulfilled).toBe(1);
    expect(so.status).toBe('F');
  });

  it('leaves a sales order alone when TikTok cancels a unit NetSuite fulfilled: an error record', async () => {
    const { id, soId } = await imported({ lines: [{ seller_sku: 'LIVE-MUG-GLOW', quantity: 1 }] });
    await fulfil(soId, { 1: 1 });
    const before = await salesOrder(soId);
    expect(before.status).toBe('F');
    await cancel(id, 'LIVE-MUG-GLOW');
    const err = await openError(id);
    expect(err).toMatchObject({ code: 'order_cancel_after_fulfillment', errorClass: 'conflict' });
    expect(err?.message).toContain(`TikTok order ${id} cancelled 1 unit of SKU "LIVE-MUG-GLOW"`);
    expect(err?.message).toContain(`NetSuite sales order ${soId} already fulfilled`);
    expect(err?.message).toMatch(/return authorization.*then resolve this error/);
    expect(await salesOrder(soId)).toEqual(before);
  });

  it('closes the cancelled lines it can and refuses only the shipped one', async () => {
    const { id, soId } = await imported({
      lines: [
        { seller_sku: 'LIVE-MUG-GLOW', quantity: 1 },
        { seller_sku: 'LIVE-CAP-RED', quantity: 2 },
      ],
    });
    await fulfil(soId, { 1: 1 });
    await w.tt('POST', `/orders/${id}/cancel`, { by: 'SELLER' });
    const err = await openError(id);
    expect(err?.code).toBe('order_cancel_after_fulfillment');
    expect(err?.details).toMatchObject({ lines: [{ sku: 'LIVE-MUG-GLOW', line: 1, cancelled: 1 }] });
    const so = await salesOrder(soId);
    expect(so.lines.map((l) => [l.item, l.quantity, l.fulfilled, l.isClosed])).toEqual([
      ['LIVE-MUG-GLOW', 1, 1, false],
      ['LIVE-CAP-RED', 2, 0, true],
    ]);
  });

  it('still refuses any other change, e.g. a new address', async () => {
    const { id, soId } = await imported({
      lines: [
        { seller_sku: 'LIVE-MUG-GLOW', quantity: 1 },
        { seller_sku: 'LIVE-CAP-RED', quantity: 1 },
      ],
    });
    await fulfil(soId, { 1: 1 });
    const before = await salesOrder(soId);
    const zip = w.salesOrder(id)?.shipZip;
    await w.tt('POST', `/orders/${id}/address`, {
      address_line1: '350 5th Ave',
      city: 'New York',
      state: 'New York',
      postal_code: '10118',
    });
    const err = await openError(id);
    expect(err).toMatchObject({ code: 'order_fulfilled_in_netsuite', errorClass: 'conflict' });
    expect(err?.message).toMatch(/left it unchanged/);
    expect(w.salesOrder(id)?.shipZip).toBe(zip);
    expect(await salesOrder(soId)).toEqual(before);
  });
});

describe('cancellations on a sales order nothing of which was fulfilled', () => {
  it('closes every line of a wholly cancelled order, so the sales order is Closed', async () => {
    const { id, soId } = await imported({
      lines: [
        { seller_sku: 'LIVE-CAP-RED', quantity: 1 },
        { seller_sku: 'LIVE-MUG-GLOW', quantity: 2 },
      ],
      seller_discount: '1.00',
      platform_discount: '0.50',
    });
    const open = await salesOrder(soId);
    // Caps, their discount, mugs, their discount, the TikTok-funded receivable.
    expect(open.lines).toHaveLength(5);
    const [caps, mugs] = [await committed('LIVE-CAP-RED'), await committed('LIVE-MUG-GLOW')];
    const before = (await syncRow(id))?.applied_hash;
    await w.tt('POST', `/orders/${id}/cancel`, { by: 'SELLER' });
    expect(await nextApplied(id, before)).toBe('updated');
    const so = await salesOrder(soId);
    expect(so.lines.every((l) => l.isClosed)).toBe(true);
    expect(so.status).toBe('H');
    expect([await committed('LIVE-CAP-RED'), await committed('LIVE-MUG-GLOW')]).toEqual([caps - 1, mugs - 2]);
  });
});
