/**
 * NetSuite currencies and subsidiaries as the settlement entries need them: the internal id of a
 * currency by its ISO code (`currency.symbol`, reference section 8.2) and a subsidiary's currency.
 * Read once per client and kept: both change rarely, and a miss is read again.
 */
import type { NsRefSetting } from '../../config/order-settings.ts';
import type { NetSuiteClient } from '../../connectors/netsuite/index.ts';
import { AppError } from '../../shared/errors.ts';

interface Cache {
  currencies: Map<string, string>;
  subsidiaries: Map<string, { id: string; currency: string | undefined }>;
}
const caches = new WeakMap<NetSuiteClient, Cache>();

function cacheOf(ns: NetSuiteClient): Cache {
  let c = caches.get(ns);
  if (!c) {
    c = { currencies: new Map(), subsidiaries: new Map() };
    caches.set(ns, c);
  }
  return c;
}

/** The internal id of the currency whose symbol is `code` (USD, GBP ...). */
export async function currencyId(ns: NetSuiteClient, code: string): Promise<string> {
  const c = cacheOf(ns);
  const known = c.currencies.get(code);
  if (known) return known;
  for await (const row of ns.suiteql.rows('SELECT id, symbol FROM currency')) {
    if (row['symbol'] && row['id']) c.currencies.set(String(row['symbol']).toUpperCase(), String(row['id']));
  }
  const id = c.currencies.get(code);
  if (!id)
    throw new AppError(
      'settlement_currency_unknown',
      `NetSuite has no currency with symbol ${code} (a TikTok statement's currency): add it under Lists > Accounting > Currencies, then retry`,
      { details: { currency: code } },
    );
  return id;
}

/** A subsidiary's internal id and its currency's internal id. */
export async function subsidiaryOf(
  ns: NetSuiteClient,
  ref: NsRefSetting,
): Promise<{ id: string; currency: string | undefined }> {
  const key = 'id' in ref ? `id:${ref.id}` : `eid:${ref.externalId}`;
  const c = cacheOf(ns);
  const known = c.subsidiaries.get(key);
  if (known) return known;
  const [q, p] = 'id' in ref ? ['id = ?', ref.id] : ['externalid = ?', ref.externalId];
  const page = await ns.suiteql.page(`SELECT id, currency FROM subsidiary WHERE ${q}`, [p]);
  const row = page.items[0];
  if (!row?.['id'])
    throw new AppError(
      'mapping_setting_missing',
      `settlements: subsidiary ${JSON.stringify(ref)} is not in NetSuite; fix settlements.subsidiary (or settlements.shops.<shop>.subsidiary), then retry`,
      { details: { setting: 'settlements.subsidiary' } },
    );
  const out = { id: String(row['id']), currency: row['currency'] ? String(row['currency']) : undefined };
  c.subsidiaries.set(key, out);
  return out;
}
