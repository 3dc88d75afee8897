/**
 * Issue 13 "Stock": returned goods received in NetSuite reach TikTok through the stock push (the
 * release of cancelled units is proven with the reservations, test/inventory.test.ts). Both sandboxes, TikSuite's runtime with the stock
 * push, the fulfillment push and the aftersale flows on; TikTok's listed quantity is read from its
 * sandbox's state.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_AFTERSALE, DEMO_FULFILLMENT } from '../src/main/demo/demo-env.ts';
import { waitFor } from './support/proc.ts';
import { type StockWorld, startStockWorld } from './support/stock.ts';

let w: StockWorld;
beforeAll(async () => {
  w = await startStockWorld(
    'returns-stock',
    {},
    {
      fulfillment: {
        ...DEMO_FULFILLMENT,
        pollIntervalSeconds: 0.25,
        overlapSeconds: 2,
        defaultCarrier: 'USPS',
      },
      aftersale: { ...DEMO_AFTERSALE, pollIntervalSeconds: 0.25, overlapSeconds: 5 },
    },
  );
});
afterAll(async () => {
  await w?.close();
});

const tt = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${w.demo.tiktok.url}/_sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

it('a returned parcel received into stock raises what TikTok lists', async () => {
  await w.addSku('RET-STOCK', { austin: 10, listed: 10 });
  await w.waitListed('RET-STOCK', (q) => q === 10);
  const orderId = (await w.buy('RET-STOCK', 3))!;
  await w.demo.tiktok.advance(3601);
  const ns = w.demo.rt.orders!.services.netsuite;
  const so = await waitFor(
    () => ns.records.findByExternalId('salesOrder', `tiktok-${w.us.id}-${orderId}`),
    (r) => r !== undefined,
  );
  const rec = await ns.records.get('salesOrder', so!.id);
  const items = (rec.item?.items ?? []).map((l) =>
    l.item?.refName === 'RET-STOCK' ? { orderLine: l.line } : { orderLine: l.line, itemReceive: false },
  );
  await ns.records.transform('salesOrder', so!.id, 'itemFulfillment', {
    shipStatus: { id: 'C' },
    item: { items },
    package: { items: [{ packageTrackingNumber: '1Z999AA10123450001' }] },
  });
  const status = () => w.demo.tiktok.ctx.state.orders.get(orderId)!.status;
  await waitFor(
    async () => status(),
    (s) => s === 'IN_TRANSIT' || s === 'AWAITING_COLLECTION',
  );
  if (status() === 'AWAITING_COLLECTION') await tt('POST', `/orders/${orderId}/collect`);
  await tt('POST', `/orders/${orderId}/deliver`);
  await w.waitListed('RET-STOCK', (q) => q === 7);

  const order = await tt<{ line_items: Array<{ id: string }> }>('GET', `/orders/${orderId}`);
  const { return_id } = await tt<{ return_id: string }>('POST', `/orders/${orderId}/return`, {
    line_item_ids: order.line_items.slice(0, 2).map((l) => l.id),
    return_type: 'RETURN_AND_REFUND',
  });
  const api = await w.demo.rt.orders!.services.shops.api(w.us.id);
  await api.returns.approveReturn(return_id, { decision: 'APPROVE_RETURN' });
  await tt('POST', `/returns/${return_id}/ship`, {});
  await waitFor(
    async () => (await api.returns.getReturn(return_id))?.return_status,
    (s) => s === 'BUYER_SHIPPED_ITEM',
  );
  await api.returns.approveReturn(return_id, { decision: 'APPROVE_RECEIVED_PACKAGE' });
  // The two units are received at Austin (the sales order line's location) and pushed to TikTok.
  expect(await w.waitListed('RET-STOCK', (q) => q === 9)).toBe(9);
});
