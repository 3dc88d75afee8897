import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { addMoney, allocateMoney, formatMoney, multiplyMoney, parseMoney } from './money.ts';

describe('money', () => {
  it('parses decimal strings into minor units and formats them back', () => {
    expect(parseMoney('12.30', 'USD').minor).toBe(1230n);
    expect(parseMoney('-0.05', 'USD').minor).toBe(-5n);
    expect(parseMoney('1500', 'JPY').minor).toBe(1500n);
    expect(formatMoney(parseMoney('7', 'USD'))).toBe('7.00');
    expect(formatMoney({ minor: -5n, currency: 'USD' })).toBe('-0.05');
    expect(formatMoney({ minor: 1234n, currency: 'KWD' })).toBe('1.234');
  });

  it('never turns a missing or malformed amount into 0', () => {
    expect(() => parseMoney(undefined, 'USD', 'payment.total_amount')).toThrow(
      /payment.total_amount is missing/,
    );
    expect(() => parseMoney('', 'USD')).toThrow(AppError);
    expect(() => parseMoney('1e3', 'USD')).toThrow(/not a decimal amount/);
    expect(() => parseMoney('1.005', 'USD')).toThrow(/more than 2 decimals/);
    expect(parseMoney('1.500', 'USD').minor).toBe(150n);
  });

  it('adds, multiplies and refuses mixed currencies', () => {
    const a = parseMoney('0.10', 'USD');
    expect(formatMoney(addMoney(a, parseMoney('0.20', 'USD')))).toBe('0.30');
    expect(formatMoney(multiplyMoney(a, 3))).toBe('0.30');
    expect(() => addMoney(a, parseMoney('1', 'EUR'))).toThrow(/cannot combine/);
    expect(() => multiplyMoney(a, 1.5)).toThrow(/not an integer/);
  });

  it('allocates a total over weights so the parts sum exactly', () => {
    const parts = allocateMoney(parseMoney('10.00', 'USD'), [1n, 1n, 1n]);
    expect(parts.map(formatMoney)).toEqual(['3.34', '3.33', '3.33']);
    const neg = allocateMoney(parseMoney('-1.00', 'USD'), [2999n, 1n]);
    expect(neg.reduce((s, p) => s + p.minor, 0n)).toBe(-100n);
  });
});
