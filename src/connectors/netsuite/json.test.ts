import { describe, expect, it } from 'vitest';
import { normalizeDecimal, nsDecimal, parseNsJson, stringifyNs } from './json.ts';

describe('float-free JSON', () => {
  it('reads numbers as their exact source text', () => {
    expect(parseNsJson('{"rate":19.99,"q":2,"big":12345678901234567.89}')).toEqual({
      rate: '19.99',
      q: '2',
      big: '12345678901234567.89',
    });
  });

  it('writes decimals as number literals with the same digits', () => {
    expect(stringifyNs({ amount: nsDecimal('0.10'), quantity: 2 })).toBe('{"amount":0.10,"quantity":2}');
    expect(() => nsDecimal('1e3')).toThrow(RangeError);
  });

  it('normalises decimals', () => {
    expect(normalizeDecimal('019.50')).toBe('19.5');
    expect(normalizeDecimal('-0.00')).toBe('0');
    expect(normalizeDecimal('3')).toBe('3');
    expect(normalizeDecimal('-4.250')).toBe('-4.25');
  });
});
