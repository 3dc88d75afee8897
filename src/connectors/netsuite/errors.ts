/**
 * The one factory from a NetSuite error response to a typed AppError (reference section 5). It
 * branches on HTTP status and `o:errorCode`, never on `detail` text.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html
 */
import { AppError, type ErrorCode } from '../../shared/errors.ts';
import { parseRetryAfter } from '../../shared/retry.ts';
import { parseNsJson } from './json.ts';
import { type NsProblem, nsProblem } from './wire/common.ts';

/**
 * Codes NetSuite may use for a duplicate external id. REST's code is UNCONFIRMED (section 5.2);
 * SOAP uses DUP_* codes, so those are recognised and the sandbox emits DUP_RCRD by default.
 */
export const DUPLICATE_CODES: ReadonlySet<string> = new Set([
  'DUP_RCRD',
  'DUP_ENTITY',
  'DUP_ITEM',
  'DUP_CSTM_RCRD_ENTRY',
]);

/** Codes meaning "someone else is changing this record": worth a retry (SOAP vocabulary, UNCONFIRMED for REST). */
export const LOCKED_CODES: ReadonlySet<string> = new Set(['RCRD_HAS_BEEN_CHANGED', 'RCRD_LOCKED_BY_WF']);

export interface ErrorContext {
  method: string;
  url: string;
  nowMs: number;
  retryAfter?: string | null;
  /** Attempts the transport made (a 404 on a retried DELETE means the first one worked). */
  attempts?: number;
}

export function parseProblem(text: string): NsProblem | undefined {
  try {
    const parsed = nsProblem.safeParse(parseNsJson(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Every `o:errorCode` in the body: top level first, then each detail's. */
export function problemCodes(problem: NsProblem | undefined): string[] {
  if (!problem) return [];
  const codes = problem['o:errorDetails'].map((d) => d['o:errorCode']).filter((c) => c !== undefined);
  const top = problem['o:errorCode'];
  return top ? [top, ...codes] : codes;
}

function codeFor(status: number, codes: readonly string[]): ErrorCode {
  if (codes.includes('CONCURRENCY_LIMIT_EXCEEDED') || status === 429) return 'netsuite_concurrency_limit';
  if (status === 401 || codes.includes('INVALID_LOGIN')) return 'netsuite_invalid_login';
  if (status === 403 || codes.includes('INSUFFICIENT_PERMISSION')) return 'netsuite_permission_denied';
  if (status === 404 || codes.includes('NONEXISTENT_ID')) return 'netsuite_record_not_found';
  if (codes.some((c) => DUPLICATE_CODES.has(c))) return 'netsuite_duplicate_external_id';
  if (codes.some((c) => LOCKED_CODES.has(c))) return 'netsuite_record_locked';
  if (status >= 500) return 'netsuite_unavailable';
  if (status >= 400) return 'netsuite_validation';
  return 'netsuite_unexpected_response';
}

/** Builds the typed error for a non-2xx NetSuite response. */
export function netsuiteError(status: number, text: string, ctx: ErrorContext): AppError {
  const problem = parseProblem(text);
  const codes = problemCodes(problem);
  const code = problem || status >= 500 || status === 429 ? codeFor(status, codes) : unparsedCode(status);
  const details = problem?.['o:errorDetails'] ?? [];
  const summary =
    details
      .map((d) => d.detail)
      .filter(Boolean)
      .join('; ') || text.slice(0, 200);
  return new AppError(
    code,
    `NetSuite ${ctx.method} ${pathOf(ctx.url)} -> ${status} ${codes.join(',')}: ${summary}`,
    {
      details: {
        status,
        attempts: ctx.attempts,
        codes,
        paths: details.map((d) => d['o:errorPath']).filter(Boolean),
        body: problem ? undefined : text.slice(0, 500),
      },
      retryAfterMs: parseRetryAfter(ctx.retryAfter, ctx.nowMs),
    },
  );
}

function unparsedCode(status: number): ErrorCode {
  if (status === 401) return 'netsuite_invalid_login';
  if (status === 404) return 'netsuite_record_not_found';
  return 'netsuite_unexpected_response';
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
