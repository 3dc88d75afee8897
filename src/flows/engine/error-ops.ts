/**
 * Operations on error records, shared by the CLI and the REST API: retry (optionally with an edited
 * payload), resolve, and retry a whole group of identical errors.
 */
import type { ZodType } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { contentHash } from '../../shared/ids.ts';
import { describeTextProblem, textProblems } from '../../shared/text.ts';
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
    // A failed discovery: retrying it means starting a new run of the flow, with the run's
    // parameters (or the edited ones; the engine checks them against the flow before starting).
    const params = opts.payload === undefined ? objectOrEmpty(err.payload) : paramsObject(opts.payload);
    const runId = await engine.trigger(err.flowId, 'manual', params);
    await stores.errors.resolve({ id: err.id }, `retried as run ${runId}`);
    return { errorId, runId, recordKey: err.recordKey ?? '' };
  }
  const flow = engine.flow(err.flowId);
  const payload = opts.payload ?? err.editedPayload ?? err.payload;
  // Checked before anything is stored: a refused payload must not become the one later retries use.
  checkPayload(flow.payload, payload);
  if (opts.payload !== undefined) await stores.errors.setEditedPayload(errorId, opts.payload);
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

function checkPayload(schema: ZodType | undefined, payload: unknown): void {
  const bad = textProblems(payload);
  if (bad.length > 0) {
    const what = bad.map((p) => describeTextProblem({ ...p, path: p.path || '(payload)' }));
    throw new AppError('validation_failed', `the payload to retry cannot be stored: ${what.join('; ')}`);
  }
  const check = schema?.safeParse(payload);
  if (!check || check.success) return;
  const where = check.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
  throw new AppError('validation_failed', `the payload to retry is still invalid: ${where}`);
}

/** An edited payload for a failed discovery is the new run's parameters: it must be an object. */
function paramsObject(v: unknown): Record<string, unknown> {
  if (v && typeof v === 'object' && !Array.isArray(v)) return objectOrEmpty(v);
  throw new AppError(
    'validation_failed',
    'this error is a failed run (discovery): the payload is the run parameters and must be a JSON object',
  );
}

function objectOrEmpty(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {};
}
