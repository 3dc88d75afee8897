/**
 * NetSuite stock, read by SuiteQL over `inventoryitemlocations` (reference §7.3, §8.2): changed
 * items since a cursor on `lastquantityavailablechange`, and available quantities per item and
 * location, merged per shop into TikTok warehouses (several locations may feed one warehouse).
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html
 */
import type { InventoryConfig } from '../../config/schema.ts';
import type { NetSuiteClient } from '../../connectors/netsuite/index.ts';

export interface LocationStock {
  itemId: string;
  sku: string;
  location: string;
  locationName: string;
  available: number;
}

const STOCK_COLUMNS = `iil.item AS item, i.itemid AS itemid, iil.location AS location,
  BUILTIN.DF(iil.location) AS location_name, iil.quantityavailable AS available`;
const STAMP = 'YYYY-MM-DD HH24:MI:SS';
const CHUNK = 200;

/** Items whose available quantity changed after `since` (NetSuite time) with their stamp, and the newest. */
export async function changedItems(
  netsuite: NetSuiteClient,
  since: string,
): Promise<{ stamps: Map<string, string>; newest: string | undefined }> {
  const stamps = new Map<string, string>();
  let newest: string | undefined;
  const q = `SELECT iil.item AS item, TO_CHAR(iil.lastquantityavailablechange, '${STAMP}') AS changed
    FROM inventoryitemlocations iil
    WHERE iil.lastquantityavailablechange > TO_TIMESTAMP(?, '${STAMP}')`;
  for await (const row of netsuite.suiteql.rows(q, [since])) {
    const { item, changed } = row;
    if (item && changed && (stamps.get(item) ?? '') < changed) stamps.set(item, changed);
    if (changed && (!newest || changed > newest)) newest = changed;
  }
  return { stamps, newest };
}

function toStock(row: Record<string, string | undefined>): LocationStock {
  return {
    itemId: row.item ?? '',
    sku: row.itemid ?? '',
    location: row.location ?? '',
    locationName: row.location_name ?? '',
    available: Number.parseInt(row.available ?? '0', 10) || 0,
  };
}

/** Stock rows of these items (by internal id) or these SKUs (item ids), in chunks of 200. */
export async function stockOf(
  netsuite: NetSuiteClient,
  by: { itemIds?: readonly string[]; skus?: readonly string[] },
): Promise<LocationStock[]> {
  const out = new Map<string, LocationStock>();
  for (const [column, values] of [
    ['iil.item', by.itemIds ?? []],
    ['i.itemid', by.skus ?? []],
  ] as const) {
    for (let i = 0; i < values.length; i += CHUNK) {
      const part = values.slice(i, i + CHUNK);
      const q = `SELECT ${STOCK_COLUMNS} FROM inventoryitemlocations iil JOIN item i ON i.id = iil.item
        WHERE ${column} IN (${part.map(() => '?').join(', ')})`;
      // An item asked for by id and by SKU comes back twice: keep one row per item and location.
      for await (const row of netsuite.suiteql.rows(q, part)) {
        const st = toStock(row);
        out.set(`${st.itemId}@${st.location}`, st);
      }
    }
  }
  return [...out.values()];
}

/** Every stock row (the full resync), paged by item id past the 100,000-row offset ceiling. */
export async function allStock(netsuite: NetSuiteClient): Promise<LocationStock[]> {
  const out: LocationStock[] = [];
  const q = `SELECT ${STOCK_COLUMNS} FROM inventoryitemlocations iil JOIN item i ON i.id = iil.item
    ORDER BY iil.item`;
  for await (const row of netsuite.suiteql.rows(q)) out.push(toStock(row));
  return out;
}

export interface WarehouseStock {
  /** TikTok warehouse id; undefined = the SKU's only warehouse. */
  warehouseId: string | undefined;
  available: number;
}

/** One SKU's NetSuite availability for one shop, per mapped warehouse (config order). */
export interface ShopSkuStock {
  sku: string;
  itemId: string;
  available: number;
  warehouses: WarehouseStock[];
}

/** Merges location rows into the shop's warehouses; a shop without a map sums every location. */
export function mergeForShop(
  rows: readonly LocationStock[],
  shopId: string,
  settings: Pick<InventoryConfig, 'shops'>,
): ShopSkuStock[] {
  const map = settings.shops[shopId]?.warehouses ?? [{ warehouseId: undefined, locations: ['*'] }];
  const bySku = Map.groupBy(rows, (r) => r.sku);
  const out: ShopSkuStock[] = [];
  for (const [sku, list] of bySku) {
    const warehouses = map.map((w) => ({
      warehouseId: w.warehouseId,
      available: list
        .filter((r) => w.locations.some((l) => l === '*' || l === r.location || l === r.locationName))
        .reduce((a, r) => a + r.available, 0),
    }));
    out.push({
      sku,
      itemId: list[0]!.itemId,
      available: warehouses.reduce((a, w) => a + w.available, 0),
      warehouses,
    });
  }
  return out;
}
