/**
 * Payments (reference §8.2): at each day boundary a shop whose unpaid statements add up to at
 * least `minPayout` gets one payment paying all of them; a smaller (or negative) balance waits for
 * a later payout. A payment is PROCESSING until simulated time reaches its `paid_time`, then PAID;
 * its amounts are sums over its statements, computed when rendered (a republished statement
 * changes them), `amount` converted into the payout currency (`payoutExchange`).
 */
import { currencyExponent, parseMoney } from '../../../shared/money.ts';
import type { Ctx } from './context.ts';
import type { Payment, Shop, Statement } from './model.ts';
import { ID_PREFIX } from './rng.ts';
import { reserveTotal, statementPayable, statementTotals } from './settlement.ts';

export type PaymentStatus = 'PROCESSING' | 'PAID';

/** Pays the shop's unpaid statements when their balance reaches the minimum payout. */
export function payShop(ctx: Ctx, shop: Shop, boundary: number): Payment | undefined {
  const unpaid = ctx.state.listOf(ctx.state.unpaid, shop.id);
  if (unpaid.length === 0) return undefined;
  const b = ctx.settings.business;
  let balance = 0n;
  for (const s of unpaid) balance += statementPayable(s);
  if (balance < parseMoney(b.minPayout, shop.currency, 'minPayout').minor) return undefined;
  const exchange = b.payoutExchange[shop.currency];
  const payment: Payment = {
    id: ctx.ids.next(ID_PREFIX.payment),
    shopId: shop.id,
    currency: shop.currency,
    payoutCurrency: exchange?.currency ?? shop.currency,
    exchangeRate: exchange?.rate ?? '1.000000',
    statementIds: unpaid.map((s) => s.id),
    createTime: boundary,
    paidTime: boundary + b.payoutDelaySeconds,
  };
  for (const s of unpaid) s.paymentId = payment.id;
  ctx.state.unpaid.set(shop.id, []);
  ctx.state.payments.add(payment);
  return payment;
}

export function paymentStatus(ctx: Ctx, p: Payment): PaymentStatus {
  return ctx.sim.nowSeconds() >= p.paidTime ? 'PAID' : 'PROCESSING';
}

/** A statement's payment status: PROCESSING while no payment pays it or its payment is not paid. */
export function statementPaymentStatus(ctx: Ctx, s: Statement): PaymentStatus {
  const p = s.paymentId ? ctx.state.payments.get(s.paymentId) : undefined;
  return p ? paymentStatus(ctx, p) : 'PROCESSING';
}

export interface PaymentAmounts {
  settlement: bigint;
  reserve: bigint;
  beforeExchange: bigint;
  /** In the payout currency's minor units. */
  amount: bigint;
}

export function paymentAmounts(ctx: Ctx, p: Payment): PaymentAmounts {
  let settlement = 0n;
  let reserve = 0n;
  for (const id of p.statementIds) {
    const s = ctx.state.statements.get(id)!;
    settlement += statementTotals(s).settlement;
    reserve += reserveTotal(s);
  }
  const beforeExchange = settlement + reserve;
  const amount = convert(beforeExchange, p.currency, p.payoutCurrency, p.exchangeRate);
  return { settlement, reserve, beforeExchange, amount };
}

/** minor units of `from` x rate -> minor units of `to`, rounded half away from zero. */
export function convert(minor: bigint, from: string, to: string, rate: string): bigint {
  const [whole = '0', frac = ''] = rate.split('.');
  let num = minor * BigInt(whole + frac);
  let den = 10n ** BigInt(frac.length);
  const shift = currencyExponent(to) - currencyExponent(from);
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  const sign = num < 0n ? -1n : 1n;
  return sign * ((num * sign * 2n + den) / (2n * den));
}
