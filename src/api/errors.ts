/** Maps failures to HTTP answers: a bad request gets a 4xx naming the field, never a 500. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { AppError, classifyError, errorMessage } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';

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
  return schema.parse(value);
}
