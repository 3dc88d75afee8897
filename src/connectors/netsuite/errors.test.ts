import { describe, expect, it } from 'vitest';
import { netsuiteError } from './errors.ts';

const ctx = { method: 'POST', url: 'https://x.example/services/rest/record/v1/salesOrder', nowMs: 0 };
const body = (status: number, code: string, top?: string) =>
  JSON.stringify({
    type: 'https://www.rfc-editor.org/rfc/rfc9110.html',
    title: 't',
    status,
    ...(top ? { 'o:errorCode': top } : {}),
    'o:errorDetails': [{ detail: 'd', 'o:errorCode': code, 'o:errorPath': 'item.items[0].item' }],
  });

describe('netsuiteError factory (reference section 5.2)', () => {
  it.each([
    [401, 'INVALID_LOGIN', 'netsuite_invalid_login', false],
    [429, 'CONCURRENCY_LIMIT_EXCEEDED', 'netsuite_concurrency_limit', true],
    [400, 'INVALID_CONTENT', 'netsuite_validation', false],
    [400, 'INVALID_KEY_OR_REF', 'netsuite_validation', false],
    [404, 'NONEXISTENT_ID', 'netsuite_record_not_found', false],
    [400, 'DUP_RCRD', 'netsuite_duplicate_external_id', false],
    [400, 'RCRD_HAS_BEEN_CHANGED', 'netsuite_record_locked', true],
    [500, 'UNEXPECTED_ERROR', 'netsuite_unavailable', true],
    [403, 'INSUFFICIENT_PERMISSION', 'netsuite_permission_denied', false],
  ])('%i %s -> %s', (status, nsCode, code, retryable) => {
    const err = netsuiteError(status, body(status, nsCode, status === 429 ? 'USER_ERROR' : undefined), ctx);
    expect(err.code).toBe(code);
    expect(err.retryable).toBe(retryable);
    expect(err.details['paths']).toEqual(['item.items[0].item']);
  });

  it('keeps unparseable bodies as unexpected, 5xx as retryable', () => {
    expect(netsuiteError(418, '<html>', ctx).code).toBe('netsuite_unexpected_response');
    expect(netsuiteError(502, '<html>', ctx).code).toBe('netsuite_unavailable');
  });

  it('reads Retry-After when present', () => {
    const err = netsuiteError(429, body(429, 'CONCURRENCY_LIMIT_EXCEEDED'), { ...ctx, retryAfter: '2' });
    expect(err.retryAfterMs).toBe(2000);
  });
});
