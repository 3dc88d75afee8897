import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from './support/proc.ts';

it('`tiksuite demo --scenario lifecycle --orders 12 --json`: every NetSuite fulfillment reaches TikTok once, with the same tracking number; every refund is credited once, to the cent; cancelled units are closed; every statement and payout is booked and tied out', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tiksuite-demo-lifecycle-'));
  try {
    const res = await runCli(['demo', '--scenario', 'lifecycle', '--orders', '12', '--json'], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      cwd,
    });
    expect(res.code, res.stderr).toBe(0);
    const s = JSON.parse(res.stdout.trim().split('\n').at(-1) ?? '{}');
    const a = s.returns.actions;
    const wholly = a.cancelledBeforeImport.whole + a.cancelledAfterImport.whole;
    expect(s, JSON.stringify(s.examples)).toMatchObject({
      scenario: 'lifecycle',
      ordersPlaced: 12,
      // An order cancelled whole during TikTok's hold is never imported.
      salesOrders: 12 - a.cancelledBeforeImport.whole,
      stalled: [],
      passed: true,
      fulfillment: { missing: 0, shippedTwice: 0, trackingMismatches: 0 },
      returns: {
        missing: 0,
        duplicated: 0,
        amountMismatchCents: 0,
        unexpected: 0,
        cancelledOrdersWithOpenLines: 0,
      },
    });
    // Both kinds of shipping, orders shipped in parts, and tracking numbers corrected after TikTok
    // showed them: every correction reached TikTok too.
    expect(s.sellerShippedOrders).toBeGreaterThan(0);
    expect(s.tiktokShippedOrders).toBeGreaterThan(0);
    const f = s.fulfillment;
    expect(f.ordersShippedInParts).toBeGreaterThan(0);
    expect(f.netsuiteFulfillments).toBeGreaterThan(s.ordersPlaced - wholly);
    expect(f.packagesShippedOnTikTok).toBe(f.netsuiteFulfillments);
    expect(f.toTikTokMs.count).toBe(f.netsuiteFulfillments);
    expect(f.trackingCorrections).toBeGreaterThan(0);
    expect(f.correctionToTikTokMs.count).toBe(f.trackingCorrections);
    // TikTok-shipped orders: TikTok's tracking number is on the NetSuite fulfillment.
    expect(f.tiktokShippingFulfillments).toBeGreaterThan(0);
    expect(f.writtenBackMs.count).toBe(f.tiktokShippingFulfillments);
    // Every kind of cancellation and return happened, and TikTok shows them as the buyers made them.
    for (const n of [
      a.cancelledBeforeImport.whole,
      a.cancelledBeforeImport.partial,
      a.cancelledAfterImport.whole,
      a.cancelledAfterImport.partial,
      a.returns.refundOnly,
      a.returns.returnAndRefund,
      a.returns.partialRefund,
      a.returns.leftToDeadlines,
    ])
      expect(n, JSON.stringify(a)).toBeGreaterThan(0);
    const r = s.returns;
    expect(r.cancelledOrders).toEqual({
      whole: wholly,
      partial: a.cancelledBeforeImport.partial + a.cancelledAfterImport.partial,
    });
    expect(r.cancellations).toBe(r.cancelledOrders.whole + r.cancelledOrders.partial);
    // The week's returns, and the refunds of settled orders the money phase adds (settlements below).
    const late = s.settlements.lateRefunds;
    expect(late).toBeGreaterThan(0);
    expect(r.returns).toBe(a.returns.refundOnly + a.returns.returnAndRefund + a.returns.partialRefund + late);
    // Every refund completed on TikTok (the seller's or the deadlines'), each with one credit memo
    // and one customer refund in NetSuite.
    expect(r.refundsCompleted).toBe(r.returns);
    expect(r.netsuiteCredits).toBe(r.refundsCompleted);
    expect(r.customerRefunds).toBe(r.refundsCompleted);
    // The carriers delivered every parcel; some orders completed since (those without an open return).
    const { CANCELLED, DELIVERED = 0, COMPLETED = 0, ...other } = s.tiktokOrderStatus;
    expect(other).toEqual({});
    expect(CANCELLED).toBe(wholly);
    expect(DELIVERED + COMPLETED).toBe(12 - wholly);
    // Settlements: every statement booked once as TikTok finally states it (one republished), each
    // entry balanced, every paid payout deposited to the cent, and the tie-out explains every cent.
    const m = s.settlements;
    expect(m.currencies).toEqual(['GBP', 'USD']);
    expect(m.statements).toBeGreaterThan(2);
    expect(m.negativeStatements).toBeGreaterThan(0);
    expect(m).toMatchObject({ booked: m.statements, unbalancedEntries: 0, republished: 1, adjustments: 2 });
    expect(m.paid).toBeGreaterThan(0);
    expect(m.payoutsMatched).toBe(m.paid);
    expect(Object.keys(m.reserves).sort()).toEqual(['GBP', 'USD']);
    for (const r of Object.values(m.reserves) as Array<{ withheld: string; released: string }>)
      expect(Number.parseFloat(r.withheld)).toBeGreaterThan(0);
    expect(m.tieOut, JSON.stringify(m.examples)).toMatchObject({
      unmatched: 0,
      unexplainedCents: 0,
      findings: 0,
    });
    expect(m.tieOut.ordersMatched).toBeGreaterThan(0);
    expect(s.examples.warehouseErrors).toEqual([]);
    expect(s.examples.buyerErrors).toEqual([]);
    expect(s.errorsByClass).toEqual({});
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

it('refuses the options of the other scenarios with exit code 2, naming the scenarios that use them', async () => {
  const cases: [string[], RegExp][] = [
    [
      ['demo', '--scenario', 'lifecycle', '--rate', '5', '--faults'],
      /--rate, --faults only apply to --scenario live; the lifecycle scenario does not use them/,
    ],
    [['demo', '--scenario', 'lifecycle', '--stock', '3'], /--stock only apply to --scenario scarce/],
    [
      ['demo', '--scenario', 'scarce', '--orders', '5'],
      /--orders only apply to --scenario live or lifecycle/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args, { env: { ...process.env, LOG_LEVEL: 'silent' }, cwd: tmpdir() });
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.stderr.trim(), args.join(' ')).toMatch(message);
  }
});
