/** Handler plumbing shared by the API routes: envelope, body parsing, cursor pages. */
import type { Handler } from 'hono';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors.ts';
import { type Ctx, invalidParam, SandboxError } from './context.ts';
import { envelope, errorResponse, type SandboxEnv } from './gate.ts';
import type { Authorization, Shop } from './model.ts';

export interface ApiInput {
  ctx: Ctx;
  shop: Shop;
  auth: Authorization;
  query: Record<string, string>;
  body: unknown;
  param: (name: string) => string;
  path: string;
}

/** `route` with the context bound: what the route-group functions receive. */
export type Wrap = (fn: (x: ApiInput) => unknown) => Handler<SandboxEnv>;

/** Wraps a handler: its return value is `data`; SandboxError becomes an error envelope. */
export function route(getCtx: () => Ctx, fn: (x: ApiInput) => unknown): Handler<SandboxEnv> {
  return async (c) => {
    const ctx = getCtx();
    try {
      const data = await fn({
        ctx,
        shop: c.get('shop'),
        auth: c.get('auth'),
        query: c.get('query'),
        body: c.get('body'),
        param: (name) => c.req.param(name) ?? '',
        path: c.req.path,
      });
      return c.json(envelope(ctx, 0, 'Success', data ?? {}));
    } catch (err) {
      return errorResponse(c, ctx, asSandboxError(err));
    }
  };
}

export function asSandboxError(err: unknown): SandboxError {
  if (err instanceof SandboxError) return err;
  // parseMoney and friends reject bad input with validation_failed: a parameter error here.
  if (err instanceof AppError && err.code === 'validation_failed') return invalidParam(err.message);
  throw err;
}

/** zod-parses a body; the first issue becomes "param body.<path> …" like TikTok's 36009004. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.output<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const at = issue ? [where, ...issue.path.map(String)].join('.') : where;
  throw invalidParam(`param ${at} is invalid: ${issue?.message ?? 'bad value'}`);
}

function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/**
 * One cursor page (reference §10.2): `page_size` in [1, max] (required unless `defaultSize`), an
 * opaque token encoding the offset and a hash of the filters, empty `next_page_token` at the end.
 */
export function page<T>(
  items: readonly T[],
  query: Record<string, string>,
  opts: { max: number; filters: unknown; defaultSize?: number },
): { slice: T[]; next_page_token: string; total_count: number } {
  const raw = query.page_size;
  const size = raw === undefined ? opts.defaultSize : Number.parseInt(raw, 10);
  if (
    size === undefined ||
    !Number.isInteger(size) ||
    size < 1 ||
    size > opts.max ||
    (raw !== undefined && !/^\d+$/.test(raw))
  ) {
    throw invalidParam(`param page_size must be an integer in [1, ${opts.max}]`);
  }
  const hash = fnv(JSON.stringify(opts.filters ?? {}));
  let offset = 0;
  if (query.page_token) {
    const m = /^(\d+)\.([0-9a-z]+)$/.exec(Buffer.from(query.page_token, 'base64url').toString('utf8'));
    if (!m || m[2] !== hash) throw invalidParam('param page_token is invalid for these filters');
    offset = Number.parseInt(m[1]!, 10);
  }
  const slice = items.slice(offset, offset + size);
  const end = offset + slice.length;
  const next = end < items.length ? Buffer.from(`${end}.${hash}`).toString('base64url') : '';
  return { slice, next_page_token: next, total_count: items.length };
}

/** Inclusive/exclusive time-window filter used by every search. */
export function inWindow(t: number, ge: number | undefined, lt: number | undefined): boolean {
  return (ge === undefined || t >= ge) && (lt === undefined || t < lt);
}
