/** The order flows and their intake, built from the services the composition root wires. */
import type { Kysely } from 'kysely';
import type { Logger } from '../../shared/log.ts';
import type { Stores } from '../../store/index.ts';
import type { Database } from '../../store/schema.ts';
import type { AnyFlow } from '../engine/define.ts';
import type { FlowEngine } from '../engine/engine.ts';
import type { SourceReporter } from '../watchdog/reporter.ts';
import type { OrderServices } from './deps.ts';
import { orderImportFlow } from './import.ts';
import { createWebhookReceiver, type WebhookReceiver } from './intake.ts';
import { OrderIntakePump, type PumpOptions } from './pump.ts';

export { type OrderServices, ShopDirectory } from './deps.ts';
export { ORDER_IMPORT_FLOW, orderKey } from './fetch.ts';
export type { WebhookAnswer, WebhookReceiver } from './intake.ts';
export { pollSource, SyncParams } from './poll.ts';
export { OrderIntakePump } from './pump.ts';
export { salesOrderExternalId } from './sales-order.ts';

export function orderFlows(services: OrderServices): AnyFlow[] {
  return [orderImportFlow(services) as AnyFlow];
}

/** The webhook receiver and its pump, sharing one wake-up. */
export function orderIntake(deps: {
  /** The database's intake lane (DbHandle.intake), where the webhook inserts go. */
  intakeDb: Kysely<Database>;
  stores: Stores;
  engine: FlowEngine;
  services: OrderServices;
  log: Logger;
  pump?: PumpOptions;
  health?: SourceReporter;
  /** A cancellation (11) or return (12) push was stored: the aftersale poller looks at once. */
  onAftersale?: () => void;
}): { receiver: WebhookReceiver; pump: OrderIntakePump } {
  const pump = new OrderIntakePump(deps, deps.pump);
  const receiver = createWebhookReceiver({
    db: deps.intakeDb,
    app: deps.services.app,
    onStored: (type) => {
      pump.wake();
      if (type === 11 || type === 12) deps.onAftersale?.();
    },
  });
  return { receiver, pump };
}
