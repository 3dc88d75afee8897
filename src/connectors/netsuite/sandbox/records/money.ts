/** Totals in integer minor units of the record's currency (house rule 5: never floats). */
import { currencyExponent } from '../../../../shared/money.ts';
import type { Store, StoredRecord } from '../store.ts';
import { Dec, type Fields, lineAmountMinor, minorToText, parseScaled, Ref, toMinor } from '../values.ts';

export function exponentOf(store: Store, rec: StoredRecord): number {
  const cur = rec.body['currency'];
  const symbol = cur instanceof Ref ? store.get(cur.id)?.body['symbol'] : undefined;
  return currencyExponent(typeof symbol === 'string' ? symbol : 'USD');
}

export function decMinor(v: unknown, exp: number): bigint {
  if (!(v instanceof Dec)) return 0n;
  const s = parseScaled(v.text);
  return s ? toMinor(s, exp) : 0n;
}

export function minorDec(minor: bigint, exp: number): Dec {
  return new Dec(minorToText(minor, exp));
}

/** amount = rate x quantity unless the line gives an amount (then rate = amount / quantity is not derived). */
export function lineAmount(line: Fields, exp: number): bigint {
  if (line['amount'] instanceof Dec) return decMinor(line['amount'], exp);
  const rate = line['rate'];
  const q = typeof line['quantity'] === 'number' ? line['quantity'] : 0;
  return rate instanceof Dec ? lineAmountMinor(rate.text, q, exp) : 0n;
}

export function sumLines(lines: Fields[] | undefined, field: string, exp: number): bigint {
  return (lines ?? []).reduce((acc, l) => acc + decMinor(l[field], exp), 0n);
}
