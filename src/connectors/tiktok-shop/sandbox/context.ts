/** What every sandbox module shares: state, ids, clocks, settings, the event sink, errors. */
import type { Clock } from '../../../shared/clock.ts';
import type { Settings } from './options.ts';
import type { IdFactory } from './rng.ts';
import type { SimClock } from './sim-clock.ts';
import type { SandboxState } from './state.ts';

export interface Ctx {
  state: SandboxState;
  ids: IdFactory;
  random: () => number;
  sim: SimClock;
  wall: Clock;
  settings: Settings;
  appKey: string;
  appSecret: string;
  /** Queues a webhook push of numeric `type` (reference §9.2) for the shop's subscribers. */
  emit: (shopId: string, type: number, data: Record<string, unknown>) => void;
}

/** An error the sandbox answers in the envelope: `{code, message}` with `httpStatus`. */
export class SandboxError extends Error {
  readonly code: number;
  readonly httpStatus: number;
  constructor(code: number, message: string, httpStatus = 200) {
    super(message);
    this.name = 'SandboxError';
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

/** 36009004 "param … is missing/invalid" (reference §1.4). */
export function invalidParam(message: string): SandboxError {
  return new SandboxError(36009004, message);
}

export function notFound(ctx: Ctx, what: string, id: string): SandboxError {
  return new SandboxError(ctx.settings.business.notFoundCode, `${what} ${id} does not exist`);
}

export function invalidState(ctx: Ctx, message: string): SandboxError {
  return new SandboxError(ctx.settings.business.invalidStateCode, message);
}

/** bigint * decimal rate, rounded half away from zero (cents stay integers). */
export function applyRate(amount: bigint, rate: string): bigint {
  const [whole = '0', frac = ''] = rate.split('.');
  const den = 10n ** BigInt(frac.length);
  const num = BigInt(whole + frac);
  const product = amount * num;
  const sign = product < 0n ? -1n : 1n;
  const abs = product * sign;
  return sign * ((abs * 2n + den) / (2n * den));
}
