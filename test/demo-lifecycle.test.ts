import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from './support/proc.ts';

it('`tiksuite demo --scenario lifecycle --orders 12 --json`: every NetSuite fulfillment reaches TikTok once, with the same tracking number', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tiksuite-demo-lifecycle-'));
  try {
    const res = await runCli(['demo', '--scenario', 'lifecycle', '--orders', '12', '--json'], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      cwd,
    });
    expect(res.code, res.stderr).toBe(0);
    const s = JSON.parse(res.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(s, JSON.stringify(s.examples)).toMatchObject({
      scenario: 'lifecycle',
      ordersPlaced: 12,
      salesOrders: 12,
      stalled: [],
      fulfillment: { missing: 0, shippedTwice: 0, trackingMismatches: 0 },
    });
    // Both kinds of shipping, orders shipped in parts, and tracking numbers corrected after TikTok
    // showed them: every correction reached TikTok too.
    expect(s.sellerShippedOrders).toBeGreaterThan(0);
    expect(s.tiktokShippedOrders).toBeGreaterThan(0);
    const f = s.fulfillment;
    expect(f.ordersShippedInParts).toBeGreaterThan(0);
    expect(f.netsuiteFulfillments).toBeGreaterThan(s.ordersPlaced);
    expect(f.packagesShippedOnTikTok).toBe(f.netsuiteFulfillments);
    expect(f.toTikTokMs.count).toBe(f.netsuiteFulfillments);
    expect(f.trackingCorrections).toBeGreaterThan(0);
    expect(f.correctionToTikTokMs.count).toBe(f.trackingCorrections);
    // TikTok-shipped orders: TikTok's tracking number is on the NetSuite fulfillment.
    expect(f.writtenBackMs.count).toBe(s.tiktokShippedOrders);
    // The carriers collected and delivered every parcel by the end of the week.
    expect(s.tiktokOrderStatus).toEqual({ DELIVERED: 12 });
    expect(s.examples.warehouseErrors).toEqual([]);
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
