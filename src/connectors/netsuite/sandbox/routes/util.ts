/** Small helpers shared by the sandbox routes. */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { invalidContent, invalidRequest } from '../problem.ts';
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

/**
 * Reads an admin API body as plain JSON (numbers as numbers): an empty body is `{}`, anything that
 * does not parse is a 400 naming the problem, never an unexpected 500.
 */
export async function readAdminJson(c: Context<Env>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw invalidContent('The request body is not valid JSON: send a JSON object.');
  }
}

/** Decodes one percent-encoded path segment; bytes that are not UTF-8 are a 400, not a 500. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidRequest(`The URL path segment '${segment}' is not valid percent-encoded UTF-8.`);
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
