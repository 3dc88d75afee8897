/**
 * The fulfillment verdict, computed from the two sandboxes' own state (never from TikSuite's
 * database): every item fulfillment in NetSuite created from a sales order of the given TikTok
 * orders, against the packages TikTok shows shipped for those orders.
 *
 * Per order, a NetSuite fulfillment is matched to the TikTok package carrying its tracking number;
 * one left over is matched to a shipped TikTok package holding the same units (a tracking
 * mismatch: TikTok has another number, or NetSuite has none for a TikTok-shipped package), else it
 * is missing (nothing shipped on TikTok for it). Shipped twice counts TikTok shipments beyond
 * NetSuite's: extra packages carrying a tracking number already shipped, plus units shipped on
 * TikTok beyond what NetSuite fulfilled (lines shipped twice, or never fulfilled).
 */
import { salesOrderExternalId } from '../../flows/orders/index.ts';
import type { DemoEnv } from './demo-env.ts';

type World = Pick<DemoEnv, 'tiktok' | 'netsuite'>;

export interface FulfillmentVerdict {
  netsuiteFulfillments: number;
  packagesShippedOnTikTok: number;
  trackingMismatches: number;
  missing: number;
  shippedTwice: number;
  examples: {
    mismatches: Array<{ orderId: string; fulfillment: string; netsuite: string; tiktok: string }>;
    missing: Array<{ orderId: string; fulfillment: string }>;
    shippedTwice: Array<{ orderId: string; why: string }>;
  };
}

interface NsShipment {
  id: string;
  tracking: string[];
  units: Map<string, number>;
}

interface TtPackage {
  id: string;
  tracking: string;
  units: Map<string, number>;
}

const refId = (v: unknown): string | undefined =>
  v && typeof v === 'object' && 'id' in v ? String((v as { id: unknown }).id) : undefined;

function addUnits(m: Map<string, number>, sku: string, n: number): void {
  m.set(sku, (m.get(sku) ?? 0) + n);
}

const sameUnits = (a: Map<string, number>, b: Map<string, number>) =>
  a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/** NetSuite fulfillments per TikTok order id (for the orders asked about). */
function netsuiteShipments(world: World, orders: ReadonlyMap<string, string>): Map<string, NsShipment[]> {
  const store = world.netsuite.state.engine.store;
  const orderBySo = new Map<string, string>();
  for (const [orderId, shopId] of orders) {
    const so = store.byExternalId('salesOrder', salesOrderExternalId(shopId, orderId));
    if (so) orderBySo.set(so.id, orderId);
  }
  const out = new Map<string, NsShipment[]>();
  for (const rec of store.ofType('itemFulfillment')) {
    const orderId = orderBySo.get(refId(rec.body['createdFrom']) ?? '');
    if (!orderId) continue;
    const units = new Map<string, number>();
    for (const line of rec.lines['item'] ?? []) {
      const item = store.get(refId(line['item']) ?? '');
      const q = line['quantity'];
      if (item && typeof q === 'number' && line['itemReceive'] !== false)
        addUnits(units, String(item.body['itemId']), q);
    }
    const tracking = (rec.lines['package'] ?? []).flatMap((p) => {
      const t = p['packageTrackingNumber'];
      return typeof t === 'string' && t ? [t] : [];
    });
    out.set(orderId, [...(out.get(orderId) ?? []), { id: rec.id, tracking, units }]);
  }
  return out;
}

function tiktokPackages(world: World, orderId: string): TtPackage[] {
  const state = world.tiktok.ctx.state;
  const order = state.orders.get(orderId);
  if (!order) return [];
  return order.packageIds.flatMap((id) => {
    const pkg = state.packages.get(id);
    if (!pkg?.shipped) return [];
    const units = new Map<string, number>();
    for (const lineId of pkg.lineIds) {
      const line = order.lines.find((l) => l.id === lineId);
      if (line) addUnits(units, line.sellerSku, 1);
    }
    return [{ id: pkg.id, tracking: pkg.trackingNumber, units }];
  });
}

/** The verdict over these TikTok orders (order id -> shop id). */
export function fulfillmentVerdict(world: World, orders: ReadonlyMap<string, string>): FulfillmentVerdict {
  const ns = netsuiteShipments(world, orders);
  const v: FulfillmentVerdict = {
    netsuiteFulfillments: 0,
    packagesShippedOnTikTok: 0,
    trackingMismatches: 0,
    missing: 0,
    shippedTwice: 0,
    examples: { mismatches: [], missing: [], shippedTwice: [] },
  };
  for (const orderId of orders.keys())
    judgeOrder(v, orderId, ns.get(orderId) ?? [], tiktokPackages(world, orderId));
  v.examples.mismatches = v.examples.mismatches.slice(0, 5);
  v.examples.missing = v.examples.missing.slice(0, 5);
  v.examples.shippedTwice = v.examples.shippedTwice.slice(0, 5);
  return v;
}

function judgeOrder(v: FulfillmentVerdict, orderId: string, ns: NsShipment[], tt: TtPackage[]): void {
  v.netsuiteFulfillments += ns.length;
  v.packagesShippedOnTikTok += tt.length;
  const byTracking = Map.groupBy(tt, (p) => p.tracking);
  const used = new Set<TtPackage>();
  const unmatched: NsShipment[] = [];
  for (const f of ns) {
    const hits = f.tracking.flatMap((t) => byTracking.get(t) ?? []);
    if (hits.length === 0) {
      unmatched.push(f);
      continue;
    }
    used.add(hits[0]!);
    for (const extra of hits.slice(1)) {
      used.add(extra);
      v.shippedTwice++;
      v.examples.shippedTwice.push({
        orderId,
        why: `tracking ${extra.tracking} on packages ${hits.map((h) => h.id).join(', ')}`,
      });
    }
  }
  for (const f of unmatched) {
    const twin = tt.find((p) => !used.has(p) && sameUnits(p.units, f.units));
    if (twin) {
      used.add(twin);
      v.trackingMismatches++;
      v.examples.mismatches.push({
        orderId,
        fulfillment: f.id,
        netsuite: f.tracking.join(',') || '(none)',
        tiktok: twin.tracking,
      });
    } else {
      v.missing++;
      v.examples.missing.push({ orderId, fulfillment: f.id });
    }
  }
  const excess = unitsBeyond(ns, tt, byTracking);
  if (excess > 0) {
    v.shippedTwice += excess;
    v.examples.shippedTwice.push({
      orderId,
      why: `${excess} unit(s) shipped on TikTok beyond NetSuite's fulfillments`,
    });
  }
}

/** Units on TikTok's packages (one per tracking number) beyond the units NetSuite fulfilled, per SKU. */
function unitsBeyond(ns: NsShipment[], tt: TtPackage[], byTracking: Map<string, TtPackage[]>): number {
  const fulfilled = new Map<string, number>();
  for (const f of ns) for (const [sku, q] of f.units) addUnits(fulfilled, sku, q);
  const shipped = new Map<string, number>();
  for (const p of tt) {
    if (byTracking.get(p.tracking)?.[0] !== p) continue;
    for (const [sku, q] of p.units) addUnits(shipped, sku, q);
  }
  let excess = 0;
  for (const [sku, q] of shipped) excess += Math.max(0, q - (fulfilled.get(sku) ?? 0));
  return excess;
}
