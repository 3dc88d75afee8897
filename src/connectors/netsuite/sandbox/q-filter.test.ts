import { describe, expect, it } from 'vitest';
import { compileQ } from './q-filter.ts';

const rec: Record<string, unknown> = {
  email: 'barbara@example.com',
  companyname: 'Barbara Allen',
  isinactive: false,
  total: '42.50',
  trandate: '2026-03-14',
};
const get = (f: string) => rec[f.toLowerCase()];

describe('q filter (reference 4.7)', () => {
  it.each([
    ['email START_WITH barbara', true],
    ['companyName IS "Barbara Allen"', true],
    ['companyName IS_NOT "Barbara Allen"', false],
    ['isInactive IS false', true],
    ['total GREATER 40 AND total LESS 50', true],
    ['email CONTAIN nope OR (total EQUAL 42.5 AND email END_WITH .com)', true],
    ['tranDate ON_OR_AFTER "3/14/2026"', true],
    ['tranDate AFTER "3/14/2026"', false],
    ['total ANY_OF [1, 42.50, 7]', true],
    ['memo EMPTY', true],
  ])('%s -> %s', (q, expected) => {
    expect(compileQ(q)(get)).toBe(expected);
  });

  it('refuses ISO dates and unknown operators like NetSuite (400 INVALID_PARAMETER)', () => {
    expect(() => compileQ('tranDate AFTER "2026-03-14"')).toThrow(/Unparseable date/);
    expect(() => compileQ('email LIKE x')).toThrow(/unsupported operator/);
  });
});
