/**
 * `tiksuite serve` / `tiksuite worker`: opens the runtime, starts the worker and/or the HTTP server,
 * and on SIGINT/SIGTERM stops taking work, lets in-flight jobs finish (or releases them back to the
 * queue after the grace period), closes the server and the database, then exits.
 */
import { rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../api/app.ts';
import type { ServeHandle } from '../cli/services.ts';
import type { LoadedConfig } from '../config/load.ts';
import type { Logger } from '../shared/log.ts';
import { resolveAdminToken } from '../store/admin-token.ts';
import { pingDatabase } from '../store/index.ts';
import { openRuntime } from './runtime.ts';

export async function runServer(
  config: LoadedConfig,
  log: Logger,
  opts: { api: boolean; work: boolean },
): Promise<ServeHandle> {
  // Before the database opens, so production without a token fails at once with one clear line.
  const admin = opts.api ? resolveAdminToken(config) : undefined;
  const rt = await openRuntime(config, { log });
  if (opts.work) await rt.engine.work();
  let url = '';
  let server: ReturnType<typeof serve> | undefined;
  if (admin) {
    const app = createApp({
      stores: rt.stores,
      engine: rt.engine,
      registry: rt.registry,
      log,
      readiness: {
        database: () => pingDatabase(rt.handle),
        queue: () => rt.boss.getQueues(),
      },
      auth: { token: admin.token, metricsPublic: config.server.metricsPublic },
      stalls: () => rt.watchdog?.report.stalls ?? [],
      ...(rt.orders ? { webhooks: rt.orders.receiver } : {}),
      lateWarningHours: config.fulfillment.lateWarningHours,
      ...(rt.settlements ? { settlements: rt.settlements.services } : {}),
    });
    const listening = Promise.withResolvers<void>();
    server = serve({ fetch: app.fetch, port: config.server.port, hostname: config.server.host }, () =>
      listening.resolve(),
    );
    server.once('error', listening.reject);
    await listening.promise;
    const addr = server.address() as AddressInfo;
    url = `http://${config.server.host}:${addr.port}`;
    // Lets CLI commands reach this server when it owns the embedded database (see cli/ops.ts).
    writeFileSync(join(config.homeDir, 'server.json'), JSON.stringify({ url, pid: process.pid }));
    logLoginUrl(log, config, addr.port, admin.token);
  }
  const stopped = Promise.withResolvers<void>();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, inFlight: rt.engine.inFlight }, 'shutting down: finishing in-flight jobs');
    const closing = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
    await rt.close();
    await closing;
    if (server) rmSync(join(config.homeDir, 'server.json'), { force: true });
    log.info('stopped');
    stopped.resolve();
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return { url, stopped: stopped.promise };
}

/**
 * The dashboard's login URL. In development mode it carries the token (the local demo just works);
 * in production the token is never written to the logs, so the line shows where it goes instead.
 */
function logLoginUrl(log: Logger, config: LoadedConfig, port: number, token: string): void {
  const host = ['0.0.0.0', '::', ''].includes(config.server.host) ? '127.0.0.1' : config.server.host;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const shown = config.mode === 'production' ? '<TIKSUITE_ADMIN_TOKEN>' : encodeURIComponent(token);
  log.info({ loginUrl: `${base}/login?token=${shown}` }, 'dashboard: open the login URL to sign in');
}
