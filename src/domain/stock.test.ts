import { describe, expect, it } from 'vitest';
import { bufferUnits, nextListed, type StockRules, sellable } from './stock.ts';

const rules = (r: Partial<StockRules> = {}): StockRules => ({ buffer: 0, ...r });
const sell = (available: number, reserved: number, r: Partial<StockRules> = {}, sku = 'A', shopId = 'S1') =>
  sellable({ available, reserved, shopId, sku }, rules(r));

describe('sellable', () => {
  it('is available - reserved - buffer, floored at 0', () => {
    expect(sell(10, 3)).toEqual({ kind: 'push', quantity: 7, buffer: 0 });
    expect(sell(10, 3, { buffer: 2 })).toMatchObject({ quantity: 5 });
    expect(sell(2, 3)).toMatchObject({ quantity: 0 });
    expect(sell(5, 0, { buffer: 9 })).toMatchObject({ quantity: 0 });
  });

  it('takes a percentage buffer of available, rounded up', () => {
    expect(bufferUnits(100, rules({ buffer: '10%' }), 'S1', 'A')).toBe(10);
    expect(bufferUnits(11, rules({ buffer: '10%' }), 'S1', 'A')).toBe(2);
    expect(bufferUnits(7, rules({ buffer: '12.5%' }), 'S1', 'A')).toBe(1);
    expect(bufferUnits(0, rules({ buffer: '50%' }), 'S1', 'A')).toBe(0);
    expect(bufferUnits(-4, rules({ buffer: '50%' }), 'S1', 'A')).toBe(0);
    expect(sell(40, 0, { buffer: '25%' })).toMatchObject({ quantity: 30, buffer: 10 });
  });

  it('prefers the SKU buffer, then the shop buffer, then the global one', () => {
    const r = { buffer: 1, shopBuffers: { S2: 3 }, skuBuffers: { B: '50%' } };
    expect(sell(20, 0, r, 'A', 'S1')).toMatchObject({ quantity: 19 });
    expect(sell(20, 0, r, 'A', 'S2')).toMatchObject({ quantity: 17 });
    expect(sell(20, 0, r, 'B', 'S2')).toMatchObject({ quantity: 10 });
  });

  it('caps by the maximum listed quantity (global, per shop, and TikTok 99,999)', () => {
    expect(sell(500, 0, { maxListed: 100 })).toMatchObject({ quantity: 100 });
    expect(sell(500, 0, { maxListed: 100, shopMaxListed: { S1: 40 } })).toMatchObject({ quantity: 40 });
    expect(sell(250_000, 0)).toMatchObject({ quantity: 99_999 });
  });

  it('excludes and forces to zero by SKU', () => {
    expect(sell(10, 0, { exclude: ['A'] })).toEqual({ kind: 'exclude' });
    expect(sell(10, 0, { forceZero: ['A'] })).toMatchObject({ kind: 'push', quantity: 0 });
    expect(sell(10, 0, { forceZero: ['B'] })).toMatchObject({ quantity: 10 });
  });

  it('rejects a malformed buffer', () => {
    expect(() => bufferUnits(5, rules({ buffer: 'ten' }), 'S1', 'A')).toThrow(/percentage/);
  });
});

describe('nextListed (the absolute-write race)', () => {
  const base = { raw: 10, reservedTotal: 0, cancelledTotal: 0 };
  const opts = { tiktokRestocksOnCancel: true };

  it('pushes the target when there is no baseline yet', () => {
    expect(nextListed({ ...base, target: 10, current: 0 }, undefined, opts).quantity).toBe(10);
  });

  it('does not raise TikTok for a sale we have not reserved yet', () => {
    // TikTok sold 2 (current 8); NetSuite and our reservations do not know yet: target still 10.
    expect(nextListed({ ...base, target: 10, current: 8 }, base, opts).quantity).toBe(8);
  });

  it('keeps a reserved sale (TikTok already deducted it)', () => {
    const now = { raw: 8, reservedTotal: 2, cancelledTotal: 0, target: 8, current: 8 };
    expect(nextListed(now, base, opts)).toEqual({ quantity: 8, supplyDelta: 0 });
  });

  it('lowers by other-channel demand even while a TikTok sale is unseen', () => {
    // NetSuite sold 3 elsewhere (raw 7); TikTok sold 2 not yet reserved (current 8): true stock is 5.
    expect(nextListed({ ...base, raw: 7, target: 7, current: 8 }, base, opts).quantity).toBe(5);
  });

  it('raises by a restock, at most by what NetSuite added', () => {
    // +5 received while 2 TikTok units are unseen: 10 + 5 - 2 = 13, not the target 15.
    expect(nextListed({ ...base, raw: 15, target: 15, current: 8 }, base, opts).quantity).toBe(13);
    expect(nextListed({ ...base, raw: 15, target: 12, current: 10 }, base, opts).quantity).toBe(12);
  });

  it('counts a cancellation once: TikTok restocks it, or we do', () => {
    const before = { raw: 8, reservedTotal: 2, cancelledTotal: 0 };
    const now = { raw: 10, reservedTotal: 2, cancelledTotal: 2, target: 10 };
    expect(nextListed({ ...now, current: 10 }, before, opts).quantity).toBe(10);
    expect(nextListed({ ...now, current: 8 }, before, { tiktokRestocksOnCancel: false }).quantity).toBe(10);
  });

  it('never goes below zero', () => {
    expect(nextListed({ ...base, raw: 0, target: 0, current: 3 }, base, opts).quantity).toBe(0);
  });
});
