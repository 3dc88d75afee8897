/** Every flow TikSuite ships, registered by the worker and known to the API and CLI. */
import { type CatalogServices, catalogFlows } from './catalog/index.ts';
import type { AnyFlow } from './engine/define.ts';
import { type OrderServices, orderFlows } from './orders/index.ts';
import { selftestFlow } from './selftest.ts';

/**
 * Every flow; the order and catalog flows need their connectors, so they are built when those are
 * configured (the catalog flows also need `catalog.enabled`).
 */
export function allFlows(orders?: OrderServices, catalog?: CatalogServices): AnyFlow[] {
  return [
    selftestFlow as AnyFlow,
    ...(orders ? orderFlows(orders) : []),
    ...(catalog ? catalogFlows(catalog) : []),
  ];
}

export const ALL_FLOWS: readonly AnyFlow[] = allFlows();

export { defineFlow, type FlowDefinition, type FlowRecord, type TriggerType } from './engine/define.ts';
export { FlowEngine } from './engine/engine.ts';
export { resolveError, retryError, retryGroup } from './engine/error-ops.ts';
export { createEngineMetrics, type EngineMetrics } from './engine/metrics.ts';
