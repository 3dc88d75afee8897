/** The inventory flow (stock NetSuite -> TikTok with reservations), its poller and order hooks. */
import type { Logger } from '../../shared/log.ts';
import type { Stores } from '../../store/index.ts';
import type { AnyFlow } from '../engine/define.ts';
import type { FlowEngine } from '../engine/engine.ts';
import type { OrderStockHooks } from '../orders/deps.ts';
import type { SourceReporter } from '../watchdog/reporter.ts';
import type { InventoryServices } from './deps.ts';
import { InventoryPoller } from './poller.ts';
import { inventoryPushFlow } from './push.ts';
import { reservationHooks } from './reserve.ts';
import { TargetCache } from './targets.ts';

export { INVENTORY_FLOW, type InventoryServices, type PushMeasure } from './deps.ts';
export { InventoryPoller, STOCK_POLL_SOURCE } from './poller.ts';
export { activeUnits } from './reserve.ts';
export { SyncParams as InventorySyncParams } from './sync-params.ts';

/** One target cache per process, shared by the flow's discovery, its steps and the poller. */
export interface InventoryKit {
  flow: AnyFlow;
  targets: TargetCache;
  hooks: (onChange: (skus: string[]) => void) => OrderStockHooks | undefined;
}

export function inventoryKit(services: InventoryServices, stores: Stores): InventoryKit {
  const targets = new TargetCache();
  return {
    flow: inventoryPushFlow(services, targets) as AnyFlow,
    targets,
    hooks: (onChange) =>
      services.settings.reservations
        ? reservationHooks({
            reservations: stores.reservations,
            channel: services.settings.channel,
            onChange,
          })
        : undefined,
  };
}

export function inventoryPoller(deps: {
  stores: Stores;
  engine: FlowEngine;
  services: InventoryServices;
  kit: InventoryKit;
  log: Logger;
  health?: SourceReporter;
}): InventoryPoller {
  return new InventoryPoller({
    ...deps,
    targets: deps.kit.targets,
    log: deps.log.child({ component: 'stock-poller' }),
  });
}
