/**
 * npm run bench:queue -- queue throughput and latency on PGlite and PostgreSQL.
 *
 * For each engine: jobs/s enqueued (batched insert, and single sends 16 at a time), jobs/s completed
 * by a no-op handler (batchSize 50, burstWhenBatchFull, NOTIFY), enqueue-to-start latency p50/p99
 * at a paced rate, and records/s through the flow engine (selftest flow, one local step each).
 * PostgreSQL: TIKSUITE_BENCH_PG_URL or postgres://postgres@127.0.0.1:5432/postgres (skipped if unreachable).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PgBoss } from 'pg-boss';
import { loadConfig } from '../src/config/load.ts';
import { openRuntime } from '../src/main/runtime.ts';
import { createBoss } from '../src/queue/boss.ts';
import { silentLogger } from '../src/shared/log.ts';
import { type DbHandle, openDatabase } from '../src/store/index.ts';

const PG_URL = process.env.TIKSUITE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const queueConfig = loadConfig({ env: {}, cwd: tmpdir() }).queue;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface Result {
  engine: string;
  jobs: number;
  insertPerSec: number;
  sendPerSec: number;
  completePerSec: number;
  complete200PerSec: number;
  latencyP50: number;
  latencyP99: number;
  engineRecordsPerSec: number;
}

async function drain(
  boss: PgBoss,
  queue: string,
  total: number,
  onJob: (data: { t: number }) => void,
  batchSize = queueConfig.batchSize,
) {
  let done = 0;
  const finished = Promise.withResolvers<void>();
  await boss.work<{ t: number }>(
    queue,
    {
      batchSize,
      burstWhenBatchFull: true,
      pollingIntervalSeconds: 0.5,
      notifyPollingIntervalSeconds: 0.5,
      localConcurrency: 2,
    },
    async (jobs) => {
      for (const j of jobs) onJob(j.data);
      done += jobs.length;
      if (done >= total) finished.resolve();
    },
  );
  return finished.promise;
}

async function benchBoss(
  handle: DbHandle,
  jobs: number,
): Promise<Omit<Result, 'engine' | 'engineRecordsPerSec'>> {
  const boss = createBoss({ handle, queue: queueConfig, schema: `${handle.schema}_boss` });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.createQueue('bench', { notify: true });
  await boss.createQueue('bench-single', { notify: true });
  await boss.createQueue('bench-latency', { notify: true });

  // 1. Batched insert, then drain with the no-op handler.
  let t = performance.now();
  for (let i = 0; i < jobs; i += 500) {
    const n = Math.min(500, jobs - i);
    await boss.insert(
      'bench',
      Array.from({ length: n }, () => ({ data: { t: Date.now() } })),
    );
  }
  const insertPerSec = jobs / ((performance.now() - t) / 1000);
  t = performance.now();
  await drain(boss, 'bench', jobs, () => undefined);
  const completePerSec = jobs / ((performance.now() - t) / 1000);
  // The same again with batches of 200: completion is one statement per batch.
  await boss.createQueue('bench-200', { notify: true });
  for (let i = 0; i < jobs; i += 500) {
    const n = Math.min(500, jobs - i);
    await boss.insert(
      'bench-200',
      Array.from({ length: n }, () => ({ data: { t: Date.now() } })),
    );
  }
  t = performance.now();
  await drain(boss, 'bench-200', jobs, () => undefined, 200);
  const complete200PerSec = jobs / ((performance.now() - t) / 1000);

  // 2. Single sends, 16 in flight.
  const singles = Math.min(jobs, 3000);
  t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next++ < singles) await boss.send('bench-single', { t: Date.now() });
    }),
  );
  const sendPerSec = singles / ((performance.now() - t) / 1000);

  // 3. Enqueue-to-start latency at a paced 200 jobs/s (idle workers woken by NOTIFY).
  const latencies: number[] = [];
  const paced = 1000;
  const drained = drain(boss, 'bench-latency', paced, (d) => latencies.push(Date.now() - d.t));
  for (let i = 0; i < paced; i += 10) {
    await boss.insert(
      'bench-latency',
      Array.from({ length: 10 }, () => ({ data: { t: Date.now() } })),
    );
    await new Promise((r) => setTimeout(r, 50));
  }
  await drained;
  await boss.stop({ graceful: false, close: true, timeout: 2000 });
  latencies.sort((a, b) => a - b);
  return {
    jobs,
    insertPerSec,
    sendPerSec,
    completePerSec,
    complete200PerSec,
    latencyP50: pct(latencies, 50),
    latencyP99: pct(latencies, 99),
  };
}

async function benchEngine(url: string | undefined, records: number): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'tiksuite-bench-'));
  const schema = `bench_engine_${process.pid}`;
  const config = loadConfig({
    env: { TIKSUITE_HOME: home, TIKSUITE_SCHEMA: schema, ...(url ? { DATABASE_URL: url } : {}) },
    cwd: home,
    overrides: { queue: { pollingIntervalSeconds: 0.5, concurrency: 16 } },
  });
  const rt = await openRuntime(config, { log: silentLogger() });
  try {
    await rt.engine.work();
    const t = performance.now();
    const runId = await rt.engine.trigger('selftest', 'manual', { records, pageSize: 1000 });
    for (;;) {
      const run = await rt.stores.runs.get(runId);
      if (run && run.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return records / ((performance.now() - t) / 1000);
  } finally {
    if (url) await rt.stores.db.schema.dropSchema(`${schema}_boss`).ifExists().cascade().execute();
    if (url) await rt.stores.db.schema.dropSchema(schema).ifExists().cascade().execute();
    await rt.close({ graceMs: 0 });
    rmSync(home, { recursive: true, force: true });
  }
}

async function run(engine: 'pglite' | 'postgres', jobs: number, records: number): Promise<Result | null> {
  const dir = mkdtempSync(join(tmpdir(), 'tiksuite-bench-'));
  const schema = `bench_${process.pid}`;
  let handle: DbHandle;
  try {
    handle = await openDatabase(
      engine === 'postgres' ? { url: PG_URL, schema } : { dataDir: join(dir, 'data'), schema },
    );
  } catch (err) {
    console.log(`${engine}: skipped (${(err as Error).message})`);
    return null;
  }
  try {
    const r = await benchBoss(handle, jobs);
    if (engine === 'postgres')
      await handle.db.schema.dropSchema(`${schema}_boss`).ifExists().cascade().execute();
    const engineRecordsPerSec = await benchEngine(engine === 'postgres' ? PG_URL : undefined, records);
    return { engine, ...r, engineRecordsPerSec };
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const results = [await run('pglite', 5000, 2000), await run('postgres', 20000, 5000)].filter(
  (r) => r !== null,
);
console.log(
  `\nqueue benchmark (no-op handler, batch ${queueConfig.batchSize} = default and 200; engine = selftest flow, 2 steps per record)`,
);
console.log(
  'engine    jobs    insert/s  send/s  complete/s  complete/s@200  start p50 ms  start p99 ms  engine records/s',
);
for (const r of results) {
  console.log(
    `${r.engine.padEnd(9)} ${fmt(r.jobs).padStart(6)} ${fmt(r.insertPerSec).padStart(9)} ${fmt(r.sendPerSec).padStart(7)} ${fmt(r.completePerSec).padStart(11)} ${fmt(r.complete200PerSec).padStart(15)} ${fmt(r.latencyP50).padStart(13)} ${fmt(r.latencyP99).padStart(13)} ${fmt(r.engineRecordsPerSec).padStart(17)}`,
  );
}
if (results.length === 2) {
  const [a, b] = results as [Result, Result];
  console.log(
    `ratio postgres/pglite: complete ${(b.completePerSec / a.completePerSec).toFixed(2)}x, engine ${(b.engineRecordsPerSec / a.engineRecordsPerSec).toFixed(2)}x`,
  );
}
process.exit(0);
