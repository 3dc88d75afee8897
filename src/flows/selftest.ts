/**
 * `selftest`: a built-in diagnostic flow. A run emits N synthetic records; each record's one local
 * step writes a row to selftest_effects in the same transaction as its checkpoint. Counting rows
 * per record proves a deployment processes every record exactly once, across crashes and workers.
 */

import { hostname } from 'node:os';
import { z } from 'zod';
import { defineFlow } from './engine/define.ts';

const Params = z
  .object({
    records: z.coerce.number().int().min(1).max(1_000_000).default(100),
    /** Simulated work per record, to make a run last long enough to observe (or interrupt). */
    workMs: z.coerce.number().int().min(0).max(60_000).default(0),
    /** Records emitted per enqueue call (a "page"). */
    pageSize: z.coerce.number().int().min(1).max(10_000).default(500),
    /** Distinguishes record keys between runs; defaults to the run id. */
    batch: z.string().optional(),
  })
  .strict();

const Payload = z.object({ n: z.number().int(), workMs: z.number().int().min(0) });

const worker = `${hostname()}:${process.pid}`;

export const selftestFlow = defineFlow<z.infer<typeof Payload>, Record<string, unknown>>({
  id: 'selftest',
  version: 1,
  description: 'Diagnostic: N synthetic records, each writing one row to selftest_effects exactly once',
  triggers: [{ type: 'manual' }],
  payload: Payload,
  params: Params,
  async discover(ctx, raw) {
    const p = Params.parse(raw);
    const batch = p.batch ?? ctx.runId;
    for (let start = 0; start < p.records; start += p.pageSize) {
      const end = Math.min(p.records, start + p.pageSize);
      const page = [];
      for (let n = start; n < end; n++)
        page.push({ key: `selftest:${batch}:${n}`, payload: { n, workMs: p.workMs } });
      await ctx.emit(page);
    }
  },
  steps: [
    {
      // Simulated remote work, outside any transaction (as a real API call would be).
      id: 'work',
      async run({ payload }, ctx) {
        if (payload.workMs > 0) await sleep(payload.workMs, ctx.signal);
        return null;
      },
    },
    {
      id: 'effect',
      local: true,
      async run(_input, ctx) {
        await ctx.db
          .insertInto('selftest_effects')
          .values({ run_id: ctx.runId, record_key: ctx.recordKey, worker })
          .execute();
        return { worker };
      },
    },
  ],
});

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
