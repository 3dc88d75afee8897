/** prom-client instruments for the flow engine, registered on an injected registry. */
import { Counter, Histogram, type Registry } from 'prom-client';

export interface EngineMetrics {
  records: Counter<'flow' | 'outcome'>;
  duration: Histogram<'flow'>;
  errors: Counter<'flow' | 'error_class'>;
  runs: Counter<'flow' | 'trigger'>;
}

export function createEngineMetrics(registry: Registry): EngineMetrics {
  return {
    records: new Counter({
      name: 'tiksuite_records_total',
      help: 'Records processed, by flow and outcome (succeeded, failed, skipped, retried)',
      labelNames: ['flow', 'outcome'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'tiksuite_record_duration_seconds',
      help: 'Time to process one record job, by flow',
      labelNames: ['flow'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'tiksuite_errors_total',
      help: 'Error records written, by flow and error class',
      labelNames: ['flow', 'error_class'],
      registers: [registry],
    }),
    runs: new Counter({
      name: 'tiksuite_runs_total',
      help: 'Flow runs started, by flow and trigger',
      labelNames: ['flow', 'trigger'],
      registers: [registry],
    }),
  };
}
