import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { fromMinor, Money, money, toMinor } from './money.ts';
import { OrderLine } from './order.ts';

describe('domain money', () => {
  it('normalises decimal strings to the currency exponent and round-trips through minor units', () => {
    expect(money('5', 'USD')).toEqual({ amount: '5.00', currency: 'USD' });
    expect(money('1200', 'JPY')).toEqual({ amount: '1200', currency: 'JPY' });
    expect(fromMinor(toMinor({ amount: '-0.10', currency: 'GBP' }))).toEqual({
      amount: '-0.10',
      currency: 'GBP',
    });
  });

  it('treats a missing amount as an error, never as 0', () => {
    expect(() => money(undefined, 'USD', 'payment.tax')).toThrow(AppError);
    expect(() => money('', 'USD')).toThrow(/missing/);
  });

  it('rejects numbers and malformed strings in the schema', () => {
    expect(Money.safeParse({ amount: 19.99, currency: 'USD' }).success).toBe(false);
    expect(Money.safeParse({ amount: '1e3', currency: 'USD' }).success).toBe(false);
    expect(Money.safeParse({ amount: '19.99', currency: 'usd' }).success).toBe(false);
  });
});

describe('OrderLine', () => {
  const m = (amount: string) => ({ amount, currency: 'USD' });
  const line = {
    sku: 'A',
    quantity: 2,
    cancelled: false,
    unitPrice: m('1.00'),
    sellerDiscount: m('0.00'),
    platformDiscount: m('0.00'),
    tax: m('0.00'),
    sourceLineIds: ['1', '2'],
  };

  it('needs a positive integer quantity', () => {
    expect(OrderLine.safeParse(line).success).toBe(true);
    expect(OrderLine.safeParse({ ...line, quantity: 1.5 }).success).toBe(false);
    expect(OrderLine.safeParse({ ...line, quantity: 0 }).success).toBe(false);
  });
});
