/**
 * Transforms of the product mapping (NetSuite item -> TikTok product): the shop's price from the
 * item's pricing sublist, the catalog tables, weight units, image lists and HTML descriptions.
 * Pure: every input is in the scope; failures are AppErrors that name the NetSuite field or setting.
 */
import { z } from 'zod';
import { money } from '../domain/money.ts';
import { defineTransform, isRecord, type MappingContext } from '../mapping/index.ts';
import { AppError } from '../shared/errors.ts';

/** One entry of the item's pricing sublist, as the scope holds it. */
export interface ItemPrice {
  priceLevel: string;
  priceLevelName?: string | undefined;
  /** Currency internal id and its symbol/refName (either may match the shop setting). */
  currencyId?: string | undefined;
  currencyName?: string | undefined;
  price?: string | undefined;
  quantity?: number | undefined;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isRecord(v)) return text(v['refName']) ?? text(v['id']);
  return undefined;
}

const shopPrice = defineTransform<undefined, MappingContext>({
  name: 'shopPrice',
  doc: "shopPrice(prices, level, currency, isoCurrency): the pricing-sublist price at the shop's level and currency.",
  args: [4, 4],
  opts: z.undefined(),
  run([prices, level, currency, iso], _o, _ctx, info) {
    const list = Array.isArray(prices) ? (prices as ItemPrice[]) : [];
    const want = String(currency);
    const hit = list.find(
      (p) =>
        p.priceLevel === level &&
        (p.currencyId === want || p.currencyName === want) &&
        (p.quantity === undefined || p.quantity <= 1),
    );
    if (!hit?.price) {
      const levels = list.map((p) => `${p.priceLevelName ?? p.priceLevel}/${p.currencyName ?? p.currencyId}`);
      throw new AppError(
        'catalog_price_missing',
        `NetSuite item field price (pricing sublist) has no price at price level ${String(level)} in currency ${want} (${info.where}); the item has ${levels.join(', ') || 'no prices'}: add that price in NetSuite or set catalog.shops.<shop>.priceLevel, then retry`,
        { details: { field: 'price', priceLevel: level, currency: want, where: info.where } },
      );
    }
    return money(hit.price, String(iso), 'price');
  },
});

const TableOpts = z
  .object({
    setting: z.string().min(1),
    table: z.record(z.string(), z.string()),
    default: z.string().optional(),
    optional: z.boolean().default(false),
  })
  .strict();

/** Looks a NetSuite value up in a catalog table (category, brand, attribute values). */
const catalogTable = defineTransform<z.infer<typeof TableOpts>, MappingContext>({
  name: 'catalogTable',
  doc: 'catalogTable(value) {setting, table, default?, optional}: the table entry for the NetSuite value.',
  args: [1, 1],
  opts: TableOpts,
  run([v], o, _ctx, info) {
    const key = text(v);
    const id = isRecord(v) ? text(v['id']) : undefined;
    for (const k of [key, id]) if (k !== undefined && Object.hasOwn(o.table, k)) return o.table[k];
    if (o.default !== undefined) return o.default;
    if (o.optional) return undefined;
    const source = info.argPaths[0] ?? 'the source field';
    const problem =
      key === undefined
        ? `NetSuite ${source} is empty and ${o.setting} has no default (${info.where}); set ${source} on the item or set ${o.setting}.default, then retry`
        : `NetSuite ${source} = ${JSON.stringify(key)} has no entry in ${o.setting}.table (${info.where}); add "${key}": <TikTok id> there or set ${o.setting}.default, then retry`;
    throw new AppError('catalog_mapping_missing', problem, {
      details: { setting: `${o.setting}.table`, field: source, value: key ?? null },
    });
  },
});

const UNITS = {
  lb: { unit: 'POUND', divisor: 1n },
  oz: { unit: 'POUND', divisor: 16n },
  kg: { unit: 'KILOGRAM', divisor: 1n },
  g: { unit: 'KILOGRAM', divisor: 1000n },
} as const;
type WeightUnit = keyof typeof UNITS;

function unitOf(v: unknown, fallback: WeightUnit): WeightUnit {
  const t = text(v)?.toLowerCase();
  if (t === undefined) return fallback;
  const short =
    t.startsWith('lb') || t.startsWith('pound')
      ? 'lb'
      : t.startsWith('oz') || t.startsWith('ounce')
        ? 'oz'
        : t.startsWith('kg') || t.startsWith('kilo')
          ? 'kg'
          : t === 'g' || t.startsWith('gram')
            ? 'g'
            : undefined;
  if (!short)
    throw new AppError(
      'validation_failed',
      `NetSuite item field weightUnit "${text(v)}" is not lb, oz, kg or g`,
    );
  return short;
}

/** decimal / divisor, exactly (divisors are 2^4 and 10^3, so the quotient is a finite decimal). */
function divide(value: string, divisor: bigint): string {
  const [w = '0', f = ''] = value.split('.');
  const scale = f.length + 4;
  const n = BigInt(w + f) * 10n ** 4n;
  const q = n / divisor;
  const digits = q.toString().padStart(scale + 1, '0');
  const out = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, '');
  return out === '' ? '0' : out;
}

const weight = defineTransform<{ defaultUnit: WeightUnit }, MappingContext>({
  name: 'packageWeight',
  doc: 'packageWeight(weight, unit) {defaultUnit}: TikTok {value, unit: POUND|KILOGRAM}; oz and g converted exactly.',
  args: [2, 2],
  opts: z.object({ defaultUnit: z.enum(['lb', 'oz', 'kg', 'g']) }).strict(),
  run([w, u], o) {
    const value = text(w) ?? '0';
    if (!/^\d+(\.\d+)?$/.test(value))
      throw new AppError('validation_failed', `NetSuite item field weight "${value}" is not a decimal`);
    const unit = UNITS[unitOf(u, o.defaultUnit)];
    return { value: unit.divisor === 1n ? value : divide(value, unit.divisor), unit: unit.unit };
  },
});

const dimensions = defineTransform<{ unit: string }, MappingContext>({
  name: 'packageDimensions',
  doc: 'packageDimensions(length, width, height) {unit}: nothing when all three are missing.',
  args: [3, 3],
  opts: z.object({ unit: z.enum(['CENTIMETER', 'INCH']) }).strict(),
  run([l, w, h], o) {
    const [length, width, height] = [l, w, h].map(text);
    if (length === undefined && width === undefined && height === undefined) return undefined;
    return { length: length ?? '', width: width ?? '', height: height ?? '', unit: o.unit };
  },
});

const splitList = defineTransform<undefined, MappingContext>({
  name: 'splitList',
  doc: 'splitList(text): a comma- or newline-separated list as an array (empty entries dropped).',
  args: [1, 1],
  opts: z.undefined(),
  run([v]) {
    if (Array.isArray(v)) return v.map(text).filter((s): s is string => s !== undefined);
    return (text(v) ?? '')
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
  },
});

/** Text holding one of these tags is taken as HTML; anything else is plain text and escaped. */
const MARKUP = /<\/?(p|br|ul|ol|li|strong|b|i|em|u|img|div|span|h[1-6]|table|a)\b/i;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Plain text becomes paragraphs; text that already holds markup is passed as written. */
const html = defineTransform<undefined, MappingContext>({
  name: 'html',
  doc: 'html(text): plain text as <p> paragraphs (escaped, line breaks as <br>); markup passes unchanged.',
  args: [1, 1],
  opts: z.undefined(),
  run([v]) {
    const t = text(v);
    if (t === undefined) return undefined;
    if (MARKUP.test(t)) return t;
    return t
      .split(/\n\s*\n/)
      .map((para) => `<p>${para.replace(/[&<>"]/g, (c) => ESCAPES[c]!).replace(/\n/g, '<br>')}</p>`)
      .join('');
  },
});

const AttrOpts = z.object({
  ids: z.array(z.string()),
  tables: z.array(z.record(z.string(), z.string()).nullable()),
});

/** One `{id, values}` per attribute whose value is present; a table maps the value to a value id. */
const attributes = defineTransform<z.infer<typeof AttrOpts>, MappingContext>({
  name: 'productAttributes',
  doc: 'productAttributes(v1, v2, ...) {ids, tables}: TikTok product_attributes; missing values are left out.',
  args: [0, Number.POSITIVE_INFINITY],
  opts: AttrOpts,
  run(args, o, _ctx, info) {
    const out: Array<{ id: string; values: Array<{ id?: string; name?: string }> }> = [];
    args.forEach((v, i) => {
      const value = text(v);
      const id = o.ids[i]!;
      if (value === undefined) return;
      const table = o.tables[i];
      if (!table) {
        out.push({ id, values: [{ name: value }] });
        return;
      }
      if (!Object.hasOwn(table, value)) {
        throw new AppError(
          'catalog_mapping_missing',
          `NetSuite ${info.argPaths[i] ?? 'field'} = ${JSON.stringify(value)} has no entry in catalog.attributes.${id}.table; add it, then retry`,
          { details: { setting: `catalog.attributes.${id}.table`, field: info.argPaths[i], value } },
        );
      }
      out.push({ id, values: [{ id: table[value]! }] });
    });
    return out;
  },
});

export const PRODUCT_TRANSFORMS = [shopPrice, catalogTable, weight, dimensions, splitList, html, attributes];
