/**
 * The sandbox's Hono app: NetSuite's REST surface under /services/ (governance -> faults ->
 * authentication -> latency -> handler) and the admin API under /_sandbox/.
 */
import { Hono } from 'hono';
import { ZodError } from 'zod';
import { PATHS } from '../manifest.ts';
import { concurrencyExceeded, invalidLogin, problemResponse, SandboxError, unexpected } from './problem.ts';
import { adminRoutes } from './routes/admin.ts';
import { suiteqlRoute } from './routes/query.ts';
import { recordRoute } from './routes/record.ts';
import { type Env, sleep } from './routes/util.ts';
import type { SandboxState } from './state.ts';

function kindOf(path: string): string {
  if (path.startsWith(PATHS.record)) return path.slice(PATHS.record.length + 1).split('/')[0] ?? 'record';
  if (path.startsWith(PATHS.suiteql)) return 'suiteql';
  if (path.startsWith(PATHS.token)) return 'token';
  return 'other';
}

export function createSandboxApp(state: SandboxState): Hono<Env> {
  const app = new Hono<Env>();
  app.onError((err, c) => {
    if (err instanceof SandboxError) return problemResponse(c, err);
    if (err instanceof ZodError) return c.json({ error: 'invalid_request', issues: err.issues }, 400);
    const errorId = `sandbox-${Date.now().toString(36)}`;
    state.recordInternalError(errorId, err);
    return problemResponse(c, unexpected(errorId));
  });
  app.use('/services/*', async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (!state.governance.enter(kindOf(path))) {
      const slow = state.settings.faults.overloadInvalidLoginMs;
      if (slow <= 0) {
        const retryAfter = state.settings.behaviour.retryAfterOn429Sec;
        if (retryAfter > 0) c.header('retry-after', String(retryAfter));
        return problemResponse(c, concurrencyExceeded());
      }
      await sleep(slow * state.settings.latency.timeScale);
      return problemResponse(c, invalidLogin('overload'));
    }
    try {
      if (state.governance.fail5xx()) {
        await sleep(state.governance.latencyMs('read', 0));
        return problemResponse(c, unexpected(`fault-${state.governance.stats().faults.error_5xx}`));
      }
      if (!path.startsWith(PATHS.token))
        state.auth.verify(c.req.header('authorization'), c.req.method, c.req.url);
      await next();
    } finally {
      state.governance.leave();
    }
  });
  app.post(PATHS.token, async (c) => {
    await sleep(state.governance.latencyMs('token', 0));
    const form = new URLSearchParams(await c.req.text());
    const tokenUrl = `${new URL(c.req.url).origin}${PATHS.token}`;
    const { status, body } = await state.auth.issueToken(form, tokenUrl);
    if (status === 401) c.header('www-authenticate', `Basic realm="${state.settings.accountId}"`);
    return c.json(body, status === 200 ? 200 : status === 401 ? 401 : 400);
  });
  app.all(`${PATHS.record}/*`, (c) => recordRoute(c, state));
  app.post(PATHS.suiteql, (c) => suiteqlRoute(c, state));
  app.get(`${PATHS.system}/governanceLimits`, (c) =>
    // section 4.11: an account without integration-specific allocation.
    c.json({
      accountConcurrencyLimit: state.settings.concurrency,
      accountUnallocatedConcurrencyLimit: state.settings.concurrency,
      integrationLimitType: 'accountLimit',
    }),
  );
  app.route('/_sandbox', adminRoutes(state));
  app.notFound((c) =>
    problemResponse(
      c,
      new SandboxError(404, 'INVALID_REQUEST', `No resource at ${new URL(c.req.url).pathname}.`),
    ),
  );
  return app;
}
