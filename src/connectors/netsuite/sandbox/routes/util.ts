/** Small helpers shared by the sandbox routes. */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { invalidContent } from '../problem.ts';
import { isPlainObject, readJson } from '../values.ts';

export type Env = { Bindings: HttpBindings };

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

/** Reads a JSON body keeping exact number text; an empty body is `{}`. */
export async function readBody(c: Context<Env>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return readJson(text);
  } catch {
    throw invalidContent('The request body is not valid JSON.');
  }
}

/** Lines written by a request: drives the per-line latency. */
export function lineCount(body: unknown): number {
  if (!isPlainObject(body)) return 0;
  let n = 0;
  for (const v of Object.values(body)) {
    if (isPlainObject(v) && Array.isArray(v['items'])) n += v['items'].length;
  }
  return n;
}
