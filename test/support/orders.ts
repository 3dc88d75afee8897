/** End-to-end helpers for the order flow tests: the demo world (both sandboxes + TikSuite) on a test database. */

import type { CliServices } from '../../src/cli/services.ts';
import { salesOrderExternalId } from '../../src/flows/orders/index.ts';
import { admin, type DemoEnv, type DemoEnvOptions, startDemoEnv } from '../../src/main/demo/demo-env.ts';
import { silentLogger } from '../../src/shared/log.ts';
import { type TestEnv, testEnv } from './env.ts';
import { waitFor } from './proc.ts';

export interface OrdersWorld {
  env: TestEnv;
  demo: DemoEnv;
  us: DemoEnv['shops'][number];
  tt<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  ns<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  placeOrder(body: Record<string, unknown>, shopId?: string): Promise<string>;
  /** The sales order as the NetSuite sandbox stores it (amounts as exact decimal text). */
  salesOrder(orderId: string, shopId?: string): SandboxSalesOrder | undefined;
  waitForSalesOrder(orderId: string, ok?: (so: SandboxSalesOrder) => boolean): Promise<SandboxSalesOrder>;
  salesOrderCount(): number;
  close(): Promise<void>;
}

export interface SandboxSalesOrder {
  id: string;
  total: string;
  subtotal: string;
  shippingCost: string;
  status: string;
  lines: Array<{ item: string; quantity: number; rate: string; amount: string; isClosed: boolean }>;
  shipZip: string | undefined;
}

/**
 * The demo world on a fresh test database, the TikTok clock frozen (tests advance it). `business`
 * is the TikTok sandbox's business settings (completion delay, payouts, reserves, fees ...).
 */
export async function startOrdersWorld(
  name: string,
  config: Record<string, unknown> = {},
  opts: { business?: DemoEnvOptions['business'] } = {},
): Promise<OrdersWorld> {
  const env = testEnv(name);
  const demo = await startDemoEnv({
    env: { ...env.childEnv, LOG_LEVEL: 'silent' },
    log: silentLogger(),
    speed: 0,
    config,
    ...(opts.business ? { business: opts.business } : {}),
  });
  const us = demo.shops.find((s) => s.region === 'US')!;
  const tt = <T>(m: string, p: string, b?: unknown) => admin<T>(demo.tiktok.url, m, p, b);
  const ns = <T>(m: string, p: string, b?: unknown) => admin<T>(demo.netsuite.url, m, p, b);
  const salesOrder = (orderId: string, shopId = us.id) =>
    readSalesOrder(demo, salesOrderExternalId(shopId, orderId));
  return {
    env,
    demo,
    us,
    tt,
    ns,
    salesOrder,
    async placeOrder(body, shopId = us.id) {
      return (await tt<{ order_id: string }>('POST', '/orders', { shop_id: shopId, ...body })).order_id;
    },
    waitForSalesOrder: (orderId, ok = () => true) =>
      waitFor(
        async () => salesOrder(orderId),
        (so) => so !== undefined && ok(so),
        undefined,
        50,
      ) as Promise<SandboxSalesOrder>,
    salesOrderCount: () => [...demo.netsuite.state.engine.store.ofType('salesOrder')].length,
    async close() {
      await demo.close();
      await env.cleanup();
    },
  };
}

const text = (v: unknown): string => (v && typeof v === 'object' && 'text' in v ? String(v.text) : String(v));

function readSalesOrder(demo: DemoEnv, externalId: string): SandboxSalesOrder | undefined {
  const rec = demo.netsuite.state.engine.store.byExternalId('salesOrder', externalId);
  if (!rec) return undefined;
  const ship = rec.body.shippingAddress as Record<string, unknown> | undefined;
  return {
    id: rec.id,
    total: text(rec.body.total),
    subtotal: text(rec.body.subtotal),
    shippingCost: text(rec.body.shippingCost),
    status: text((rec.body.status as { id?: string } | undefined)?.id),
    lines: (rec.lines.item ?? []).map((l) => ({
      item: text((l.item as { id?: string } | undefined)?.id),
      quantity: Number(l.quantity),
      rate: text(l.rate),
      amount: text(l.amount),
      isClosed: l.isClosed === true,
    })),
    shipZip: ship ? text(ship.zip) : undefined,
  };
}

/** CLI services over a running demo world, so a command (orders, catalog, inventory) runs in-process against it. */
export function demoCliServices(demo: DemoEnv): CliServices {
  const rt = demo.rt;
  return {
    loadConfig: () => rt.config,
    logger: () => silentLogger(),
    openRuntime: async () => ({
      config: rt.config,
      stores: rt.stores,
      engine: rt.engine,
      close: async () => {},
    }),
    serve: () => Promise.reject(new Error('not used')),
    migrate: () => Promise.reject(new Error('not used')),
    probeDatabase: () => Promise.reject(new Error('not used')),
  };
}
