/** Every flow TikSuite ships, registered by the worker and known to the API and CLI. */
import type { AnyFlow } from './engine/define.ts';
import { selftestFlow } from './selftest.ts';

export const ALL_FLOWS: readonly AnyFlow[] = [selftestFlow as AnyFlow];

export { defineFlow, type FlowDefinition, type FlowRecord, type TriggerType } from './engine/define.ts';
export { FlowEngine } from './engine/engine.ts';
export { resolveError, retryError, retryGroup } from './engine/error-ops.ts';
export { createEngineMetrics, type EngineMetrics } from './engine/metrics.ts';
