/**
 * NetSuite's error bodies (reference section 5.1): problem details with `o:errorDetails`.
 * Handlers throw SandboxError; the app renders it.
 */
import type { Context } from 'hono';

const TYPE_400 = 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.1';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Bad Request',
  500: 'Internal Server Error',
};

export class SandboxError extends Error {
  readonly status: number;
  readonly code: string;
  readonly path: string | undefined;
  readonly topCode: string | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    detail: string,
    opts: { path?: string; topCode?: string; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.status = status;
    this.code = code;
    this.path = opts.path;
    this.topCode = opts.topCode;
    this.headers = opts.headers ?? {};
  }
}

export function problemBody(err: SandboxError): Record<string, unknown> {
  return {
    type: err.status === 400 ? TYPE_400 : 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html',
    title: TITLES[err.status] ?? 'Error',
    status: err.status,
    ...(err.topCode ? { 'o:errorCode': err.topCode } : {}),
    'o:errorDetails': [
      { detail: err.message, 'o:errorCode': err.code, ...(err.path ? { 'o:errorPath': err.path } : {}) },
    ],
  };
}

export function problemResponse(c: Context, err: SandboxError): Response {
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  c.header('content-type', 'application/vnd.oracle.resource+json; type=error');
  return c.body(JSON.stringify(problemBody(err)), err.status as 400);
}

// --- the errors the sandbox raises, in NetSuite's vocabulary ---

export const invalidLogin = (reason: string) =>
  new SandboxError(
    401,
    'INVALID_LOGIN',
    'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
    { headers: { 'x-sandbox-auth-reason': reason } },
  );

/** The documented 429 body (section 6.1), top-level USER_ERROR included. */
export const concurrencyExceeded = () =>
  new SandboxError(429, 'CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded. Request blocked.', {
    topCode: 'USER_ERROR',
  });

export const notFound = () => new SandboxError(404, 'NONEXISTENT_ID', 'Record does not exist.');

export const invalidContent = (detail: string, path?: string) =>
  new SandboxError(400, 'INVALID_CONTENT', detail, path ? { path } : {});

export const invalidField = (field: string, value: string, path?: string) =>
  invalidContent(
    `Error while accessing resource: You have entered an Invalid Field Value ${value} for the following field: ${field}`,
    path ?? field,
  );

export const userError = (detail: string, path?: string) =>
  new SandboxError(400, 'USER_ERROR', detail, path ? { path } : {});

export const invalidRequest = (detail: string) => new SandboxError(400, 'INVALID_REQUEST', detail);

export const invalidParameter = (detail: string) => new SandboxError(400, 'INVALID_PARAMETER', detail);

export const unexpected = (errorId: string) =>
  new SandboxError(500, 'UNEXPECTED_ERROR', `An unexpected error occurred. Error ID: ${errorId}`);
