/**
 * Orders placed as a buyer would in the TikTok sandbox, fetched by the real client (detail API,
 * reference §4.2) and mapped: the mapping accepts TikTok's rendering as the flows will see it,
 * folds units by SKU and books exactly what the buyer paid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startSandboxWithClient } from '../connectors/tiktok-shop/index.ts';
import { addMoney, parseMoney } from '../shared/money.ts';
import { GOLDEN } from './golden/cases.ts';
import { compileOrderMapping } from './orders.ts';

let h: Harness;
const mapping = compileOrderMapping(GOLDEN.settings['standard']);
const lookups = { itemBySku: (sku: string) => ({ id: `item-${sku}` }) };

beforeAll(async () => {
  h = await startSandboxWithClient();
  for (const [i, shop] of h.creds.shops.entries()) {
    await h.admin('POST', '/products', {
      shop_id: shop.id,
      title: 'Mug',
      skus: [
        { seller_sku: `MUG-BLUE-${i}`, price: '19.99', quantity: 50 },
        { seller_sku: `MUG-RED-${i}`, price: '12.50', quantity: 50 },
      ],
    });
  }
});
afterAll(async () => {
  await h?.close();
});

async function place(shopIndex: number, body: Record<string, unknown>) {
  const shop = h.creds.shops[shopIndex]!;
  const { order_id } = await h.admin<{ order_id: string }>('POST', '/orders', { shop_id: shop.id, ...body });
  return { shop, id: order_id };
}

async function fetchOrder(shopIndex: number, id: string) {
  const api = shopIndex === 0 ? h.us : h.gb;
  const [order] = await api.orders.getDetails([id]);
  if (!order) throw new Error(`order ${id} not found`);
  return order;
}

describe('orders from the TikTok sandbox', () => {
  it('map after the hold: units folded by SKU, discounts kept apart, total booked to the cent', async () => {
    const lines = [
      { seller_sku: 'MUG-BLUE-0', quantity: 3 },
      { seller_sku: 'MUG-RED-0', quantity: 2 },
    ];
    const { shop, id } = await place(0, {
      lines,
      shipping_fee: '5.99',
      seller_discount: '4.01',
      platform_discount: '2.99',
    });
    h.sandbox.advance(3600);
    const order = mapping.fromTikTok(await fetchOrder(0, id), { id: shop.id, region: shop.region });
    expect(order.status).toBe('awaiting_shipment');
    expect(order.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['MUG-BLUE-0', 3],
      ['MUG-RED-0', 2],
    ]);
    expect(order.amounts.sellerDiscount.amount).toBe('4.01');
    expect(order.amounts.platformDiscount.amount).toBe('2.99');
    const result = mapping.toSalesOrder(order, lookups);
    const c = order.currency;
    const booked = addMoney(
      parseMoney(result.amounts.orderTotal.amount, c),
      parseMoney(result.amounts.excludedTax.amount, c),
    );
    expect(booked.minor).toBe(parseMoney(order.amounts.total.amount, c).minor);
  });

  it('map a GB order in its own currency', async () => {
    const { shop, id } = await place(1, {
      lines: [{ seller_sku: 'MUG-BLUE-1', quantity: 2 }],
      shipping_fee: '2.99',
    });
    h.sandbox.advance(3600);
    const order = mapping.fromTikTok(await fetchOrder(1, id), { id: shop.id, region: shop.region });
    expect([shop.region, order.currency]).toEqual(['GB', 'GBP']);
    const result = mapping.toSalesOrder(order, lookups);
    expect(result.route.rule).toBe('uk-region');
    expect(result.salesOrder.currency).toEqual({ id: '3' });
  });

  it('refuse an order still ON_HOLD (no address yet) with mapping_missing_address', async () => {
    const { shop, id } = await place(0, { lines: [{ seller_sku: 'MUG-RED-0', quantity: 1 }] });
    const order = mapping.fromTikTok(await fetchOrder(0, id), { id: shop.id, region: shop.region });
    expect(order.status).toBe('on_hold');
    expect(() => mapping.toSalesOrder(order, lookups)).toThrow(
      expect.objectContaining({ code: 'mapping_missing_address' }),
    );
  });
});
