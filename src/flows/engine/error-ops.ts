/**
 * Operations on error records, shared by the CLI and the REST API: retry (optionally with an edited
 * payload), resolve, and retry a whole group of identical errors.
 */
import { AppError } from '../../shared/errors.ts';
import { contentHash } from '../../shared/ids.ts';
import type { Stores } from '../../store/index.ts';
import type { FlowEngine } from './engine.ts';
import { recordQueue } from './jobs.ts';

export interface RetryResult {
  errorId: string;
  runId: string;
  recordKey: string;
}

export async function retryError(
  deps: { stores: Stores; engine: FlowEngine },
  errorId: string,
  opts: { payload?: unknown } = {},
): Promise<RetryResult> {
  const { stores, engine } = deps;
  const err = await stores.errors.get(errorId);
  if (!err)
    throw new AppError('error_not_found', `no error record "${errorId}"; run \`tiksuite errors list\``);
  if (err.status === 'resolved') {
    throw new AppError('validation_failed', `error ${errorId} is resolved already; nothing to retry`);
  }
  if (!err.recordKey || err.jobQueue !== recordQueue(err.flowId)) {
    // A failed discovery: retrying it means starting a new run of the flow.
    const runId = await engine.trigger(err.flowId, 'manual', objectOrEmpty(err.payload));
    await stores.errors.resolve({ id: err.id }, `retried as run ${runId}`);
    return { errorId, runId, recordKey: err.recordKey ?? '' };
  }
  const flow = engine.flow(err.flowId);
  if (opts.payload !== undefined) await stores.errors.setEditedPayload(errorId, opts.payload);
  const payload = opts.payload ?? err.editedPayload ?? err.payload;
  if (flow.payload) {
    const check = flow.payload.safeParse(payload);
    if (!check.success) {
      const where = check.error.issues
        .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
        .join('; ');
      throw new AppError('validation_failed', `the payload to retry is still invalid: ${where}`);
    }
  }
  const runId = await stores.runs.start({
    flowId: flow.id,
    flowVersion: flow.version,
    trigger: 'manual',
    params: { retryOf: errorId },
  });
  await stores.db
    .updateTable('flow_runs')
    .set({ received: 1, discovery_done: true })
    .where('id', '=', runId)
    .execute();
  await stores.errors.markRetrying(errorId);
  await engine.resend({
    flowId: flow.id,
    runId,
    key: err.recordKey,
    version: contentHash(payload),
    payload,
    errorId,
  });
  return { errorId, runId, recordKey: err.recordKey };
}

export async function resolveError(stores: Stores, errorId: string, note: string): Promise<void> {
  const err = await stores.errors.get(errorId);
  if (!err)
    throw new AppError('error_not_found', `no error record "${errorId}"; run \`tiksuite errors list\``);
  await stores.errors.resolve({ id: errorId }, note || 'resolved by hand');
}

/** Retries every open error sharing a fingerprint (one fix, many records). */
export async function retryGroup(deps: { stores: Stores; engine: FlowEngine }, fingerprint: string) {
  const open = await deps.stores.db
    .selectFrom('errors')
    .select('id')
    .where('fingerprint', '=', fingerprint)
    .where('status', '=', 'open')
    .execute();
  const results: RetryResult[] = [];
  for (const e of open) results.push(await retryError(deps, e.id));
  return results;
}

function objectOrEmpty(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {};
}
