/**
 * The operations the data commands need, over either the database directly or, when the embedded
 * database is owned by a running `tiksuite serve`, that server's REST API (same answers either way).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LateList, lateList } from '../flows/fulfillment/index.ts';
import { resolveError, retryError, retryGroup } from '../flows/index.ts';
import { type Reconciliation, reconcile } from '../flows/settlements/index.ts';
import { AppError, isAppError } from '../shared/errors.ts';
import { findAdminToken } from '../store/admin-token.ts';
import type { ErrorRecord, ErrorStatus } from '../store/errors.ts';
import type { RunRow } from '../store/runs.ts';
import { type CliRuntime, type CliServices, type GlobalOptions, printJson } from './services.ts';

export interface Ops {
  listRuns(q: { flow?: string | undefined; limit: number }): Promise<RunRow[]>;
  trigger(flow: string, params: Record<string, unknown>, trigger?: 'manual' | 'backfill'): Promise<string>;
  getRun(id: string): Promise<RunRow | undefined>;
  listErrors(q: {
    status: ErrorStatus | 'all';
    flow?: string | undefined;
    limit: number;
  }): Promise<ErrorRecord[]>;
  errorGroups(flow?: string): Promise<Record<string, unknown>[]>;
  getError(id: string): Promise<ErrorRecord | undefined>;
  retry(id: string, payload?: unknown): Promise<{ runId: string; recordKey: string }>;
  retryGroup(fingerprint: string): Promise<number>;
  resolve(id: string, note: string): Promise<void>;
  /** Orders not shipped due within `hours` (default fulfillment.lateWarningHours) or overdue. */
  lateOrders(hours: number | undefined): Promise<LateList>;
  /** The settlements tie-out (docs/settlements.md): every statement, one, or one shop's. */
  reconcile(q: { statement?: string | undefined; shop?: string | undefined }): Promise<Reconciliation>;
  close(): Promise<void>;
}

function localOps(rt: CliRuntime): Ops {
  const deps = { stores: rt.stores, engine: rt.engine };
  return {
    listRuns: (q) => rt.stores.runs.list({ flowId: q.flow, limit: q.limit }),
    trigger: (flow, params, trigger = 'manual') => rt.engine.trigger(flow, trigger, params),
    getRun: (id) => rt.stores.runs.get(id),
    listErrors: (q) =>
      rt.stores.errors.list({ status: q.status, limit: q.limit, ...(q.flow ? { flowId: q.flow } : {}) }),
    errorGroups: (flow) => rt.stores.errors.groups(flow ? { flowId: flow } : {}),
    getError: (id) => rt.stores.errors.get(id),
    retry: (id, payload) => retryError(deps, id, payload === undefined ? {} : { payload }),
    retryGroup: async (fp) => (await retryGroup(deps, fp)).length,
    resolve: (id, note) => resolveError(rt.stores, id, note),
    lateOrders: (hours) =>
      lateList(rt.stores.db, { hours: hours ?? rt.config.fulfillment.lateWarningHours, now: new Date() }),
    reconcile: (q) => {
      const services = rt.settlements?.services;
      if (!services) throw notEnabled();
      return reconcile(services, { statementId: q.statement, shopId: q.shop });
    },
    close: () => rt.close({ graceMs: 0 }),
  };
}

function remoteOps(base: string, token: string | undefined): Ops {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as { error?: { code: string; message: string } } & T;
    if (res.status === 404) return undefined as T;
    if (res.status === 401) {
      throw new AppError(
        'unauthorized',
        `the running server at ${base} refused the admin token: set TIKSUITE_ADMIN_TOKEN (or server.adminToken) to the token it uses`,
      );
    }
    if (!res.ok) throw new AppError('validation_failed', json.error?.message ?? `HTTP ${res.status}`);
    return json;
  };
  const qs = (o: Record<string, unknown>) =>
    new URLSearchParams(
      Object.entries(o).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]])),
    ).toString();
  return {
    listRuns: async (q) => (await call<{ runs: RunRow[] }>('GET', `/runs?${qs(q)}`)).runs,
    trigger: async (flow, params, trigger = 'manual') =>
      (await call<{ runId: string }>('POST', `/flows/${flow}/runs`, { params, trigger })).runId,
    getRun: async (id) => (await call<{ run: RunRow } | undefined>('GET', `/runs/${id}`))?.run,
    listErrors: async (q) => (await call<{ errors: ErrorRecord[] }>('GET', `/errors?${qs(q)}`)).errors,
    errorGroups: async (flow) =>
      (await call<{ groups: Record<string, unknown>[] }>('GET', `/errors?${qs({ grouped: 'true', flow })}`))
        .groups,
    getError: async (id) => (await call<{ error: ErrorRecord } | undefined>('GET', `/errors/${id}`))?.error,
    retry: (id, payload) => call('POST', `/errors/${id}/retry`, payload === undefined ? {} : { payload }),
    retryGroup: async (fp) =>
      (await call<{ retried: unknown[] }>('POST', `/error-groups/${fp}/retry`)).retried.length,
    resolve: async (id, note) => {
      await call('POST', `/errors/${id}/resolve`, { note });
    },
    lateOrders: async (hours) => {
      const list = await call<LateList | undefined>('GET', `/fulfillment/late?${qs({ hours })}`);
      if (!list)
        throw new AppError('not_found', `the running server at ${base} has no /api/fulfillment/late`);
      return list;
    },
    reconcile: async (q) => {
      const out = await call<Reconciliation | undefined>('GET', `/finance/reconcile?${qs(q)}`);
      if (!out) throw notEnabled();
      return out;
    },
    close: async () => undefined,
  };
}

function notEnabled(): AppError {
  return new AppError(
    'validation_failed',
    'settlements are not enabled here: set settlements.enabled: true with its accounts in tiksuite.yaml (docs/settlements.md), and configure tiktok:, netsuite: and shops:',
  );
}

export async function openOps(s: CliServices, g: GlobalOptions): Promise<Ops> {
  const config = s.loadConfig(g);
  const log = s.logger(config, { ...g, pretty: false });
  try {
    return localOps(await s.openRuntime(config, log, { work: false }));
  } catch (err) {
    if (!isAppError(err) || err.code !== 'data_dir_locked') throw err;
    // `tiksuite serve` owns the embedded database: ask it instead.
    const base = serverUrl(config.homeDir) ?? `http://${config.server.host}:${config.server.port}`;
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (!ok) throw err;
    // The same token the server resolved: configured, or the development token file in this home.
    return remoteOps(base, findAdminToken(config));
  }
}

/** The URL a running `tiksuite serve` wrote into the home directory, if any. */
function serverUrl(homeDir: string): string | undefined {
  try {
    const info: unknown = JSON.parse(readFileSync(join(homeDir, 'server.json'), 'utf8'));
    if (info && typeof info === 'object' && 'url' in info && typeof info.url === 'string') return info.url;
  } catch {
    // no server file: fall back to the configured address
  }
  return undefined;
}

/**
 * `<noun> sync`: starts a run of `flow` (through the running server when there is one), with
 * `--wait` shows progress on stderr until it ends, then prints the run (`--json`) or one line.
 */
export async function startRun(
  s: CliServices,
  g: GlobalOptions,
  o: {
    flow: string;
    params: Record<string, unknown>;
    trigger: 'manual' | 'backfill';
    /** What to configure when the flow is not running, e.g. "set inventory.enabled: true and ...". */
    notRunning: string;
    /** What the run's records are, for the progress line ("orders"). */
    noun: string;
    /** The closing line after `run <id> <status>: `. */
    summary: (run: RunRow) => string;
    wait: boolean | undefined;
    json: boolean | undefined;
    pollMs?: number;
  },
): Promise<void> {
  const ops = await openOps(s, g);
  try {
    const runId = await ops.trigger(o.flow, o.params, o.trigger).catch((err: unknown) => {
      if (isAppError(err) && err.code === 'flow_not_found')
        throw new AppError('flow_not_found', `${o.flow} is not running: ${o.notRunning} in tiksuite.yaml`);
      throw err;
    });
    let run = await ops.getRun(runId);
    while (o.wait && run?.status === 'running') {
      if (!o.json)
        process.stderr.write(`\r${run.succeeded + run.failed + run.skipped}/${run.received} ${o.noun}`);
      await new Promise((r) => setTimeout(r, o.pollMs ?? 500));
      run = await ops.getRun(runId);
    }
    if (o.wait && !o.json) process.stderr.write('\n');
    if (o.json) printJson(run);
    else process.stdout.write(`run ${runId} ${run?.status ?? 'queued'}${run ? `: ${o.summary(run)}` : ''}\n`);
  } finally {
    await ops.close();
  }
}
