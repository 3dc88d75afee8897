/** Queue depth gauges, read from pg-boss's cached queue stats at scrape time. */
import type { PgBoss } from 'pg-boss';
import { Gauge, type Registry } from 'prom-client';

export function registerQueueGauges(registry: Registry, boss: PgBoss): void {
  new Gauge({
    name: 'tiksuite_queue_jobs',
    help: 'Jobs per queue and state (queued, active, total), from pg-boss queue stats',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const queues = await boss.getQueues().catch(() => []);
      for (const q of queues) {
        this.set({ queue: q.name, state: 'queued' }, q.queuedCount);
        this.set({ queue: q.name, state: 'active' }, q.activeCount);
        this.set({ queue: q.name, state: 'total' }, q.totalCount);
      }
    },
  });
}
