/**
 * Issue 5's remaining "prove it" cases, end to end over real HTTP: routing rules, the per-buyer
 * customer strategy, and the inactive-item and NetSuite-validation error records, each retried
 * after the fix in NetSuite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryError } from '../src/flows/index.ts';
import { DEMO_MAPPINGS } from '../src/main/demo/demo-env.ts';
import { type OrdersWorld, startOrdersWorld } from './support/orders.ts';
import { waitFor } from './support/proc.ts';

const endHold = (w: OrdersWorld) => w.demo.tiktok.advance(3601);
const netsuite = (w: OrdersWorld) => {
  const ns = w.demo.rt.orders?.services.netsuite;
  if (!ns) throw new Error('the order flows are not configured');
  return ns;
};
/** The raw sandbox record of a sales order (body refs by internal id). */
const soBody = (w: OrdersWorld, orderId: string, shopId = w.us.id) => {
  const store = w.demo.netsuite.state.engine.store;
  const so = w.salesOrder(orderId, shopId);
  return so ? store.get(so.id)?.body : undefined;
};
const internalId = (w: OrdersWorld, type: 'location' | 'subsidiary' | 'customer', eid: string) =>
  w.demo.netsuite.state.engine.store.byExternalId(type, eid)?.id;
const refId = (v: unknown) => (v && typeof v === 'object' && 'id' in v ? String(v.id) : undefined);
const openErrorFor = (w: OrdersWorld, orderId: string) =>
  waitFor(
    async () =>
      (await w.demo.rt.stores.errors.list({ status: 'open' })).find((e) =>
        e.recordKey?.endsWith(`:${orderId}`),
      ),
    (e) => e !== undefined,
    undefined,
    100,
  );

describe('routing rules and error records', () => {
  let w: OrdersWorld;
  beforeAll(async () => {
    w = await startOrdersWorld('orders-routing', {
      mappings: {
        ...DEMO_MAPPINGS,
        routing: {
          rules: [
            {
              name: 'totes from the pop-up store',
              when: { skuPattern: 'LIVE-TOTE-*' },
              set: { location: { externalId: 'LOC-POPUP' } },
            },
            {
              name: 'big US orders ship from Reno',
              when: { regions: ['US'], minTotal: '100.00' },
              set: { subsidiary: { externalId: 'SUB-US' }, location: { externalId: 'LOC-RNO' } },
            },
            ...DEMO_MAPPINGS.routing.rules,
          ],
          default: DEMO_MAPPINGS.routing.default,
        },
      },
    });
    // A location booked to the wrong subsidiary: NetSuite refuses US orders there until it is fixed.
    await w.ns('POST', '/seed', {
      locations: [{ externalId: 'LOC-POPUP', name: 'Pop-up store', subsidiary: { externalId: 'SUB-UK' } }],
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('the first matching rule sets subsidiary and location; the default takes the rest', async () => {
    const gb = w.demo.shops.find((s) => s.region === 'GB')!;
    const small = await w.placeOrder({ lines: [{ seller_sku: 'LIVE-MUG-GLOW', quantity: 1 }] });
    const big = await w.placeOrder({ lines: [{ seller_sku: 'LIVE-HOODIE-BLK', quantity: 3 }] });
    const uk = await w.placeOrder({ lines: [{ seller_sku: 'LIVE-SCARF-UK', quantity: 1 }] }, gb.id);
    endHold(w);
    await w.waitForSalesOrder(small);
    await w.waitForSalesOrder(big);
    await waitFor(
      async () => w.salesOrder(uk, gb.id),
      (so) => so !== undefined,
      undefined,
      50,
    );
    expect(refId(soBody(w, small)?.location)).toBe(internalId(w, 'location', 'LOC-AUS'));
    expect(refId(soBody(w, big)?.location)).toBe(internalId(w, 'location', 'LOC-RNO'));
    expect(refId(soBody(w, uk, gb.id)?.location)).toBe(internalId(w, 'location', 'LOC-LON'));
    expect(refId(soBody(w, uk, gb.id)?.subsidiary)).toBe(internalId(w, 'subsidiary', 'SUB-UK'));
  });

  it('a NetSuite validation error becomes an error record; fixed in NetSuite, errors retry imports it', async () => {
    const id = await w.placeOrder({ lines: [{ seller_sku: 'LIVE-TOTE-SAND', quantity: 1 }] });
    endHold(w);
    const err = await openErrorFor(w, id);
    expect(err?.errorClass).toBe('validation');
    expect(err?.message).toMatch(/subsidiary/i);
    expect(w.salesOrder(id)).toBeUndefined();
    await netsuite(w).records.update(
      'location',
      { externalId: 'LOC-POPUP' },
      { subsidiary: { externalId: 'SUB-US' } },
    );
    await retryError({ stores: w.demo.rt.stores, engine: w.demo.rt.engine }, err!.id);
    await w.waitForSalesOrder(id);
    expect(refId(soBody(w, id)?.location)).toBe(internalId(w, 'location', 'LOC-POPUP'));
  });

  it('an inactive item becomes an error record naming the fix; reactivated, errors retry imports it', async () => {
    const cap = { externalId: 'SKU-LIVE-CAP-RED' };
    await netsuite(w).records.update('inventoryItem', cap, { isInactive: true });
    const id = await w.placeOrder({ lines: [{ seller_sku: 'LIVE-CAP-RED', quantity: 2 }] });
    endHold(w);
    const err = await openErrorFor(w, id);
    expect(err).toMatchObject({ code: 'mapping_inactive_item', errorClass: 'mapping' });
    expect(err?.message).toMatch(/LIVE-CAP-RED.*reactivate/);
    await netsuite(w).records.update('inventoryItem', cap, { isInactive: false });
    await retryError({ stores: w.demo.rt.stores, engine: w.demo.rt.engine }, err!.id);
    const so = await w.waitForSalesOrder(id);
    expect(so.lines.find((l) => l.quantity === 2)).toBeDefined();
  });
});

describe('customer per buyer', () => {
  let w: OrdersWorld;
  beforeAll(async () => {
    w = await startOrdersWorld('orders-per-buyer', {
      mappings: { ...DEMO_MAPPINGS, customer: { strategy: 'per_buyer', matchBy: 'buyer_id' } },
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('upserts one customer per TikTok buyer by external id and books each order to its buyer', async () => {
    const mug = [{ seller_sku: 'LIVE-MUG-GLOW', quantity: 1 }];
    const a1 = await w.placeOrder({ lines: mug, buyer: { user_id: 'buyer-ann', name: 'Ann Lee' } });
    const a2 = await w.placeOrder({ lines: mug, buyer: { user_id: 'buyer-ann', name: 'Ann Lee' } });
    const b1 = await w.placeOrder({ lines: mug, buyer: { user_id: 'buyer-bob', name: 'Bob Ray' } });
    endHold(w);
    for (const id of [a1, a2, b1]) await w.waitForSalesOrder(id);
    const ann = internalId(w, 'customer', 'tiktok-buyer-buyer-ann');
    const bob = internalId(w, 'customer', 'tiktok-buyer-buyer-bob');
    expect(ann).toBeDefined();
    expect(bob).toBeDefined();
    expect(ann).not.toBe(bob);
    expect(refId(soBody(w, a1)?.entity)).toBe(ann);
    expect(refId(soBody(w, a2)?.entity)).toBe(ann);
    expect(refId(soBody(w, b1)?.entity)).toBe(bob);
    const buyers = [...w.demo.netsuite.state.engine.store.ofType('customer')].filter((c) =>
      String(c.body.externalId ?? '').startsWith('tiktok-buyer-'),
    );
    expect(buyers).toHaveLength(2);
  });
});
