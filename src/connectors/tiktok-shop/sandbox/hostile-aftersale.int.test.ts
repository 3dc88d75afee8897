/**
 * Hostile input at the sandbox's after-sale admin routes over real HTTP: every bad request is a
 * 400 whose message names the field, nothing changes, and the sandbox keeps answering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTikTokSandbox, type TikTokSandbox } from './server.ts';

let sb: TikTokSandbox;
/** Seller-shipping order past its hold (cancellations wait for the seller). */
let waiting: { order_id: string; line_item_ids: string[] };
/** Fulfilled by TikTok and delivered: the admin API alone can get it there. */
let delivered: { order_id: string; line_item_ids: string[] };

const admin = (method: string, path: string, body?: string) =>
  fetch(`${sb.url}/_sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body }),
  });

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await admin(method, path, body === undefined ? undefined : JSON.stringify(body));
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A 400 with `{code, message}` whose message matches `names`. */
async function refused(path: string, body: string, names: RegExp, code = 36009004): Promise<void> {
  const res = await admin('POST', path, body);
  const answer = (await res.json()) as { code: number; message: string };
  expect(res.status, `${path} ${body}: ${JSON.stringify(answer)}`).toBe(400);
  expect(answer.code, answer.message).toBe(code);
  expect(answer.message).toMatch(names);
}

const counts = async () => (await json<{ counts: Record<string, number> }>('GET', '/state')).counts;

beforeAll(async () => {
  sb = await startTikTokSandbox({ seed: 8, speed: 0 });
  const shopId = sb.credentials().shops[0]!.id;
  await json('POST', '/products', {
    shop_id: shopId,
    title: 'Cup',
    skus: [{ seller_sku: 'CUP', price: '9.99', quantity: 50 }],
  });
  const two = { shop_id: shopId, lines: [{ seller_sku: 'CUP', quantity: 2 }] };
  waiting = await json('POST', '/orders', two);
  delivered = await json('POST', '/orders', { ...two, fulfillment_type: 'FULFILLMENT_BY_TIKTOK' });
  sb.advance(3600);
  await json('POST', `/orders/${delivered.order_id}/warehouse_ship`, {});
  await json('POST', `/orders/${delivered.order_id}/deliver`, {});
});
afterAll(() => sb.close());

describe('after-sale admin routes under hostile input', () => {
  it('refuses bad cancellation requests before touching the order', async () => {
    const path = `/orders/${waiting.order_id}/cancel`;
    const [a] = waiting.line_item_ids;
    await refused(path, JSON.stringify({ line_item_ids: [a, a] }), /body\.line_item_ids\.1 .*twice/);
    await refused(path, JSON.stringify({ line_item_ids: ['577\u00001'] }), /body\.line_item_ids\.0 .*NUL/);
    await refused(path, JSON.stringify({ line_item_ids: ['999'] }), /body\.line_item_ids\.0 /);
    await refused(path, JSON.stringify({ line_item_ids: [] }), /body\.line_item_ids .*at least one/);
    await refused(path, JSON.stringify({ reason: 'oops\u0000' }), /body\.reason .*NUL/);
    await refused(path, JSON.stringify({ by: 'MALLORY' }), /body\.by /);
    await refused(path, '{"by":', /not JSON/);
    await refused('/orders/%00/cancel', '{}', /order .* does not exist/, 36009010);
    expect((await counts()).cancellations).toBe(0);
  });

  it('refuses bad return requests: amounts, types, lines', async () => {
    const path = `/orders/${delivered.order_id}/return`;
    const refund = (extra: Record<string, unknown>) => JSON.stringify({ return_type: 'REFUND', ...extra });
    for (const amount of [
      '-1.00',
      '0',
      '0.00',
      '1e308',
      '99999999999999999999999999999',
      '12.345',
      'abc',
      '5\u0000',
    ])
      await refused(path, refund({ amount }), /body\.amount /);
    // Two cups: goods 19.98 and tax 1.60 are the most a partial refund may be.
    await refused(path, refund({ amount: '21.59' }), /body\.amount .*at most 21\.58/);
    await refused(path, refund({ amount: 5 }), /body\.amount /);
    await refused(path, refund({ amount: '5.00', currency: 'GBP' }), /body\.currency .*USD/);
    await refused(path, JSON.stringify({ amount: '5.00' }), /body\.amount .*REFUND only/);
    await refused(path, JSON.stringify({ return_type: 'EXCHANGE' }), /body\.return_type /);
    await refused(path, JSON.stringify({ can_buyer_keep_item: 'yes' }), /body\.can_buyer_keep_item /);
    await refused(path, JSON.stringify({ line_item_ids: ['x'.repeat(100)] }), /body\.line_item_ids\.0 /);
    expect((await counts()).returns).toBe(0);
  });

  it('refuses bad parcels and answers, and unknown returns', async () => {
    const { return_id } = await json<{ return_id: string }>(
      'POST',
      `/orders/${delivered.order_id}/return`,
      {},
    );
    await refused(`/returns/${return_id}/ship`, '{}', /not AWAITING_BUYER_SHIP/, 36009011);
    // The seller never answers: the system approves the return, now the buyer may ship.
    sb.advance(2 * 86_400);
    const ship = `/returns/${return_id}/ship`;
    await refused(ship, JSON.stringify({ tracking_number: 'RT\u0000123456' }), /body\.tracking_number /);
    await refused(ship, JSON.stringify({ tracking_number: 'x'.repeat(65) }), /body\.tracking_number /);
    await refused(ship, JSON.stringify({ tracking_number: 'a b' }), /body\.tracking_number /);
    await refused(ship, JSON.stringify({ provider_name: 'p'.repeat(300) }), /body\.provider_name /);
    await refused(`/returns/${return_id}/offer_response`, JSON.stringify({ accept: 'yes' }), /body\.accept /);
    await refused(
      `/returns/${return_id}/offer_response`,
      JSON.stringify({ accept: true }),
      /no offer/,
      36009011,
    );
    await refused('/returns/%00/ship', '{}', /return .* does not exist/, 36009010);
    await refused(
      '/returns/403000000000000001/offer_response',
      '{"accept":true}',
      /does not exist/,
      36009010,
    );
    const done = await json<{ return_status: string }>('POST', ship, { tracking_number: 'RT-123456' });
    expect(done.return_status).toBe('BUYER_SHIPPED_ITEM');
  });
});
