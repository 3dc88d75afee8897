/**
 * The built-in transforms every spec may call: money parsing and sums, defaults, concatenation,
 * value tables, date formats and the injected lookups. Amounts stay exact (bigint minor units).
 */
import { z } from 'zod';
import { fromMinor, type Money, toMinor, money as toMoney } from '../domain/money.ts';
import { AppError } from '../shared/errors.ts';
import { addMoney, zeroMoney } from '../shared/money.ts';
import { isRecord } from './paths.ts';
import { JsonValue } from './spec.ts';
import { type CallInfo, defineTransform, Registry, type Transform } from './transform.ts';

/** A synchronous, pre-resolved lookup injected by the caller (a spec does no I/O). */
export type Lookup = (key: string) => unknown;

/** What every spec run receives: the caller's named lookups. */
export interface MappingContext {
  readonly lookups: Readonly<Record<string, Lookup>>;
}

const NoOpts = z.undefined();

function isMoney(v: unknown): v is Money {
  return isRecord(v) && typeof v['amount'] === 'string' && typeof v['currency'] === 'string';
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

function fieldName(info: CallInfo, i: number): string {
  return info.argPaths[i] ?? `argument ${i + 1}`;
}

const money = defineTransform({
  name: 'money',
  doc: 'money(amount, currency) {whenMissing: error|omit|zero}: a decimal string in the currency; missing is an error unless told.',
  args: [2, 2],
  opts: z
    .object({ whenMissing: z.enum(['error', 'omit', 'zero']).default('error') })
    .strict()
    .prefault({}),
  run([amount, currency], opts, _ctx, info) {
    if (typeof currency !== 'string' || currency === '') {
      throw new AppError(
        'mapping_missing_amount',
        `${fieldName(info, 1)} (currency) is missing (${info.where})`,
      );
    }
    if (isBlank(amount) && opts.whenMissing === 'omit') return undefined;
    if (isBlank(amount) && opts.whenMissing === 'zero') return toMoney('0', currency);
    if (isBlank(amount) || typeof amount !== 'string') {
      throw new AppError(
        'mapping_missing_amount',
        `${fieldName(info, 0)} is missing (${info.where}): an amount is required and never assumed to be 0; re-fetch the order detail from TikTok and retry`,
        { details: { field: fieldName(info, 0), where: info.where } },
      );
    }
    return toMoney(amount, currency, fieldName(info, 0));
  },
});

const sumMoney = defineTransform({
  name: 'sumMoney',
  doc: 'sumMoney(a, b, ...): the exact sum of money values of one currency.',
  args: [1, Number.POSITIVE_INFINITY],
  opts: NoOpts,
  run(args, _opts, _ctx, info) {
    const moneys = args.map((a, i) => {
      if (!isMoney(a))
        throw new AppError('mapping_missing_amount', `${fieldName(info, i)} is missing (${info.where})`);
      return toMinor(a);
    });
    return fromMinor(moneys.reduce((acc, m) => addMoney(acc, m), zeroMoney(moneys[0]!.currency)));
  },
});

const coalesce = defineTransform({
  name: 'coalesce',
  doc: 'coalesce(a, b, ...): the first argument that is not missing, null or "".',
  args: [1, Number.POSITIVE_INFINITY],
  opts: NoOpts,
  run: (args) => args.find((a) => !isBlank(a)),
});

const withDefault = defineTransform({
  name: 'default',
  doc: 'default(value) {value}: the argument, or opts.value when it is missing, null or "".',
  args: [1, 1],
  opts: z.object({ value: JsonValue }).strict(),
  run: ([v], opts) => (isBlank(v) ? opts.value : v),
});

const nonEmpty = defineTransform({
  name: 'nonEmpty',
  doc: 'nonEmpty(value): the value, or nothing when it is "" (TikTok sends "" for unset strings).',
  args: [1, 1],
  opts: NoOpts,
  run: ([v]) => (isBlank(v) ? undefined : v),
});

const concat = defineTransform({
  name: 'concat',
  doc: 'concat(a, b, ...) {separator}: the parts joined; a missing part is an error.',
  args: [1, Number.POSITIVE_INFINITY],
  opts: z
    .object({ separator: z.string().default('') })
    .strict()
    .default({ separator: '' }),
  run(args, opts, _ctx, info) {
    return args
      .map((a, i) => {
        if (typeof a === 'string' || typeof a === 'number') return String(a);
        throw new AppError('validation_failed', `${fieldName(info, i)} is missing (${info.where})`);
      })
      .join(opts.separator);
  },
});

const mapValue = defineTransform({
  name: 'mapValue',
  doc: 'mapValue(value) {table, fallback?}: the table entry for the value; unknown values take the fallback or fail.',
  args: [1, 1],
  opts: z.object({ table: z.record(z.string(), JsonValue), fallback: JsonValue.optional() }).strict(),
  run([v], opts, _ctx, info) {
    const key = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
    if (Object.hasOwn(opts.table, key)) return opts.table[key];
    if (opts.fallback !== undefined) return opts.fallback;
    throw new AppError(
      'validation_failed',
      `${fieldName(info, 0)} has the unexpected value ${JSON.stringify(v)} (${info.where}); expected one of ${Object.keys(opts.table).join(', ')}`,
    );
  },
});

const bool = defineTransform({
  name: 'bool',
  doc: 'bool(value) {default}: true/false, or opts.default when missing.',
  args: [1, 1],
  opts: z.object({ default: z.boolean() }).strict(),
  run: ([v], opts) => (typeof v === 'boolean' ? v : opts.default),
});

const formatDate = defineTransform({
  name: 'formatDate',
  doc: 'formatDate(time) {input: unix_seconds|iso, output: iso|date, timeZone}: an ISO instant or YYYY-MM-DD in the zone.',
  args: [1, 1],
  opts: z
    .object({
      input: z.enum(['unix_seconds', 'iso']),
      output: z.enum(['iso', 'date']),
      timeZone: z.string().default('UTC'),
    })
    .strict()
    .refine((o) => isTimeZone(o.timeZone), { message: 'unknown IANA time zone', path: ['timeZone'] }),
  run([v], opts, _ctx, info) {
    if (isBlank(v)) return undefined;
    const ms = opts.input === 'unix_seconds' && typeof v === 'number' ? v * 1000 : Date.parse(String(v));
    if (!Number.isFinite(ms)) throw new AppError('validation_failed', `${fieldName(info, 0)} is not a time`);
    const d = new Date(ms);
    return opts.output === 'iso' ? d.toISOString() : dateIn(d, opts.timeZone);
  },
});

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** YYYY-MM-DD of an instant in an IANA zone. */
export function dateIn(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);
}

const lookup = defineTransform<{ name: string; required: boolean }, MappingContext>({
  name: 'lookup',
  doc: 'lookup(key) {name, required}: the injected lookup `name` applied to the key (pre-resolved by the caller).',
  args: [1, 1],
  opts: z.object({ name: z.string().min(1), required: z.boolean().default(false) }).strict(),
  run([key], opts, ctx, info) {
    const fn = ctx.lookups[opts.name];
    if (!fn)
      throw new AppError(
        'mapping_invalid_spec',
        `${info.where}: no lookup named "${opts.name}" was injected`,
      );
    const found = typeof key === 'string' ? fn(key) : undefined;
    if (found === undefined && opts.required) {
      throw new AppError(
        'validation_failed',
        `${fieldName(info, 0)} ${JSON.stringify(key)} is not in lookup ${opts.name}`,
      );
    }
    return found;
  },
});

export const BUILTIN_TRANSFORMS: readonly Transform<MappingContext>[] = [
  money,
  sumMoney,
  coalesce,
  withDefault,
  nonEmpty,
  concat,
  mapValue,
  bool,
  formatDate,
  lookup,
];

/** A registry with the built-ins plus `extra` transforms of a spec family. */
export function createRegistry<C extends MappingContext>(extra: readonly Transform<C>[] = []): Registry<C> {
  return new Registry<C>([...BUILTIN_TRANSFORMS, ...extra]);
}
