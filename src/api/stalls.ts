/**
 * The /readyz answer with the stall watchdog's findings. A stall does not make the process unready:
 * it still serves and must keep accepting webhooks, so it answers 200 with status "degraded" and the
 * list of stalls (the ASP.NET health-check convention). 503 stays for "not_ready", a database or
 * queue that does not answer. Alert on the `tiksuite_flow_stalled` metric or on the status field,
 * not on the HTTP status.
 */
import type { Stall } from '../flows/watchdog/index.ts';

export interface ReadyAnswer {
  httpStatus: 200 | 503;
  body: {
    status: 'ready' | 'degraded' | 'not_ready';
    checks: Record<string, string>;
    stalled?: Array<{ flow: string; reason: string; source: string | null; since: string; message: string }>;
  };
}

export function readyAnswer(
  ready: boolean,
  checks: Record<string, string>,
  stalls: readonly Stall[],
): ReadyAnswer {
  const status = !ready ? 'not_ready' : stalls.length ? 'degraded' : 'ready';
  const stalled = stalls.map((s) => ({
    flow: s.flow,
    reason: s.reason,
    source: s.source,
    since: s.since.toISOString(),
    message: s.message,
  }));
  return {
    httpStatus: ready ? 200 : 503,
    body: { status, checks, ...(stalled.length ? { stalled } : {}) },
  };
}
