/** Every flow TikSuite ships, registered by the worker and known to the API and CLI. */
import type { AnyFlow } from './engine/define.ts';
import { type OrderServices, orderFlows } from './orders/index.ts';
import { selftestFlow } from './selftest.ts';

/** Every flow; the order flows need their connectors, so they are built when those are configured. */
export function allFlows(orders?: OrderServices): AnyFlow[] {
  return [selftestFlow as AnyFlow, ...(orders ? orderFlows(orders) : [])];
}

export const ALL_FLOWS: readonly AnyFlow[] = allFlows();

export { defineFlow, type FlowDefinition, type FlowRecord, type TriggerType } from './engine/define.ts';
export { FlowEngine } from './engine/engine.ts';
export { resolveError, retryError, retryGroup } from './engine/error-ops.ts';
export { createEngineMetrics, type EngineMetrics } from './engine/metrics.ts';
