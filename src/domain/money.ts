/**
 * Money in domain entities: a decimal string with its ISO currency (house rule 5). Arithmetic
 * goes through shared/money.ts in bigint minor units; never Number() or parseFloat on an amount.
 */
import { z } from 'zod';
import { formatMoney, type Money as MinorMoney, parseMoney } from '../shared/money.ts';

/** A decimal amount like "12.30" or "-4.00" (normalised to the currency's exponent). */
export const DecimalString = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal amount string like "12.34"');
export type DecimalString = z.infer<typeof DecimalString>;

export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code like "USD"');
export type CurrencyCode = z.infer<typeof CurrencyCode>;

export const Money = z.object({ amount: DecimalString, currency: CurrencyCode }).strict();
export type Money = z.infer<typeof Money>;

/** Domain money -> bigint minor units (exact). */
export function toMinor(money: Money, field = 'amount'): MinorMoney {
  return parseMoney(money.amount, money.currency, field);
}

/** bigint minor units -> domain money with the currency's exponent ("5" -> "5.00"). */
export function fromMinor(money: MinorMoney): Money {
  return { amount: formatMoney(money), currency: money.currency };
}

/** A decimal string in `currency`, normalised ("5" -> "5.00"); throws when missing or malformed. */
export function money(amount: string | null | undefined, currency: string, field = 'amount'): Money {
  return fromMinor(parseMoney(amount, currency, field));
}

export function zero(currency: string): Money {
  return money('0', currency);
}
