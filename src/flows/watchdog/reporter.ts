/**
 * How a loop outside the engine (the webhook intake pump, the stock poller) tells the watchdog how
 * its rounds go. Fire and forget: a failed write is logged, never thrown into the loop. A failure is
 * written every time; a success only after a failure, or every OK_WRITE_EVERY_SECONDS, so an idle loop ticking
 * every second does not write every second.
 */
import { errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { storableText } from '../../shared/text.ts';
import type { Stores } from '../../store/index.ts';

/** The source name of the TikTok webhook intake pump. */
export const WEBHOOK_INTAKE = 'webhook-intake';

export interface SourceReporter {
  ok(flowId: string, source: string): void;
  failed(flowId: string, source: string, err: unknown): void;
}

/** A success is written at most this often per source: a cadence shorter than this is judged at this. */
export const OK_WRITE_EVERY_SECONDS = 10;

export function healthReporter(stores: Stores, log: Logger): SourceReporter {
  const okEveryMs = OK_WRITE_EVERY_SECONDS * 1000;
  const lastOk = new Map<string, number>();
  const failing = new Set<string>();
  const write = (p: Promise<void>) =>
    void p.catch((err) => log.warn({ err: errorMessage(err) }, 'could not record flow health'));
  return {
    ok(flowId, source) {
      const key = `${flowId}\u0000${source}`;
      const at = Date.now();
      if (!failing.has(key) && at - (lastOk.get(key) ?? 0) < okEveryMs) return;
      failing.delete(key);
      lastOk.set(key, at);
      write(stores.health.succeeded(flowId, source));
    },
    failed(flowId, source, err) {
      failing.add(`${flowId}\u0000${source}`);
      write(stores.health.failed(flowId, source, storableText(errorMessage(err).slice(0, 2000))));
    },
  };
}

/** One source a poller reads in a round (e.g. one shop's returns), and how to read it. */
export interface PolledSource {
  flowId: string;
  source: string;
  /** Reads the source; resolves with how many records it submitted. */
  poll(): Promise<number>;
}

/**
 * A poller's round over its sources, each on its own: reported ok or failed, a failure never
 * stopping the others. Resolves with the records submitted; rejects with the last failure, after
 * every source was tried.
 */
export async function pollEach(sources: readonly PolledSource[], health?: SourceReporter): Promise<number> {
  let submitted = 0;
  let failure: unknown;
  for (const s of sources) {
    try {
      submitted += await s.poll();
      health?.ok(s.flowId, s.source);
    } catch (err) {
      failure = err;
      health?.failed(s.flowId, s.source, err);
    }
  }
  if (failure) throw failure;
  return submitted;
}
