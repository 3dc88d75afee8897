/**
 * The lifecycle demo's warehouse: it packs and ships TikTok orders that TikSuite imported, the way a
 * warehouse system would, by creating item fulfillments in NetSuite through the REST record API
 * (`POST salesOrder/{id}/!transform/itemFulfillment`, reference §4.9) with the connector's client:
 * item lines by `orderLine`, one package with its tracking number and a ship method. Later it puts
 * some tracking numbers right (`PATCH itemFulfillment/{id}?replace=package`, §4.4).
 *
 * What it ships is a plan drawn from a seeded generator (planShipments), so a run is repeatable:
 * whole orders and partial ones (some lines, some units), one or several fulfillments per order,
 * some on the next day, and a share of tracking numbers corrected later. TikTok-shipped orders are
 * shipped whole with no tracking number: TikTok assigns it and TikSuite writes it back.
 */
import type { NetSuiteConfig } from '../../config/schema.ts';
import {
  type FulfillmentInput,
  NetSuiteClient,
  nsDecimal,
  type RecordOf,
  type RefInput,
} from '../../connectors/netsuite/index.ts';
import { salesOrderExternalId } from '../../flows/orders/index.ts';
import type { FetchFn } from '../../shared/http.ts';
import { admin, type DemoEnv } from './demo-env.ts';

/** A NetSuite ship method (ship item) and the TikTok shipping provider it maps to. */
export interface ShipMethod {
  name: string;
  /** The ship item's external id (the warehouse refers to it by this). */
  externalId: string;
  tiktokProvider: string;
  region: 'US' | 'GB';
}

/** The demo's carriers; also the `fulfillment.carriers` mapping TikSuite runs with. */
export const SHIP_METHODS: readonly ShipMethod[] = [
  { name: 'UPS Ground', externalId: 'SHIP-UPS-GROUND', tiktokProvider: 'UPS', region: 'US' },
  { name: 'USPS Priority Mail', externalId: 'SHIP-USPS-PRIORITY', tiktokProvider: 'USPS', region: 'US' },
  { name: 'FedEx Home Delivery', externalId: 'SHIP-FEDEX-HOME', tiktokProvider: 'FedEx', region: 'US' },
  {
    name: 'Royal Mail Tracked 48',
    externalId: 'SHIP-ROYAL-MAIL-48',
    tiktokProvider: 'Royal Mail',
    region: 'GB',
  },
  { name: 'DPD Next Day', externalId: 'SHIP-DPD-NEXT-DAY', tiktokProvider: 'DPD', region: 'GB' },
];

/**
 * The ship methods as NetSuite references (by external id), after adding to the NetSuite sandbox
 * (admin seed) those it does not have yet: its default seed holds the US carriers, not the UK ones.
 */
export async function shipMethodRefs(env: Pick<DemoEnv, 'netsuite'>): Promise<Map<string, RefInput>> {
  const store = env.netsuite.state.engine.store;
  const missing = SHIP_METHODS.filter((m) => !store.byExternalId('shipItem', m.externalId));
  if (missing.length > 0)
    await admin(env.netsuite.url, 'POST', '/seed', {
      shipItems: missing.map((m) => ({ externalId: m.externalId, itemId: m.name })),
    });
  return new Map(SHIP_METHODS.map((m) => [m.name, { externalId: m.externalId }]));
}

/** `fulfillment.carriers`: NetSuite ship method name -> TikTok shipping provider name. */
export function carrierMapping(): Record<string, string> {
  return Object.fromEntries(SHIP_METHODS.map((m) => [m.name, m.tiktokProvider]));
}

export type Shipping = 'SELLER' | 'TIKTOK';

/** An order as placed on TikTok: what the warehouse has to ship. */
export interface WarehouseOrder {
  orderId: string;
  shopId: string;
  region: 'US' | 'GB';
  shipping: Shipping;
  lines: ReadonlyArray<{ sku: string; quantity: number }>;
}

export interface Shipment {
  /** 1, 2, 3 ...: the order's n-th fulfillment (its external id is `WMS-<order>-<n>`). */
  n: number;
  /** 0: shipped the day the order is released to the warehouse; 1: the next day. */
  day: 0 | 1;
  lines: Array<{ sku: string; quantity: number }>;
  /** The ship method's name; none for TikTok shipping (TikTok's label and carrier). */
  shipMethod?: string;
  /** The package's tracking number; none for TikTok shipping (TikTok assigns it). */
  tracking?: string;
  /** The number it is corrected to later, when the label was misread. */
  correction?: string;
}

export interface PlanOptions {
  /** Share of seller-shipped orders split into several fulfillments (default 0.45). */
  splitShare?: number;
  /** Share of seller fulfillments whose tracking number is corrected later (default 0.12). */
  correctionShare?: number;
}

/**
 * The shipments of one order, from a seeded generator: TikTok-shipped orders whole; seller-shipped
 * ones whole or split into 2-3 fulfillments over their units (so some lines ship whole, some in
 * part), later ones possibly the next day; each with a carrier and a tracking number unique in
 * `used`, some with a corrected number.
 */
export function planShipments(
  order: WarehouseOrder,
  random: () => number,
  used: Set<string>,
  o: PlanOptions = {},
): Shipment[] {
  const units = order.lines.flatMap((l) => Array.from({ length: l.quantity }, () => l.sku));
  if (order.shipping === 'TIKTOK') return [{ n: 1, day: 0, lines: group(units) }];
  const split = units.length > 1 && random() < (o.splitShare ?? 0.45);
  const parts = split ? Math.min(units.length, random() < 0.3 ? 3 : 2) : 1;
  const shuffled = shuffle(units, random);
  const cuts = cutPoints(shuffled.length, parts, random);
  const methods = SHIP_METHODS.filter((m) => m.region === order.region);
  return cuts.map(([from, to], i) => {
    const method = methods[Math.floor(random() * methods.length)]!;
    const shipment: Shipment = {
      n: i + 1,
      day: i > 0 && random() < 0.5 ? 1 : 0,
      lines: group(shuffled.slice(from, to)),
      shipMethod: method.name,
      tracking: trackingNumber(method, random, used),
    };
    if (random() < (o.correctionShare ?? 0.12)) shipment.correction = trackingNumber(method, random, used);
    return shipment;
  });
}

function group(skus: readonly string[]): Array<{ sku: string; quantity: number }> {
  const counts = new Map<string, number>();
  for (const s of skus) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([sku, quantity]) => ({ sku, quantity }));
}

function shuffle<T>(xs: readonly T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `parts` non-empty [from, to) ranges covering 0..n. */
function cutPoints(n: number, parts: number, random: () => number): Array<[number, number]> {
  const inner = new Set<number>();
  while (inner.size < parts - 1) inner.add(1 + Math.floor(random() * (n - 1)));
  const points = [0, ...[...inner].sort((a, b) => a - b), n];
  return points.slice(1).map((to, i) => [points[i]!, to]);
}

const digits = (random: () => number, n: number) =>
  Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
const ALNUM = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const alnum = (random: () => number, n: number) =>
  Array.from({ length: n }, () => ALNUM[Math.floor(random() * ALNUM.length)]).join('');

/** A tracking number in the carrier's usual shape (letters, digits; 12-22 characters), unique in `used`. */
export function trackingNumber(m: ShipMethod, random: () => number, used: Set<string>): string {
  for (;;) {
    const t =
      m.tiktokProvider === 'UPS'
        ? `1Z${alnum(random, 16)}`
        : m.tiktokProvider === 'USPS'
          ? `9400${digits(random, 18)}`
          : m.tiktokProvider === 'FedEx'
            ? digits(random, 12)
            : m.tiktokProvider === 'Royal Mail'
              ? `${alnum(random, 2).replace(/\d/g, 'X')}${digits(random, 9)}GB`
              : digits(random, 14);
    if (!used.has(t)) {
      used.add(t);
      return t;
    }
  }
}

/** A fulfillment the warehouse created in NetSuite. */
export interface CreatedFulfillment {
  id: string;
  externalId: string;
  order: WarehouseOrder;
  shipment: Shipment;
  /** Wall ms when NetSuite answered the create (the record's creation, as the warehouse saw it). */
  createdAt: number;
  /** The tracking number NetSuite holds now (after a correction, the corrected one). */
  tracking: string | undefined;
  /** Wall ms when the correction was saved. */
  correctedAt?: number;
}

type SalesOrder = RecordOf<'salesOrder'>;

/**
 * The warehouse's own NetSuite client (same account, so it shares the account's concurrency
 * governor with TikSuite's), with the fetch given (a counting one, to tell its calls from TikSuite's).
 */
export function warehouseClient(ns: NetSuiteConfig, fetch: FetchFn = globalThis.fetch): NetSuiteClient {
  return new NetSuiteClient({
    accountId: ns.accountId,
    ...(ns.baseUrl ? { baseUrl: ns.baseUrl } : {}),
    auth: ns.auth,
    concurrency: ns.concurrency,
    fetch,
  });
}

/** A fetch that counts the requests it sends. */
export function countingFetch(): { fetch: FetchFn; count(): number } {
  let n = 0;
  return {
    fetch: (input, init) => {
      n++;
      return globalThis.fetch(input, init);
    },
    count: () => n,
  };
}

/** Plays the warehouse against NetSuite with its own client (its calls are its own, not TikSuite's). */
export class Warehouse {
  readonly #netsuite: NetSuiteClient;
  readonly #shipMethods: ReadonlyMap<string, RefInput>;
  readonly #salesOrders = new Map<string, SalesOrder>();

  constructor(o: { netsuite: NetSuiteClient; shipMethods: ReadonlyMap<string, RefInput> }) {
    this.#netsuite = o.netsuite;
    this.#shipMethods = o.shipMethods;
  }

  /** Creates the shipment's item fulfillment from the order's sales order. */
  async ship(order: WarehouseOrder, s: Shipment): Promise<CreatedFulfillment> {
    const so = await this.#salesOrder(order);
    const externalId = `WMS-${order.orderId}-${s.n}`;
    const body: FulfillmentInput & { shipMethod?: RefInput } = {
      externalId,
      shipStatus: { id: 'C' },
      memo: `Warehouse shipment ${s.n} of TikTok order ${order.orderId}`,
      item: { items: fulfillmentLines(so, s) },
      package: {
        items: [
          { packageDescr: `Carton ${s.n}`, packageWeight: nsDecimal('1.2'), ...trackingField(s.tracking) },
        ],
      },
      ...(s.shipMethod ? { shipMethod: this.#shipMethod(s.shipMethod) } : {}),
    };
    const id = await this.#netsuite.records.transform(
      'salesOrder',
      { externalId: salesOrderExternalId(order.shopId, order.orderId) },
      'itemFulfillment',
      body,
    );
    // The next shipment of this order reads the sales order again (its quantities moved).
    this.#salesOrders.delete(order.orderId);
    return { id, externalId, order, shipment: s, createdAt: Date.now(), tracking: s.tracking };
  }

  /** Replaces the package's tracking number with the corrected one (the package sublist in replace mode). */
  async correct(f: CreatedFulfillment): Promise<void> {
    const tracking = f.shipment.correction;
    if (!tracking) return;
    await this.#netsuite.records.update(
      'itemFulfillment',
      f.id,
      {
        package: {
          items: [
            {
              packageDescr: `Carton ${f.shipment.n}`,
              packageWeight: nsDecimal('1.2'),
              packageTrackingNumber: tracking,
            },
          ],
        },
      },
      { replace: ['package'] },
    );
    f.tracking = tracking;
    f.correctedAt = Date.now();
  }

  async #salesOrder(order: WarehouseOrder): Promise<SalesOrder> {
    const known = this.#salesOrders.get(order.orderId);
    if (known) return known;
    const so = await this.#netsuite.records.get('salesOrder', {
      externalId: salesOrderExternalId(order.shopId, order.orderId),
    });
    this.#salesOrders.set(order.orderId, so);
    return so;
  }

  #shipMethod(name: string): RefInput {
    const ref = this.#shipMethods.get(name);
    if (!ref) throw new Error(`warehouse: NetSuite has no ship method "${name}"`);
    return ref;
  }
}

function trackingField(tracking: string | undefined) {
  return tracking ? { packageTrackingNumber: tracking } : {};
}

/**
 * Every open line of the sales order: the shipment's SKUs with their units (spread over the SKU's
 * lines in order), every other line left out (`itemReceive: false`, or the transform would ship all
 * that remains). Discount and receivable lines never ship.
 */
export function fulfillmentLines(
  so: SalesOrder,
  s: Pick<Shipment, 'lines'>,
): Array<{ orderLine: number; quantity?: number; itemReceive?: boolean }> {
  const want = new Map(s.lines.map((l) => [l.sku, l.quantity]));
  const out: Array<{ orderLine: number; quantity?: number; itemReceive?: boolean }> = [];
  for (const line of so.item?.items ?? []) {
    const orderLine = Number(line.line);
    const open = Number(line.quantity ?? 0) - Number(line.quantityFulfilled ?? 0);
    if (!Number.isInteger(orderLine) || line.isClosed === true || open <= 0) continue;
    const sku = line.item?.refName ?? '';
    const take = Math.min(open, want.get(sku) ?? 0);
    if (take > 0) {
      want.set(sku, (want.get(sku) ?? 0) - take);
      out.push({ orderLine, quantity: take });
    } else out.push({ orderLine, itemReceive: false });
  }
  const short = [...want].filter(([, q]) => q > 0);
  if (short.length > 0)
    throw new Error(
      `warehouse: sales order ${so.id} has no open line for ${short.map(([k, q]) => `${q} x ${k}`).join(', ')}`,
    );
  return out;
}
