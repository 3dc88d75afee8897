/** Plumbing shared by the admin route files (routes-admin*.ts): the handler wrapper and lookups. */
import type { Context } from 'hono';
import { type Ctx, notFound } from './context.ts';
import type { SandboxEnv } from './gate.ts';
import type { Order, Shop } from './model.ts';
import { asSandboxError } from './route.ts';

export const base = '/_sandbox';

export type Run = (
  fn: (ctx: Ctx, body: unknown, c: Context<SandboxEnv>) => unknown,
) => (c: Context<SandboxEnv>) => Promise<Response>;

/**
 * Admin handler: plain JSON body in, the function's result out; errors as `{code, message}`, HTTP
 * 400 unless the error carries 404 or 409.
 */
export function adminHandler(getCtx: () => Ctx): Run {
  return (fn) => async (c) => {
    const ctx = getCtx();
    if (c.req.method !== 'GET') ctx.state.rev++;
    ctx.sim.tick();
    const text = c.req.method === 'GET' ? '' : await c.req.text();
    try {
      const body = text ? JSON.parse(text) : {};
      return c.json((await fn(ctx, body, c)) ?? {});
    } catch (err) {
      if (err instanceof SyntaxError) return c.json({ code: 36009004, message: 'body is not JSON' }, 400);
      const e = asSandboxError(err);
      return c.json({ code: e.code, message: e.message }, adminStatus(e.httpStatus));
    } finally {
      // Again after the change, so no render cached during the awaits above survives it.
      if (c.req.method !== 'GET') ctx.state.rev++;
    }
  };
}

/** 404 and 409 when the error asks for them (unknown id, a state that forbids it), else 400. */
function adminStatus(httpStatus: number): 400 | 404 | 409 {
  if (httpStatus === 404 || httpStatus === 409) return httpStatus;
  return 400;
}

export function shopOf(ctx: Ctx, id: string): Shop {
  const shop = ctx.state.shops.get(id);
  if (!shop) throw notFound(ctx, 'shop', id);
  return shop;
}

export function orderOf(ctx: Ctx, id: string): Order {
  const order = ctx.state.orders.get(id);
  if (!order) throw notFound(ctx, 'order', id);
  return order;
}
