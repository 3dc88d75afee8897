/**
 * `tiksuite demo --scenario scarce --stock N`: a flash deal on a few scarce SKUs (far more buyers
 * than units) while another channel sells in NetSuite and a restock lands mid-event, with the stock
 * push and its reservations on. Summary from the sandboxes' state: units sold per SKU on TikTok,
 * units physically in NetSuite, oversold units (must be 0), NetSuite restock -> TikTok latency.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PushMeasure } from '../../flows/inventory/index.ts';
import { createLogger } from '../../shared/log.ts';
import { untilInterrupted } from './demo.ts';
import { startDemoEnv } from './demo-env.ts';
import { percentile } from './demo-summary.ts';
import {
  crossChannelUnits,
  ordersInsideWriteWindows,
  playScarceEvent,
  seedScarceSku,
} from './scarce-event.ts';
import { stockVerdicts } from './stock-summary.ts';

export interface ScarceDemoOptions {
  stock: number;
  skus: number;
  buyers: number;
  eventSeconds: number;
  pollSeconds: number;
  reservations: boolean;
  json: boolean;
  /** Keep the sandboxes and TikSuite up after the summary until Ctrl-C. */
  hold?: boolean;
  tiktokPort: number;
  netsuitePort: number;
  port: number;
}

export interface ScarceSummary {
  reservations: boolean;
  skus: Array<{
    sku: string;
    soldOnTikTok: number;
    soldElsewhere: number;
    physicallyInNetSuite: number;
    listedOnTikTok: number;
    oversold: number;
    buyerAttempts: number;
    refused: number;
  }>;
  oversoldUnits: number;
  /**
   * Of those, units another channel sold in NetSuite while TikTok still listed them, bought on TikTok
   * before the next poll lowered it (no integration can prevent these; see crossChannelUnits).
   */
  crossChannelUnits: number;
  /** Stock writes on the deal's SKUs, and how many were fenced (ADR 7). */
  writes: number;
  fencedWrites: number;
  /** How long buyers saw a SKU sold out while a fenced write was up. */
  soldOutMs: { p50: number | null; p99: number | null };
  /** Accepted TikTok orders placed while an unfenced push was between its read and its write (ADR 6). */
  ordersInsideWriteWindows: number;
  restockToTikTokMs: { p50: number | null; p99: number | null };
}

export async function runScarceDemo(
  o: ScarceDemoOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<ScarceSummary> {
  const home = mkdtempSync(join(tmpdir(), 'tiksuite-demo-scarce-'));
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const pushes: PushMeasure[] = [];
  say(
    `demo: starting both sandboxes and TikSuite with the stock push (reservations ${o.reservations ? 'on' : 'OFF'})`,
  );
  const env = await startDemoEnv({
    env: { TIKSUITE_HOME: home, LOG_LEVEL: 'warn' },
    log: createLogger({ level: 'warn' }),
    tiktokPort: o.tiktokPort,
    netsuitePort: o.netsuitePort,
    port: o.port,
    speed: 0,
    inventory: { pollIntervalSeconds: o.pollSeconds, reservations: o.reservations },
    onStockPush: (m) => pushes.push(m),
  });
  try {
    const names = Array.from({ length: o.skus }, (_, i) => `SCARCE-${i + 1}`);
    for (const n of names) await seedScarceSku(env, n, o.stock);
    const listed = () => stockVerdicts(env, names).every((v) => v.listedOnTikTok === o.stock);
    for (let waited = 0; !listed() && waited < 60_000; waited += 200)
      await new Promise((r) => setTimeout(r, 200));
    say(
      `demo: ${o.skus} SKU(s) with ${o.stock} unit(s) each listed on TikTok; ${o.buyers} buyers per SKU for ${o.eventSeconds} s`,
    );
    // The one-hour hold ends every second: sales orders import (and commit stock) during the event.
    const ticker = setInterval(() => env.tiktok.advance(3601), 1000);
    const results = await Promise.all(
      names.map((n, i) =>
        playScarceEvent(env, n, {
          seed: i + 1,
          stock: o.stock,
          buyers: o.buyers,
          eventMs: o.eventSeconds * 1000,
          restock: Math.max(1, Math.floor(o.stock / 2)),
          otherChannel: 1,
        }),
      ),
    );
    clearInterval(ticker);
    env.tiktok.advance(3601);
    await new Promise((r) => setTimeout(r, (o.pollSeconds + 2) * 1000));
    const verdicts = stockVerdicts(env, names);
    const latencies = results.flatMap((r) => {
      const first = pushes.find((p) => p.at >= r.restockAt && p.skus.includes(r.sku));
      return first ? [first.at - r.restockAt] : [];
    });
    const ours = pushes.filter((p) => p.skus.some((k) => names.includes(k)));
    const soldOut = ours.filter((p) => p.fenced && p.soldOutMs > 0).map((p) => Math.round(p.soldOutMs));
    const summary: ScarceSummary = {
      reservations: o.reservations,
      skus: verdicts.map((v, i) => ({
        sku: v.sku,
        soldOnTikTok: v.soldOnTikTok,
        soldElsewhere: v.soldElsewhere,
        physicallyInNetSuite: v.onHand,
        listedOnTikTok: v.listedOnTikTok,
        oversold: v.oversold,
        buyerAttempts: results[i]!.attempts,
        refused: results[i]!.refused,
      })),
      oversoldUnits: verdicts.reduce((a, v) => a + v.oversold, 0),
      crossChannelUnits: results.reduce((a, r) => a + crossChannelUnits(r), 0),
      writes: ours.length,
      fencedWrites: ours.filter((p) => p.fenced).length,
      soldOutMs: { p50: percentile(soldOut, 50), p99: percentile(soldOut, 99) },
      ordersInsideWriteWindows: results.reduce((a, r) => a + ordersInsideWriteWindows(r, pushes), 0),
      restockToTikTokMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
    };
    out.write(o.json ? `${JSON.stringify(summary)}\n` : render(summary));
    if (o.hold) await untilInterrupted(say, env.url);
    return summary;
  } finally {
    await env.close();
    rmSync(home, { recursive: true, force: true });
  }
}

function render(s: ScarceSummary): string {
  const ms = (v: number | null) => (v === null ? '-' : `${v} ms`);
  return [
    '',
    `TikSuite scarce-stock demo (reservations ${s.reservations ? 'on' : 'off'}): from the sandboxes' own state`,
    ...s.skus.map(
      (k) =>
        `  ${k.sku.padEnd(12)} sold on TikTok ${k.soldOnTikTok}, other channel ${k.soldElsewhere}, physically in NetSuite ${k.physicallyInNetSuite}, oversold ${k.oversold} (${k.buyerAttempts} buyer attempts, ${k.refused} refused)`,
    ),
    `  oversold units                 ${s.oversoldUnits}${s.crossChannelUnits ? ` (${s.crossChannelUnits} taken by the other channel in NetSuite while TikTok still listed them, before the next poll)` : ''}`,
    `  stock writes                   ${s.writes}, ${s.fencedWrites} fenced (ADR 7); sold out while fenced p50 ${ms(s.soldOutMs.p50)}, p99 ${ms(s.soldOutMs.p99)}`,
    `  orders inside an unfenced write window ${s.ordersInsideWriteWindows}`,
    `  NetSuite restock -> TikTok     p50 ${ms(s.restockToTikTokMs.p50)}, p99 ${ms(s.restockToTikTokMs.p99)}`,
    '',
  ].join('\n');
}
