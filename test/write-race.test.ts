/**
 * The absolute-write race, made deterministic: the TikTok sandbox answers every API call 150 ms late
 * while buyers keep ordering one unit every few ms, and a restock lands in NetSuite. A stock push
 * that reads TikTok's number and then writes (`writeFence: never`) overwrites the sales TikTok
 * accepted in between: TikTok ends up listing units that are gone. The fenced write (ADR 7, the
 * default for SKUs that are selling) zeroes the SKU, counts the units TikTok committed meanwhile and
 * lists exactly what is left. Verdicts from the sandboxes' state.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { admin } from '../src/main/demo/demo-env.ts';
import { waitFor } from './support/proc.ts';
import { type StockWorld, startStockWorld } from './support/stock.ts';

const worlds: StockWorld[] = [];
afterAll(async () => {
  for (const w of worlds) await w.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Listed on TikTok minus what is really left (NetSuite's number less TikTok's unimported sales). */
async function raceOnce(w: StockWorld, sku: string) {
  await w.addSku(sku, { austin: 400, listed: 0 });
  await w.waitListed(sku, (q) => q === 400);
  let sold = 0;
  let stop = false;
  const buying = (async () => {
    while (!stop) {
      if (await w.buy(sku, 1)) sold++;
      await sleep(2);
    }
  })();
  try {
    // The SKU is selling (its orders hold reservations) before the push that races them.
    await waitFor(
      () => w.reservedOrders(sku),
      (n) => n >= 3,
      undefined,
      10,
    );
    await admin(w.demo.tiktok.url, 'PUT', '/faults', { latencyMs: { min: 150, max: 150 } });
    const before = w.pushes.length;
    await w.receive(sku, 20);
    await waitFor(
      async () => w.pushes.slice(before).some((p) => p.skus.includes(sku)),
      (pushed) => pushed,
      undefined,
      20,
    );
  } finally {
    stop = true;
    await buying;
    await admin(w.demo.tiktok.url, 'PUT', '/faults', { latencyMs: { min: 0, max: 0 } });
  }
  const pushes = w.pushes.filter((p) => p.skus.includes(sku));
  expect(pushes.length, 'the restock was pushed').toBeGreaterThan(1);
  return { excess: w.listed(sku) - (420 - sold), sold, push: pushes.at(-1)! };
}

describe('a stock write racing TikTok sales', () => {
  it('read-then-write (writeFence: never) lists units TikTok already sold', async () => {
    const w = await startStockWorld('race-never', { writeFence: 'never' });
    worlds.push(w);
    const r = await raceOnce(w, 'RACE-NEVER');
    expect(r.sold).toBeGreaterThan(5);
    expect(r.push.fenced).toBe(false);
    expect(r.excess, 'units listed that are gone').toBeGreaterThan(0);
  });

  it('the fenced write lists exactly what is left', async () => {
    const w = await startStockWorld('race-fence');
    worlds.push(w);
    const r = await raceOnce(w, 'RACE-FENCE');
    expect(r.sold).toBeGreaterThan(5);
    expect(r.push.fenced).toBe(true);
    expect(r.push.soldOutMs).toBeGreaterThan(0);
    expect(r.excess).toBe(0);
  });

  it('a fenced push that fails between its zero and its final write is finished by the retry', async () => {
    const w = await startStockWorld('race-resume');
    worlds.push(w);
    const sku = 'RACE-RESUME';
    const { productId } = await w.addSku(sku, { austin: 100, listed: 0 });
    await w.waitListed(sku, (q) => q === 100);
    let sold = 0;
    for (let i = 0; i < 5; i++) if (await w.buy(sku, 1)) sold++;
    await w.waitListed(sku, (q) => q === 100 - sold);
    await waitFor(
      () => w.reservedOrders(sku),
      (n) => n === sold,
      undefined,
      10,
    ); // the orders' reservations are taken
    // The product's next inventory write (the fence's zero) is applied; every attempt of the write
    // after it is dropped, so the step fails with the SKU at 0 (5 attempts: the transport's retry
    // policy). A push that writes nothing (the orders' own, finding TikTok right) makes no write and
    // so cannot use the fault up. Every value TikTok lists is recorded: the zero is seen even when
    // it lasts less than a poll.
    const seen = w.history(sku);
    await admin(w.demo.tiktok.url, 'PUT', '/faults', {
      failNext: [
        {
          pathPrefix: `/product/202309/products/${productId}/inventory/update`,
          status: 0,
          skip: 1,
          times: 5,
        },
      ],
    });
    const before = w.pushes.length;
    await w.receive(sku, 10);
    expect(await w.waitListed(sku, (q) => q === 110 - sold)).toBe(110 - sold);
    const zero = seen.indexOf(0);
    expect(zero, `listed values ${JSON.stringify(seen)}`).toBeGreaterThanOrEqual(0);
    // Between the zero and the final write nothing else was listed: the fault held it at 0.
    expect(seen.slice(zero + 1)).toEqual([110 - sold]);
    // (The sandbox applies the write before our client has its answer and reports the push.)
    await waitFor(
      async () => w.pushes.slice(before).some((p) => p.skus.includes(sku)),
      (pushed) => pushed,
      undefined,
      10,
    );
    expect(w.pushes.slice(before).find((p) => p.skus.includes(sku))?.fenced).toBe(true);
    // The retry finished the fence: nothing pending on the product's lease row. The sandbox lists the
    // final write before our client has its answer and clears the fence, so wait for that; a fence
    // left behind fails here once the patience runs out.
    const fences = await waitFor(
      () => w.demo.rt.stores.db.selectFrom('inventory_leases').select('fence').execute(),
      (rows) => rows.every((r) => r.fence === null),
      undefined,
      10,
    );
    expect(fences.every((r) => r.fence === null)).toBe(true);
  });
});
