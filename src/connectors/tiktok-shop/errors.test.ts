import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors.ts';
import { tiktokError } from './errors.ts';

const f = (code: number | undefined, httpStatus = 200) =>
  tiktokError({ code, message: 'm', requestId: 'r', httpStatus, method: 'GET', path: '/p' });

describe('tiktokError (reference §1.4)', () => {
  it.each([
    [106001, 401, 'tiktok_signature_invalid', false],
    [105002, 200, 'tiktok_token_expired', true],
    [105001, 200, 'tiktok_token_expired', true],
    [105005, 200, 'tiktok_scope_denied', false],
    [36004001, 200, 'tiktok_refresh_token_expired', false],
    [36004005, 200, 'tiktok_refresh_token_expired', false],
    [36009002, 429, 'tiktok_rate_limited', true],
    [36009002, 200, 'tiktok_rate_limited', true],
    [36009003, 200, 'tiktok_internal', true],
    [36009004, 200, 'tiktok_invalid_param', false],
    [12345678, 200, 'tiktok_api_error', false],
  ] as const)('maps code %i (HTTP %i) to %s', (code, status, expected, retryable) => {
    const err = f(code, status);
    expect(err.code).toBe(expected);
    expect(err.retryable).toBe(retryable);
    expect(err.details).toMatchObject({ tiktokCode: code, httpStatus: status, requestId: 'r' });
  });

  it('maps bodies that are not envelopes by HTTP status', () => {
    expect(f(undefined, 502).code).toBe('tiktok_internal');
    expect(f(undefined, 429).code).toBe('tiktok_rate_limited');
    expect(f(undefined, 404).code).toBe('tiktok_api_error');
  });

  it('registers every tiktok_ code with a doc line', () => {
    const codes = Object.entries(ERROR_CODES).filter(([k]) => k.startsWith('tiktok_'));
    expect(codes.length).toBeGreaterThanOrEqual(10);
    for (const [, info] of codes) expect(info.doc.length).toBeGreaterThan(20);
  });
});
