/**
 * pg-boss wiring for both engines: on PGlite the in-process adapter over the same PGlite instance
 * as the app; on PostgreSQL pg-boss's own pool with LISTEN/NOTIFY, so idle workers wake the moment a
 * job is created. Workers fetch in batches with burstWhenBatchFull, so throughput is not bound by the
 * polling interval under load.
 */
import { fromPglite, PgBoss } from 'pg-boss';
import type { QueueConfig } from '../config/schema.ts';
import type { DbHandle } from '../store/db.ts';

export interface BossOptions {
  handle: DbHandle;
  queue: QueueConfig;
  /** pg-boss schema; defaults to `<app schema>_boss`. */
  schema?: string;
  /** Run cron schedules and maintenance in this process (every worker may: pg-boss coordinates). */
  schedule?: boolean;
  instanceName?: string;
}

export function createBoss(opts: BossOptions): PgBoss {
  const schema = opts.schema ?? `${opts.handle.schema}_boss`;
  const common = {
    schema,
    schedule: opts.schedule ?? true,
    supervise: true,
    superviseIntervalSeconds: opts.queue.superviseIntervalSeconds,
    monitorIntervalSeconds: opts.queue.superviseIntervalSeconds,
    queueCacheIntervalSeconds: opts.queue.superviseIntervalSeconds,
    cronMonitorIntervalSeconds: Math.min(30, Math.max(1, opts.queue.superviseIntervalSeconds)),
    instanceName: opts.instanceName ?? `tiksuite-${process.pid}`,
    openTelemetry: { enabled: false },
  };
  if (opts.handle.engine === 'pglite') {
    const pglite = opts.handle.pglite;
    if (!pglite) throw new Error('PGlite handle without an instance');
    return new PgBoss({ ...common, db: fromPglite(pglite), backend: 'pglite', useListenNotify: true });
  }
  return new PgBoss({
    ...common,
    connectionString: opts.handle.url,
    max: 10,
    useListenNotify: true,
    application_name: 'tiksuite-queue',
  });
}
