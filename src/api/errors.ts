/** Maps failures to HTTP answers: a bad request gets a 4xx naming the field, never a 500. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { AppError, classifyError, errorMessage, sqlState } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import { storableText } from '../shared/text.ts';

export function statusFor(err: unknown): ContentfulStatusCode {
  if (err instanceof z.ZodError) return 400;
  if (err instanceof AppError) {
    if (err.code === 'error_not_found' || err.code === 'flow_not_found' || err.code === 'not_found')
      return 404;
    if (err.errorClass === 'validation' || err.errorClass === 'mapping') return 400;
    if (err.errorClass === 'conflict') return 409;
    if (err.errorClass === 'auth') return 401;
    if (err.errorClass === 'rate_limit') return 429;
    if (err.errorClass === 'transient') return 503;
  }
  const db = databaseRefusal(err);
  if (db) return db.status;
  return 500;
}

export function errorBody(err: unknown) {
  if (err instanceof z.ZodError) {
    return {
      error: {
        code: 'validation_failed',
        message: err.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '),
        issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    };
  }
  const db = databaseRefusal(err);
  if (db) return { error: { code: db.error.code, message: db.error.message, sqlstate: db.sqlstate } };
  const c = classifyError(err);
  return {
    error: {
      code: c.code,
      message: c.code === 'internal' ? 'internal error; see the server log' : errorMessage(err),
    },
  };
}

export function onError(log: Logger) {
  return (err: Error, c: Context) => {
    const status = statusFor(err);
    if (status >= 500) log.error({ err: errorMessage(err), path: c.req.path }, 'request failed');
    else if (databaseRefusal(err))
      log.warn({ err: errorMessage(err), path: c.req.path }, 'database refused input');
    return c.json(errorBody(err), status);
  };
}

/** Parses a JSON body with a zod schema; malformed JSON is a 400 too. */
export async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError('validation_failed', 'request body is not valid JSON');
    }
  }
  if (nestsDeeper(value, MAX_BODY_DEPTH))
    throw new AppError(
      'validation_failed',
      `request body nests deeper than ${MAX_BODY_DEPTH} levels; send the object flat (no API body needs more)`,
    );
  return schema.parse(value);
}

/** How deep a request body may nest: the checks behind it recurse (20,000 levels were a 500). */
export const MAX_BODY_DEPTH = 64;

/** True when objects or arrays nest deeper than `max`; iterative, so any depth is safe to ask about. */
function nestsDeeper(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

interface DatabaseRefusal {
  status: 400 | 409;
  sqlstate: string;
  error: AppError;
}

/**
 * The safety net behind the zod checks at the edge: a PostgreSQL (or PGlite) error in SQLSTATE
 * class 22 (data exception: invalid text, a number out of range ...) or 23 (integrity constraint
 * violation) was caused by a value in the request, so it is a 4xx naming the SQLSTATE, never a 500.
 * Both drivers throw an error carrying `code` (the SQLSTATE) and `severity`.
 */
export function databaseRefusal(err: unknown): DatabaseRefusal | undefined {
  const sqlstate = sqlState(err);
  if (sqlstate?.startsWith('22')) {
    const message = `the database refused a value in this request (SQLSTATE ${sqlstate}: ${dbMessage(err)}); check the values sent`;
    return { status: 400, sqlstate, error: new AppError('database_rejected_input', message) };
  }
  if (sqlstate?.startsWith('23')) {
    const message = `the request conflicts with stored data (SQLSTATE ${sqlstate}: ${dbMessage(err)}); reload and try again`;
    return { status: 409, sqlstate, error: new AppError('database_conflict', message) };
  }
  return undefined;
}

function dbMessage(err: unknown): string {
  // The database quotes the offending value in its message; keep the answer itself storable text.
  return storableText(errorMessage(err));
}
