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
