import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError, classifyError, ERROR_CODES } from './errors.ts';

describe('error registry', () => {
  it('documents every code in docs/errors.md with its class and retry behaviour', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/errors.md'), 'utf8');
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      const line = `- \`${code}\` (${info.errorClass}, ${info.retryable ? 'retryable' : 'final'}):`;
      expect(doc, `docs/errors.md lacks: ${line}`).toContain(line);
    }
    const documented = [...doc.matchAll(/^- `([a-z0-9_]+)` \(/gm)].map((m) => m[1]);
    expect(documented.filter((c) => !(c! in ERROR_CODES))).toEqual([]);
  });

  it('gives every code a snake_case name and a doc line', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(info.doc.length).toBeGreaterThan(10);
    }
  });

  it('classifies AppErrors by registry and anything else as unknown', () => {
    const e = new AppError('rate_limited', 'slow down', { retryAfterMs: 500 });
    expect(classifyError(e)).toEqual({ errorClass: 'rate_limit', retryable: true, code: 'rate_limited' });
    expect(e.retryAfterMs).toBe(500);
    expect(new AppError('http_error', 'x', { retryable: true }).retryable).toBe(true);
    expect(classifyError(new TypeError('boom'))).toEqual({
      errorClass: 'unknown',
      retryable: false,
      code: 'internal',
    });
  });
});
