/**
 * defineFlow: a flow is plain async code over named, idempotent steps with stable ids.
 *
 * - `discover` (optional) runs once per run (schedule, manual, backfill) and emits records;
 *   webhooks submit records directly. Every record carries a stable key (`tiktok:<shop>:order:<id>`)
 *   and a content version; a record already done at that version is skipped.
 * - `steps` run in order for each record. A finished step's output is checkpointed, so a retried or
 *   resumed record never redoes it. A `local` step runs inside the database transaction that writes
 *   its checkpoint: its database writes happen exactly once even if the process is killed.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { describeTextProblem, textProblems } from '../../shared/text.ts';
import type { Database } from '../../store/schema.ts';
import type { XrefKey } from '../../store/xref.ts';

export type TriggerType = 'schedule' | 'webhook' | 'manual' | 'backfill';

export type FlowTrigger =
  | { type: 'schedule'; cron: string }
  | { type: 'webhook' }
  | { type: 'manual' }
  | { type: 'backfill' };

export interface FlowRecord<P> {
  key: string;
  /** Content version; defaults to a hash of the payload. */
  version?: string;
  payload: P;
}

export interface StepContext {
  flowId: string;
  recordKey: string;
  version: string;
  runId: string;
  /** 1-based attempt number of this record job. */
  attempt: number;
  /** For a `local` step: the transaction that also writes the checkpoint. Otherwise the pool. */
  db: Kysely<Database>;
  /**
   * Cross-reference (source id -> target id), written through the step's `db`: inside a `local`
   * step it commits with the checkpoint; in any step it is written before the step is marked done.
   */
  xref: {
    put(key: XrefKey, targetId: string): Promise<void>;
    get(key: XrefKey): Promise<string | undefined>;
  };
  log: Logger;
  signal: AbortSignal;
}

export interface FlowStep<P> {
  id: string;
  local?: boolean;
  run(input: { payload: P; outputs: Readonly<Record<string, unknown>> }, ctx: StepContext): Promise<unknown>;
}

export interface DiscoverContext<P> {
  flowId: string;
  runId: string;
  trigger: TriggerType;
  /**
   * Enqueues records for this run; returns how many were new (not already queued or done). A record
   * a source sent in a shape the flow cannot read may be emitted as sent (`FlowRecord<unknown>`):
   * the flow's payload check makes it, alone, a validation error record naming the field.
   */
  emit(records: ReadonlyArray<FlowRecord<P> | FlowRecord<unknown>>): Promise<number>;
  cursor: {
    get(source: string): Promise<string | undefined>;
    /** Call only after every page up to `value` was emitted (emit is durable once it returns). */
    set(source: string, value: string): Promise<void>;
    /** A scheduled poll of `source` succeeded, whether or not the cursor moved (the stall watchdog). */
    polled(source: string): Promise<void>;
  };
  overlapSeconds: number;
  log: Logger;
  signal: AbortSignal;
  /**
   * Discovers each source (a shop) on its own (engine/sources.ts): one that fails is logged, kept as
   * one open error record per source and reported by the run, and the others go on. `retryParams`
   * are the run parameters that discover that source alone (what retrying its error starts).
   */
  eachSource(
    sources: readonly string[],
    fn: (source: string) => Promise<void>,
    retryParams: (source: string) => Record<string, unknown>,
  ): Promise<void>;
}

export interface FlowDefinition<P = unknown, Params = Record<string, unknown>> {
  id: string;
  version: number;
  description?: string;
  triggers: FlowTrigger[];
  /** Validates each record's payload before the steps (and an edited payload on retry). */
  payload?: z.ZodType<P>;
  /**
   * The run parameters `discover` accepts (`tiksuite run -p`, `POST /api/flows/:id/runs`): checked
   * before a run starts, so a bad value is refused at once instead of failing the run later.
   */
  params?: z.ZodType;
  discover?: (ctx: DiscoverContext<P>, params: Params) => Promise<void>;
  steps: FlowStep<P>[];
  /** Target id recorded in the outcome (e.g. the NetSuite internal id), from the step outputs. */
  targetId?: (outputs: Readonly<Record<string, unknown>>) => string | null | undefined;
  /**
   * The sources the scheduled discovery polls (e.g. one cursor per shop), each reporting
   * `ctx.cursor.polled(source)`: the stall watchdog flags one with no success for several schedules.
   */
  polledSources?: () => string[];
}

export type AnyFlow = FlowDefinition<never, never> | FlowDefinition<unknown, Record<string, unknown>>;

const ID = /^[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*$/;

export function defineFlow<P, Params = Record<string, unknown>>(
  def: FlowDefinition<P, Params>,
): FlowDefinition<P, Params> {
  if (!ID.test(def.id)) throw new Error(`flow id "${def.id}" must be lower-case words joined by . or -`);
  if (!Number.isInteger(def.version) || def.version < 1)
    throw new Error(`flow ${def.id}: version must be >= 1`);
  if (def.steps.length === 0) throw new Error(`flow ${def.id}: needs at least one step`);
  const seen = new Set<string>();
  for (const s of def.steps) {
    if (!ID.test(s.id)) throw new Error(`flow ${def.id}: step id "${s.id}" must be lower-case words`);
    if (seen.has(s.id)) throw new Error(`flow ${def.id}: step id "${s.id}" is used twice`);
    seen.add(s.id);
  }
  return def;
}

/**
 * Refuses run parameters the flow does not accept (validation_failed, naming each parameter and
 * what is expected), before anything is stored: the same rule for the CLI, the API and retries.
 */
export function checkRunParams(flow: { id: string; params?: z.ZodType }, params: unknown): void {
  const bad = textProblems(params);
  if (bad.length > 0) {
    const what = bad.map((p) => describeTextProblem({ ...p, path: `parameter ${p.path}` }));
    throw new AppError('validation_failed', `flow ${flow.id}: ${what.join('; ')}`);
  }
  const check = flow.params?.safeParse(params);
  if (!check || check.success) return;
  const known = flow.params instanceof z.ZodObject ? Object.keys(flow.params.shape) : [];
  const issues = check.error.issues.map((i) => {
    if (i.code === 'unrecognized_keys')
      return `unknown parameter ${i.keys.join(', ')} (known: ${known.join(', ') || 'none'})`;
    return `parameter ${i.path.join('.') || '(all)'}: ${i.message}`;
  });
  throw new AppError('validation_failed', `flow ${flow.id}: ${issues.join('; ')}`);
}
