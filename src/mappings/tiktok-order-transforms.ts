/**
 * Transforms for TikTok orders: folding TikTok's one-line-per-unit items into lines by SKU
 * (reference §4.4: there is no quantity field) and reading the recipient address.
 */
import { z } from 'zod';
import { type Address, fromMinor, type OrderLine } from '../domain/index.ts';
import { defineTransform, isRecord, type MappingContext, type Transform } from '../mapping/index.ts';
import { AppError } from '../shared/errors.ts';
import { addMoney, type Money, parseMoney, zeroMoney } from '../shared/money.ts';

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

interface Acc {
  sku: string;
  skuId: string | undefined;
  productId: string | undefined;
  name: string | undefined;
  quantity: number;
  cancelled: boolean;
  unitPrice: Money;
  seller: Money;
  platform: Money;
  tax: Money;
  ids: string[];
}

/** A line amount that TikTok may leave out when zero; the order-level checks catch a real gap. */
function optionalAmount(v: unknown, currency: string, field: string): Money {
  return text(v) === undefined ? zeroMoney(currency) : parseMoney(text(v), currency, field);
}

function lineTax(item: Record<string, unknown>, currency: string, at: string): Money {
  const taxes = Array.isArray(item['item_tax']) ? item['item_tax'] : [];
  return taxes.reduce<Money>(
    (sum, t, i) =>
      isRecord(t) ? addMoney(sum, optionalAmount(t['tax_amount'], currency, `${at}.item_tax.${i}`)) : sum,
    zeroMoney(currency),
  );
}

function addUnit(
  groups: Map<string, Acc>,
  item: Record<string, unknown>,
  currency: string,
  at: string,
): void {
  const sku = text(item['seller_sku']) ?? text(item['sku_id']);
  if (!sku) throw new AppError('validation_failed', `${at} has neither seller_sku nor sku_id`);
  if (text(item['currency']) !== undefined && text(item['currency']) !== currency) {
    throw new AppError(
      'mapping_amounts_inconsistent',
      `${at}.currency ${String(item['currency'])} differs from payment.currency ${currency}`,
    );
  }
  const unitPrice = parseMoney(text(item['original_price']), currency, `${at}.original_price`);
  const cancelled = item['display_status'] === 'CANCELLED';
  const key = `${sku}\u0000${unitPrice.minor}\u0000${cancelled}`;
  const acc = groups.get(key) ?? {
    sku,
    skuId: text(item['sku_id']),
    productId: text(item['product_id']),
    name: text(item['product_name']),
    quantity: 0,
    cancelled,
    unitPrice,
    seller: zeroMoney(currency),
    platform: zeroMoney(currency),
    tax: zeroMoney(currency),
    ids: [],
  };
  acc.quantity += 1;
  acc.seller = addMoney(
    acc.seller,
    optionalAmount(item['seller_discount'], currency, `${at}.seller_discount`),
  );
  acc.platform = addMoney(
    acc.platform,
    optionalAmount(item['platform_discount'], currency, `${at}.platform_discount`),
  );
  acc.tax = addMoney(acc.tax, lineTax(item, currency, at));
  acc.ids.push(String(item['id']));
  groups.set(key, acc);
}

function toLine(a: Acc): OrderLine {
  return {
    sku: a.sku,
    ...(a.skuId ? { skuId: a.skuId } : {}),
    ...(a.productId ? { productId: a.productId } : {}),
    ...(a.name ? { name: a.name } : {}),
    quantity: a.quantity,
    cancelled: a.cancelled,
    unitPrice: fromMinor(a.unitPrice),
    sellerDiscount: fromMinor(a.seller),
    platformDiscount: fromMinor(a.platform),
    tax: fromMinor(a.tax),
    sourceLineIds: a.ids,
  };
}

/**
 * consolidateBySku(line_items, currency): one line per seller SKU, original unit price and cancelled state, in
 * order of first appearance, with the unit count as quantity and discounts/tax summed over units.
 */
export const consolidateBySku: Transform<MappingContext> = defineTransform({
  name: 'consolidateBySku',
  doc: 'consolidateBySku(line_items, currency): TikTok unit lines folded by SKU and unit price with a quantity.',
  args: [2, 2],
  opts: z.undefined(),
  run([items, currency], _opts, _ctx, info) {
    if (typeof currency !== 'string')
      throw new AppError('mapping_missing_amount', `${info.where}: currency is missing`);
    if (!Array.isArray(items) || items.length === 0) {
      throw new AppError(
        'validation_failed',
        `${info.argPaths[0] ?? 'line_items'} is empty: the order has no items`,
      );
    }
    const groups = new Map<string, Acc>();
    items.forEach((item, i) => {
      if (isRecord(item)) addUnit(groups, item, currency, `${info.argPaths[0] ?? 'line_items'}.${i}`);
    });
    return [...groups.values()].map(toLine);
  },
});

function setIf<T, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function district(addr: Record<string, unknown>, level: string): string | undefined {
  const list = Array.isArray(addr['district_info']) ? addr['district_info'] : [];
  const found = list.find((d) => isRecord(d) && d['address_level'] === level);
  return isRecord(found) ? text(found['address_name']) : undefined;
}

function missingAddress(orderId: string, field: string): AppError {
  return new AppError(
    'mapping_missing_address',
    `TikTok order ${orderId}: recipient_address.${field} is empty; the buyer's shipping address must have it. Fix the address in the error record's payload (or wait for TikTok's address update) and retry`,
    { details: { orderId, field: `recipient_address.${field}` } },
  );
}

/** tiktokAddress(recipient_address, order id): the domain address, or nothing when TikTok hides it. */
export const tiktokAddress: Transform<MappingContext> = defineTransform({
  name: 'tiktokAddress',
  doc: 'tiktokAddress(recipient_address, orderId): the shipping address; absent while TikTok hides it (UNPAID/ON_HOLD).',
  args: [2, 2],
  opts: z.undefined(),
  run([addr, orderId]): Address | undefined {
    if (!isRecord(addr)) return undefined;
    const id = String(orderId);
    const line1 = text(addr['address_line1']) ?? text(addr['address_detail']);
    if (!line1) throw missingAddress(id, 'address_line1');
    const country = text(addr['region_code'])?.toUpperCase();
    if (!country) throw missingAddress(id, 'region_code');
    const address: Address = { line1, countryCode: country };
    const line2 = text(addr['address_line2']);
    setIf(address, 'name', text(addr['name']));
    setIf(address, 'firstName', text(addr['first_name']));
    setIf(address, 'lastName', text(addr['last_name']));
    setIf(address, 'phone', text(addr['phone_number']));
    setIf(address, 'line2', line2 === line1 ? undefined : line2);
    setIf(address, 'city', district(addr, 'L3') ?? text(addr['post_town']) ?? district(addr, 'L2'));
    setIf(address, 'state', district(addr, 'L1'));
    setIf(address, 'postalCode', text(addr['postal_code']));
    return address;
  },
});
