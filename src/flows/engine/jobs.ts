/** Queue names and job payloads of the flow engine (validated with zod when read back). */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const DEAD_LETTER_QUEUE = 'tiksuite.dead-letter';

export const recordQueue = (flowId: string) => `flow.${flowId}.records`;
export const runQueue = (flowId: string) => `flow.${flowId}.runs`;

export const RecordJob = z.object({
  flowId: z.string(),
  runId: z.string(),
  key: z.string(),
  version: z.string(),
  payload: z.unknown(),
  errorId: z.string().optional(),
});
export type RecordJob = z.infer<typeof RecordJob>;

export const RunJob = z.object({
  runId: z.string().optional(),
  trigger: z.enum(['schedule', 'webhook', 'manual', 'backfill']),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type RunJob = z.infer<typeof RunJob>;

/**
 * Deterministic job id per (flow, record key, version): a second enqueue of the same record
 * version while its job exists is a no-op (pg-boss inserts with ON CONFLICT DO NOTHING).
 */
export function recordJobId(flowId: string, key: string, version: string): string {
  const h = createHash('sha256').update(`${flowId}\u0000${key}\u0000${version}`).digest('hex');
  // Shaped as a version-8 (custom) UUID so it fits pg-boss's uuid id column.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
