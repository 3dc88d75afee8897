/** REST routes over runs, flows and the error queue. They ask flows and store, never a connector. */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type FlowEngine, resolveError, retryError, retryGroup } from '../../flows/index.ts';
import { AppError } from '../../shared/errors.ts';
import { safeJson, safeText } from '../../shared/text.ts';
import type { Stores } from '../../store/index.ts';
import { jsonBody } from '../errors.ts';

export interface OpsDeps {
  stores: Stores;
  engine: FlowEngine;
}

/** A flow id, error class or record id given in a query or path: storable text of sane length. */
const Name = safeText(z.string().min(1).max(200));

/** A path parameter checked like any other input, so the 400 names it. */
function pathParam(c: Context, name: string): string {
  return z.record(z.string(), Name).parse({ [name]: c.req.param(name) })[name] ?? '';
}

const ListRuns = z.object({
  flow: Name.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const ListErrors = z.object({
  status: z.enum(['open', 'retrying', 'resolved', 'all']).default('open'),
  flow: Name.optional(),
  class: Name.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  grouped: z.enum(['true', 'false']).optional(),
});
const RetryBody = z.object({ payload: safeJson(z.unknown()).optional() }).strict();
const ResolveBody = z.object({ note: safeText(z.string().max(2000)).default('') }).strict();
const TriggerBody = z
  .object({
    trigger: z.enum(['manual', 'backfill']).default('manual'),
    params: safeJson(z.record(z.string(), z.unknown())).default({}),
  })
  .strict();

export function opsRoutes(deps: OpsDeps): Hono {
  const app = new Hono();
  const { stores, engine } = deps;

  app.get('/flows', (c) =>
    c.json({
      flows: [...engine.flows.values()].map((f) => ({
        id: f.id,
        version: f.version,
        description: f.description ?? null,
        triggers: f.triggers,
      })),
    }),
  );
  app.post('/flows/:id/runs', async (c) => {
    const body = await jsonBody(c, TriggerBody);
    const runId = await engine.trigger(pathParam(c, 'id'), body.trigger, body.params);
    return c.json({ runId }, 202);
  });

  app.get('/runs', async (c) => {
    const q = ListRuns.parse(c.req.query());
    return c.json({ runs: await stores.runs.list({ flowId: q.flow, limit: q.limit }) });
  });
  app.get('/runs/:id', async (c) => {
    const id = pathParam(c, 'id');
    const run = await stores.runs.get(id).catch(() => undefined);
    if (!run) throw new AppError('not_found', `no run "${id}"`);
    return c.json({ run });
  });

  app.get('/errors', async (c) => {
    const q = ListErrors.parse(c.req.query());
    if (q.grouped === 'true')
      return c.json({ groups: await stores.errors.groups(q.flow ? { flowId: q.flow } : {}) });
    const errors = await stores.errors.list({
      status: q.status,
      limit: q.limit,
      ...(q.flow ? { flowId: q.flow } : {}),
      ...(q.class ? { errorClass: q.class } : {}),
    });
    return c.json({ errors, countsByClass: await stores.errors.countsByClass() });
  });
  app.get('/errors/:id', async (c) => {
    const id = pathParam(c, 'id');
    const error = await stores.errors.get(id);
    if (!error) throw new AppError('error_not_found', `no error record "${id}"`);
    return c.json({ error });
  });
  app.post('/errors/:id/retry', async (c) => {
    const body = await jsonBody(c, RetryBody);
    const result = await retryError(
      deps,
      pathParam(c, 'id'),
      'payload' in body ? { payload: body.payload } : {},
    );
    return c.json(result, 202);
  });
  app.post('/errors/:id/resolve', async (c) => {
    const body = await jsonBody(c, ResolveBody);
    await resolveError(stores, pathParam(c, 'id'), body.note);
    return c.json({ resolved: true });
  });
  app.post('/error-groups/:fingerprint/retry', async (c) => {
    return c.json({ retried: await retryGroup(deps, pathParam(c, 'fingerprint')) }, 202);
  });
  return app;
}
