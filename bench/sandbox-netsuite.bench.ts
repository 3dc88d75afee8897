/**
 * npm run bench:sandbox-netsuite -- the NetSuite sandbox and client over real HTTP, one process.
 *
 * 1. Record creates/s with zero latency (sales-order upserts, 16 callers, allocation 16).
 * 2. SuiteQL rows/s (transactionline JOIN item, pages of 1000).
 * 3. Governor: 200 callers against a sandbox with concurrency 5 and a 50 ms save: max in flight at
 *    the sandbox, 429s, throughput against the ideal 5 / latency, and per-call latency percentiles
 *    (which include the wait for a slot).
 */
import {
  InProcessGovernor,
  NetSuiteClient,
  nsDecimal,
  startNetSuiteSandbox,
} from '../src/connectors/netsuite/index.ts';

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function setup(settings: Parameters<typeof startNetSuiteSandbox>[0], allocation: number) {
  const sb = await startNetSuiteSandbox(settings);
  const c = sb.credentials();
  const client = new NetSuiteClient({
    accountId: c.account_id,
    baseUrl: sb.url,
    auth: {
      type: 'tba',
      consumerKey: c.consumer_key,
      consumerSecret: c.consumer_secret,
      tokenId: c.token_id,
      tokenSecret: c.token_secret,
    },
    governor: new InProcessGovernor({ allocation }),
    retry: { baseDelayMs: 10, maxDelayMs: 200, maxAttempts: 8 },
  });
  return { sb, client };
}

const order = (i: number) => ({
  entity: { externalId: 'CUST-DEMO' },
  location: { externalId: 'LOC-AUS' },
  otherRefNum: String(i),
  item: {
    items: [
      { item: { externalId: 'SKU-WRAP' }, quantity: 1 + (i % 3), rate: nsDecimal('2.50') },
      { item: { externalId: 'SKU-MUG-SET' }, quantity: 1, rate: nsDecimal('29.99') },
    ],
  },
});

async function pool(n: number, callers: number, job: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now();
        await job(i);
        times.push(performance.now() - t);
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

async function creates(): Promise<void> {
  const { sb, client } = await setup({ settings: { concurrency: 16 } }, 16);
  const n = 2000;
  const t0 = performance.now();
  const times = await pool(n, 16, async (i) => {
    await client.records.upsert('salesOrder', `BENCH-${i}`, order(i));
  });
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `record creates (salesOrder upsert, 2 lines, zero latency): ${(n / secs).toFixed(0)}/s  p50 ${pct(times, 50).toFixed(1)} ms  p99 ${pct(times, 99).toFixed(1)} ms`,
  );
  const q =
    'SELECT tl.transaction, tl.item, i.itemid, ABS(tl.quantity) AS qty, tl.foreignamount FROM transactionline tl JOIN item i ON i.id = tl.item WHERE tl.mainline = ?';
  for (const pass of [1, 2]) {
    const s0 = performance.now();
    let rows = 0;
    for await (const _ of client.suiteql.rows(q, ['F'])) rows++;
    const s = (performance.now() - s0) / 1000;
    console.log(
      `SuiteQL rows (transactionline JOIN item, pages of 1000, pass ${pass}): ${rows} rows, ${(rows / s).toFixed(0)} rows/s`,
    );
  }
  await sb.close();
}

async function governor(): Promise<void> {
  const latency = 50;
  const { sb, client } = await setup({ settings: { concurrency: 5, latency: { baseMs: latency } } }, 5);
  const n = 400;
  const t0 = performance.now();
  const times = await pool(n, 200, async (i) => {
    await client.records.upsert('customer', `GOV-${i}`, {
      firstName: 'G',
      subsidiary: { externalId: 'SUB-US' },
    });
  });
  const secs = (performance.now() - t0) / 1000;
  const stats = sb.state.governance.stats();
  const ideal = 5 / (latency / 1000);
  console.log(
    `governor (200 callers, sandbox concurrency 5, ${latency} ms save): ${(n / secs).toFixed(1)} req/s vs ideal ${ideal.toFixed(1)} (${((100 * n) / secs / ideal).toFixed(1)} %)`,
  );
  console.log(
    `  sandbox max_in_flight ${stats.max_in_flight}, rejected_429 ${stats.rejected_429}; call latency incl. queueing p50 ${pct(times, 50).toFixed(0)} ms p95 ${pct(times, 95).toFixed(0)} ms p99 ${pct(times, 99).toFixed(0)} ms`,
  );
  const g = client.governor.stats(client.accountId);
  console.log(
    `  client governor: maxInFlight ${g.maxInFlight}, throttled ${g.throttled}, acquired ${g.acquired}`,
  );
  await sb.close();

  // Over-allocation: the client believes it has 10 slots, the account has 3 (another integration).
  const over = await setup({ settings: { concurrency: 3, latency: { baseMs: latency } } }, 10);
  const o0 = performance.now();
  const otimes = await pool(300, 100, async (i) => {
    await over.client.records.upsert('customer', `OVER-${i}`, {
      firstName: 'O',
      subsidiary: { externalId: 'SUB-US' },
    });
  });
  const os = over.sb.state.governance.stats();
  const og = over.client.governor.stats(over.client.accountId);
  console.log(
    `adaptive (allocation 10 vs account 3): ${(300 / ((performance.now() - o0) / 1000)).toFixed(1)} req/s (ideal ${(3 / (latency / 1000)).toFixed(1)}), 429s ${os.rejected_429}, effective limit now ${og.effectiveLimit}, p50 ${pct(otimes, 50).toFixed(0)} ms p99 ${pct(otimes, 99).toFixed(0)} ms`,
  );
  await over.sb.close();
}

await creates();
await governor();
