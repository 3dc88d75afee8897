/**
 * The HTTP app: health (/healthz liveness, /readyz database + queue, stalls), /metrics for Prometheus, the
 * REST API under /api and the dashboard under /dashboard. Built from injected services so tests
 * drive it with `app.request()`. Only /api and /dashboard (and /metrics when not public) need the
 * admin token (auth.ts); every other prefix, such as webhooks that check signatures, stays open.
 * Every /api answer is `Cache-Control: no-store`; /readyz names a failing check, the log says why.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { Registry } from 'prom-client';
import { FulfillmentSettings } from '../config/fulfillment-settings.ts';
import type { FlowEngine } from '../flows/index.ts';
import type { WebhookReceiver } from '../flows/orders/index.ts';
import type { SettlementServices } from '../flows/settlements/index.ts';
import type { Stall } from '../flows/watchdog/index.ts';
import { errorMessage } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import type { Stores } from '../store/index.ts';
import { type AuthOptions, createAuth } from './auth.ts';
import { onError } from './errors.ts';
import { limitBody } from './routes/body-limit.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { financeRoutes } from './routes/finance.ts';
import { fulfillmentRoutes } from './routes/fulfillment.ts';
import { loginRoutes } from './routes/login.ts';
import { opsRoutes } from './routes/ops.ts';
import { webhookRoutes } from './routes/webhooks.ts';

/** Largest body the REST API reads (an order payload is tens of KiB). */
export const API_BODY_LIMIT = 1024 * 1024;

import { readyAnswer } from './stalls.ts';

export interface ApiDeps {
  stores: Stores;
  engine: FlowEngine;
  registry: Registry;
  log: Logger;
  /** Probes for /readyz; each resolves when its dependency answers. */
  readiness: Record<string, () => Promise<unknown>>;
  /** The stall watchdog's last findings: /readyz answers "degraded" while there are any. */
  stalls?: () => readonly Stall[];
  /** TikTok webhook intake (signature-checked, outside the admin token); absent when not configured. */
  webhooks?: WebhookReceiver;
  /** The admin token and whether /metrics is public. */
  auth: AuthOptions;
  /** Where the dashboard files are (default: the repository's web/). */
  webDir?: string;
  /** `fulfillment.lateWarningHours`, the default window of GET /api/fulfillment/late. */
  lateWarningHours?: number;
  /** The settlement flows' services: /api/finance, when `settlements.enabled`. */
  settlements?: SettlementServices;
}

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  const auth = createAuth(deps.auth, deps.stores.sessions);
  app.onError(onError(deps.log));
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const checks: Record<string, string> = {};
    let ready = true;
    for (const [name, probe] of Object.entries(deps.readiness)) {
      try {
        await withTimeout(probe(), 2000);
        checks[name] = 'ok';
      } catch (err) {
        ready = false;
        // The driver's text can name hosts, users and paths: it goes to the log, not to the prober.
        checks[name] = 'unavailable';
        deps.log.warn({ check: name, err: errorMessage(err) }, 'readiness check failed');
      }
    }
    const answer = readyAnswer(ready, checks, deps.stalls?.() ?? []);
    return c.json(answer.body, answer.httpStatus);
  });
  if (!auth.metricsPublic) app.use('/metrics', auth.requireApi);
  app.get('/metrics', async (c) => {
    return c.body(await deps.registry.metrics(), 200, { 'content-type': deps.registry.contentType });
  });
  app.route('/', loginRoutes(auth));
  app.use('/api/*', noStore);
  app.use('/api/*', auth.requireApi);
  // Signed-in callers too: an edited payload or run parameters are kilobytes, never megabytes.
  app.use('/api/*', limitBody(API_BODY_LIMIT, 'the REST API'));
  if (deps.webhooks) app.route('/webhooks', webhookRoutes(deps.webhooks));
  app.route('/api', opsRoutes(deps));
  app.route(
    '/api/fulfillment',
    fulfillmentRoutes({
      stores: deps.stores,
      lateWarningHours: deps.lateWarningHours ?? FulfillmentSettings.parse({}).lateWarningHours,
    }),
  );
  if (deps.settlements) app.route('/api/finance', financeRoutes(deps.settlements));
  app.use('/dashboard/*', auth.requirePage);
  app.route('/', dashboardRoutes(deps.webDir));
  return app;
}

/** API answers carry buyer data (orders, payloads, errors): no browser or proxy may keep a copy. */
const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('cache-control', 'no-store');
};

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
