import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEnv, testEnv } from '../../test/support/env.ts';
import { type DbHandle, migrateToLatest, openDatabase } from './index.ts';
import { ReservationStore } from './reservations.ts';

let env: TestEnv;
let handle: DbHandle;
let store: ReservationStore;
beforeAll(async () => {
  env = testEnv('reservations');
  const c = env.config();
  handle = await openDatabase({ url: c.database.url, dataDir: join(env.home, 'data'), schema: env.schema });
  await migrateToLatest(handle);
  store = new ReservationStore(handle.db);
});
afterAll(async () => {
  await handle?.close();
  await env?.cleanup();
});

const key = (orderId: string) => ({ channel: 'tiktok', shopId: 'S1', orderId });
const units = (o: Record<string, number>) => new Map(Object.entries(o));
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('stock reservations', () => {
  it('counts units once per order and a shrink as cancelled', async () => {
    const t0 = new Date(Date.now() - 1000);
    expect(await store.applyOrder(key('o1'), units({ A: 2, B: 1 }))).toEqual(['A', 'B']);
    // The same order seen again (webhook + poll, two workers) changes nothing.
    expect(
      await Promise.all([
        store.applyOrder(key('o1'), units({ A: 2, B: 1 })),
        store.applyOrder(key('o1'), units({ A: 2, B: 1 })),
      ]),
    ).toEqual([[], []]);
    // One A line cancelled, B fully cancelled.
    expect(await store.applyOrder(key('o1'), units({ A: 1 }))).toEqual(['A', 'B']);
    const now = await store.forSnapshot(['A', 'B', 'C'], new Date());
    expect(now.get('A')).toMatchObject({ reserved: 1, reservedTotal: 2, cancelledTotal: 1 });
    expect(now.get('B')).toMatchObject({ reserved: 0, reservedTotal: 1, cancelledTotal: 1 });
    expect(now.get('C')).toEqual({ reserved: 0, reservedTotal: 0, cancelledTotal: 0, lastReservedAt: null });
    // When a sale last reserved units (the fence's "selling" test, ADR 7): the first apply, not the shrink.
    const lastA = now.get('A')!.lastReservedAt!;
    expect(lastA.getTime()).toBeGreaterThanOrEqual(t0.getTime());
    expect(now.get('B')!.lastReservedAt!.getTime()).toBe(lastA.getTime());
  });

  it('subtracts an imported order from snapshots started before its import, releases it after', async () => {
    await store.applyOrder(key('o2'), units({ D: 3 }));
    const before = new Date();
    await tick();
    await store.markImported(key('o2'));
    await tick();
    const after = new Date();
    // A snapshot started before the upsert answered may not show the commitment: still subtracted.
    expect((await store.forSnapshot(['D'], before)).get('D')?.reserved).toBe(3);
    // Applying that older snapshot releases nothing.
    expect(await store.release(['D'], before)).toBe(0);
    // A snapshot started after shows it in NetSuite: not subtracted, and released once applied.
    expect((await store.forSnapshot(['D'], after)).get('D')?.reserved).toBe(0);
    expect(await store.release(['D'], after)).toBe(1);
    expect((await store.forSnapshot(['D'], before)).get('D')?.reserved).toBe(0);
    // The ledger still counts it.
    expect((await store.forSnapshot(['D'], after)).get('D')?.reservedTotal).toBe(3);
  });

  it('lists the SKUs whose reservations changed since a time', async () => {
    const t = new Date();
    await tick();
    await store.applyOrder(key('o3'), units({ E: 1 }));
    expect(await store.changedSince(t)).toEqual(['E']);
  });
});
