import { describe, expect, it } from 'vitest';
import { applyRate } from './context.ts';
import { IdFactory, seededRandom } from './rng.ts';
import { page } from './route.ts';
import { SimClock } from './sim-clock.ts';

describe('sandbox building blocks', () => {
  it('applies decimal rates to cents, rounding half away from zero', () => {
    expect(applyRate(1999n, '0.06')).toBe(120n); // 119.94
    expect(applyRate(25n, '0.1')).toBe(3n); // 2.5 -> 3
    expect(applyRate(-25n, '0.1')).toBe(-3n);
    expect(applyRate(1000n, '0')).toBe(0n);
  });

  it('is deterministic given a seed', () => {
    const a = new IdFactory(seededRandom(5));
    const b = new IdFactory(seededRandom(5));
    expect([a.next(576), a.next(576)]).toEqual([b.next(576), b.next(576)]);
    expect(a.next(576)).toMatch(/^576\d{16}$/);
    expect(new IdFactory(seededRandom(6)).next(576)).not.toBe(new IdFactory(seededRandom(5)).next(576));
  });

  it('runs timers in time order and stamps them with their due time', () => {
    let wall = 1_000;
    const clock = new SimClock({ wall: { now: () => wall, sleep: async () => {} }, startMs: 0, speed: 0 });
    const seen: Array<[string, number]> = [];
    clock.at(5_000, () => seen.push(['b', clock.now()]));
    clock.at(1_000, () => {
      seen.push(['a', clock.now()]);
      clock.at(2_000, () => seen.push(['a2', clock.now()]));
    });
    clock.advance(10_000);
    expect(seen).toEqual([
      ['a', 1_000],
      ['a2', 2_000],
      ['b', 5_000],
    ]);
    expect(clock.now()).toBe(10_000);
    wall += 5_000;
    expect(clock.now()).toBe(10_000);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('runs faster than real time with speed', () => {
    let wall = 0;
    const clock = new SimClock({ wall: { now: () => wall, sleep: async () => {} }, startMs: 0, speed: 60 });
    wall = 1_000;
    expect(clock.now()).toBe(60_000);
  });

  it('pages with opaque tokens bound to the filters', () => {
    const items = [1, 2, 3, 4, 5];
    const p1 = page(items, { page_size: '2' }, { max: 10, filters: { a: 1 } });
    expect(p1.slice).toEqual([1, 2]);
    const p2 = page(
      items,
      { page_size: '2', page_token: p1.next_page_token },
      { max: 10, filters: { a: 1 } },
    );
    expect(p2.slice).toEqual([3, 4]);
    const p3 = page(
      items,
      { page_size: '2', page_token: p2.next_page_token },
      { max: 10, filters: { a: 1 } },
    );
    expect(p3).toMatchObject({ slice: [5], next_page_token: '', total_count: 5 });
    expect(() =>
      page(items, { page_size: '2', page_token: p1.next_page_token }, { max: 10, filters: { a: 2 } }),
    ).toThrow();
    expect(() => page(items, { page_size: '0' }, { max: 10, filters: {} })).toThrow();
    expect(() => page(items, {}, { max: 10, filters: {} })).toThrow();
    expect(page(items, {}, { max: 10, filters: {}, defaultSize: 10 }).slice).toHaveLength(5);
  });
});

describe('determinism', () => {
  it('builds the same sandbox from the same seed', async () => {
    const { createTikTokSandbox } = await import('./server.ts');
    const clock = { now: () => 1_700_000_000_000, sleep: async () => {} };
    const make = (seed: number) =>
      createTikTokSandbox({ seed, speed: 0, clock, startTime: 1_700_000_000_000 });
    const a = make(7);
    const b = make(7);
    const c = make(8);
    const creds = (x: ReturnType<typeof make>) =>
      [...x.ctx.state.shops.values()].map((s) => [s.id, s.cipher, s.authorization.accessToken, x.ctx.appKey]);
    expect(creds(a)).toEqual(creds(b));
    expect(creds(a)).not.toEqual(creds(c));
    const post = async (x: ReturnType<typeof make>, p: string, body: unknown) =>
      (await x.app.request(`http://s/_sandbox${p}`, { method: 'POST', body: JSON.stringify(body) })).json();
    for (const x of [a, b]) {
      const shopId = [...x.ctx.state.shops.keys()][0];
      await post(x, '/products', {
        shop_id: shopId,
        title: 'T',
        skus: [{ seller_sku: 'S', price: '1.00', quantity: 5 }],
      });
      await post(x, '/orders', { shop_id: shopId, lines: [{ seller_sku: 'S', quantity: 2 }] });
    }
    const orders = (x: ReturnType<typeof make>) =>
      [...x.ctx.state.orders.byId.values()].map((o) => [o.id, o.buyer.name, o.lines.map((l) => l.id)]);
    expect(orders(a)).toEqual(orders(b));
  });
});
