/**
 * One run's discovery over several sources (a flow's shops): each source is discovered on its own,
 * so one shop whose API fails never stops the others or holds back their cursors. A failed source
 * is logged and kept as one open error record per source (key `discover:<source>`, resolved by the
 * source's next success, so a shop down for an hour is one record, not one per run); the run
 * reports it (status partial, or failed when nothing was received) and the next run tries again.
 */
import { classifyError, errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import type { Stores } from '../../store/index.ts';
import { runQueue } from './jobs.ts';

export interface SourceFailures {
  /** One line per failed source, for the run's error. */
  readonly lines: string[];
}

export interface EachSourceDeps {
  stores: Stores;
  log: Logger;
  flowId: string;
  /** Null outside a run (a poller). */
  runId: string | null;
  failures: SourceFailures;
}

export const sourceErrorKey = (source: string) => `discover:${source}`;

/**
 * Runs `fn` for every source in turn; a failure is recorded and the next source goes on.
 * `retryParams(source)` are the run parameters that discover just that source again (what
 * `errors retry` starts).
 */
export async function eachSource(
  deps: EachSourceDeps,
  sources: readonly string[],
  fn: (source: string) => Promise<void>,
  retryParams: (source: string) => Record<string, unknown>,
  signal?: AbortSignal,
): Promise<void> {
  const { stores, log, flowId, runId } = deps;
  for (const source of sources) {
    if (signal?.aborted) throw signal.reason;
    try {
      await fn(source);
      await stores.errors.resolveRecords(flowId, [sourceErrorKey(source)], stores.db);
    } catch (err) {
      if (signal?.aborted) throw err;
      const c = classifyError(err);
      const message = `${flowId}: discovery of ${source} failed (${errorMessage(err)}); the other sources went on and the next run tries ${source} again (or retry this error now)`;
      log.error({ flow: flowId, run: runId, source, err: errorMessage(err) }, 'discovery of a source failed');
      deps.failures.lines.push(`${source}: ${errorMessage(err)}`);
      await stores.errors.record({
        flowId,
        recordKey: sourceErrorKey(source),
        errorClass: c.errorClass,
        code: c.code,
        message,
        payload: retryParams(source),
        jobQueue: runQueue(flowId),
        attempts: 1,
        runId,
      });
    }
  }
}
