/**
 * The `ship` step: one NetSuite item fulfillment -> one TikTok shipment, never two.
 *
 * TikTok's state is read before acting, every time: the package this fulfillment already became
 * (cross-reference), else a shipped package of the order carrying the fulfillment's tracking number
 * (a crash between TikTok's answer and our checkpoint), else the lines are shipped now:
 * - seller shipping: Mark Package As Shipped with the lines, the tracking number and the provider
 *   (reference section 6.1); a tracking number changed later in NetSuite updates the package;
 * - TikTok shipping (platform labels): Ship Package for the packages holding the lines, then the
 *   number TikTok assigned is written onto the fulfillment's package sublist in NetSuite.
 */
import type { NsRef, RecordOf } from '../../connectors/netsuite/index.ts';
import type { Order, TikTokShopApi } from '../../connectors/tiktok-shop/index.ts';
import { AppError, isAppError } from '../../shared/errors.ts';
import { XrefStore } from '../../store/xref.ts';
import type { StepContext } from '../engine/define.ts';
import { releaseLease, takeLease } from '../orders/sync-state.ts';
import type { CarrierResolver } from './carriers.ts';
import { type FulfillmentServices, itemsOfSkus, orderXref, packageXref, type ShipAction } from './deps.ts';
import type { FulfillmentPayload } from './discover.ts';
import { cmpId, type FulfilledLine, isCancelled, isShipped, pickLineItems } from './lines.ts';
import { noteShipment } from './ship-by.ts';

type ItemFulfillment = RecordOf<'itemFulfillment'>;

export interface ShipOutput {
  action: ShipAction | 'unchanged' | 'waiting' | 'skipped' | 'tracking_written_back';
  reason?: string;
  /** TikTok package id(s), comma-separated when TikTok shipping split the lines over several. */
  packageId: string | null;
  trackingNumber?: string;
}

/** Package states whose tracking TikTok no longer changes. */
const FINAL = new Set(['COMPLETED', 'CANCELLED']);

export async function shipFulfillment(
  s: FulfillmentServices,
  carriers: CarrierResolver,
  p: FulfillmentPayload,
  ctx: StepContext,
): Promise<ShipOutput> {
  if (p.deleted) return deleted(p, await ctx.xref.get(packageXref(p.fulfillmentId, p.shopId)));
  // One actor per TikTok order at a time (the order import takes the same lease): two fulfillments
  // of one order, or two versions of one fulfillment, never pick the same units concurrently.
  const ref = { shopId: p.shopId, orderId: p.orderId };
  const owner = `fulfillment:${ctx.recordKey}@${ctx.version}`;
  await takeLease(ctx, ref, owner, LEASE_SECONDS);
  try {
    return await shipLeased(s, carriers, p, ctx);
  } finally {
    await releaseLease(ctx.db, ref, owner);
  }
}

/**
 * Short: the step makes a few TikTok calls. A process killed while holding it blocks the order's
 * import and its other fulfillments no longer than this (the import's own lease is longer).
 */
const LEASE_SECONDS = 30;

async function shipLeased(
  s: FulfillmentServices,
  carriers: CarrierResolver,
  p: FulfillmentPayload,
  ctx: StepContext,
): Promise<ShipOutput> {
  const xref = packageXref(p.fulfillmentId, p.shopId);
  const known = await ctx.xref.get(xref);
  const f = await readFulfillment(s, p.fulfillmentId);
  if (!f) return { action: 'skipped', reason: 'the fulfillment no longer exists', packageId: known ?? null };
  const status = f.shipStatus?.id;
  if (s.settings.shipOn === 'shipped' && status && status !== 'C')
    return { action: 'waiting', reason: `shipStatus ${status}: not shipped yet`, packageId: known ?? null };
  const api = await s.shops.api(p.shopId);
  const order = await readOrder(api, p.orderId);
  if (order.fulfillment_type === 'FULFILLMENT_BY_TIKTOK')
    return { action: 'skipped', reason: 'TikTok fulfils this order (FBT)', packageId: known ?? null };
  const tracking = trackingNumbers(f);
  const platform = order.shipping_type === 'TIKTOK';

  if (known) return again(s, carriers, { api, order, f, p, known, tracking, platform });

  const lines = fulfilledLines(f);
  // A crash after TikTok's answer: the lines already sit in a shipped package with our number.
  const mine = tracking[0] ? shippedWith(order, tracking[0]) : undefined;
  if (mine && !(await claimedByOther(ctx, p, mine))) {
    await ctx.xref.put(orderXref(p.fulfillmentId, p.shopId), p.orderId);
    await ctx.xref.put(xref, mine);
    if (platform) await writeBack(s, f, tracking[0]!);
    await noteShipment(ctx.db, p, order, []);
    measure(s, p, mine, 'recovered');
    return { action: 'recovered', packageId: mine, trackingNumber: tracking[0]! };
  }
  const itemOf = await itemsOfSkus(s, order.line_items);
  if (platform) return shipPlatform(s, { api, order, f, p, lines, itemOf, ctx });

  const first = tracking[0];
  if (!first)
    return { action: 'waiting', reason: 'no tracking number on the fulfillment yet', packageId: null };
  const ids = pickLineItems({
    fulfillmentId: p.fulfillmentId,
    orderId: p.orderId,
    lines,
    lineItems: order.line_items,
    itemOf,
  });
  if (ids.length === 0)
    return { action: 'skipped', reason: 'the fulfillment ships no units', packageId: null };
  const provider = await carriers.resolve(api, order, shipMethodOf(f), p.fulfillmentId);
  const res = await tiktokAct(p, 'mark the lines shipped', () =>
    api.fulfillment.markShipped(p.orderId, {
      tracking_number: first,
      shipping_provider_id: provider.id,
      order_line_item_ids: ids,
    }),
  );
  await ctx.xref.put(orderXref(p.fulfillmentId, p.shopId), p.orderId);
  await ctx.xref.put(xref, res.package_id);
  await noteShipment(ctx.db, p, order, ids);
  measure(s, p, res.package_id, 'shipped');
  return { action: 'shipped', packageId: res.package_id, trackingNumber: first };
}

/** The fulfillment was shipped before: keep TikTok's and NetSuite's tracking numbers the same. */
async function again(
  s: FulfillmentServices,
  carriers: CarrierResolver,
  x: {
    api: TikTokShopApi;
    order: Order;
    f: ItemFulfillment;
    p: FulfillmentPayload;
    known: string;
    tracking: string[];
    platform: boolean;
  },
): Promise<ShipOutput> {
  const [firstId] = x.known.split(',');
  const pkg = await x.api.fulfillment.getPackage(firstId!);
  const theirs = pkg.tracking_number ?? '';
  const ours = x.tracking[0];
  if (x.platform) {
    // TikTok assigns the number: NetSuite follows it.
    if (theirs && ours !== theirs && s.settings.writeBackTracking) {
      await writeBack(s, x.f, theirs);
      return { action: 'tracking_written_back', packageId: x.known, trackingNumber: theirs };
    }
    return { action: 'unchanged', packageId: x.known, trackingNumber: theirs };
  }
  if (!ours || ours === theirs) return { action: 'unchanged', packageId: x.known, trackingNumber: theirs };
  if (FINAL.has(pkg.package_status)) {
    throw new AppError(
      'fulfillment_package_state',
      `NetSuite item fulfillment ${x.p.fulfillmentId} now has tracking number ${ours}, but TikTok package ${firstId} is ${pkg.package_status} and keeps ${theirs}: TikTok no longer changes it; correct NetSuite back or contact TikTok support, then resolve this error`,
      { details: { fulfillmentId: x.p.fulfillmentId, packageId: firstId, status: pkg.package_status } },
    );
  }
  const provider = await carriers.resolve(x.api, x.order, shipMethodOf(x.f), x.p.fulfillmentId);
  await tiktokAct(x.p, 'update the tracking number', () =>
    x.api.fulfillment.updateShippingInfo(firstId!, {
      tracking_number: ours,
      shipping_provider_id: provider.id,
    }),
  );
  measure(s, x.p, firstId!, 'tracking_updated');
  return { action: 'tracking_updated', packageId: x.known, trackingNumber: ours };
}

/**
 * TikTok shipping: TikTok packs the order's lines into its own packages (read from the order's
 * package list: line items name their package only once it ships). Each package holding the lines
 * is shipped whole, then TikTok's tracking number is written onto the NetSuite fulfillment.
 */
async function shipPlatform(
  s: FulfillmentServices,
  x: {
    api: TikTokShopApi;
    order: Order;
    f: ItemFulfillment;
    p: FulfillmentPayload;
    lines: FulfilledLine[];
    itemOf: (sku: string) => string | undefined;
    ctx: StepContext;
  },
): Promise<ShipOutput> {
  const { order, p } = x;
  const details = await Promise.all(order.packages.map((pk) => x.api.fulfillment.getPackage(pk.id)));
  const open = details.filter((d) => d.package_status !== 'CANCELLED');
  const packageOf = new Map<string, string>();
  for (const d of open) for (const id of d.order_line_item_ids) packageOf.set(id, d.package_id);
  // A crash between TikTok's answer and the checkpoint: a shipped package no fulfillment claims,
  // holding only units of this fulfillment's items, is this fulfillment's.
  const shipped = open.filter((d) => !!d.tracking_number && d.order_line_item_ids.length > 0);
  for (const d of shipped) {
    if (await claimedByOther(x.ctx, p, d.package_id)) continue;
    const need = new Map<string, number>();
    for (const l of x.lines) need.set(l.itemId, (need.get(l.itemId) ?? 0) + l.quantity);
    const fits = d.order_line_item_ids.every((id) => {
      const sku = order.line_items.find((l) => l.id === id)?.seller_sku;
      const item = sku ? x.itemOf(sku) : undefined;
      const left = item ? (need.get(item) ?? 0) : 0;
      if (left <= 0) return false;
      need.set(item!, left - 1);
      return true;
    });
    if (!fits) continue;
    await writeBack(s, x.f, d.tracking_number!);
    await x.ctx.xref.put(orderXref(p.fulfillmentId, p.shopId), p.orderId);
    await x.ctx.xref.put(packageXref(p.fulfillmentId, p.shopId), d.package_id);
    await noteShipment(x.ctx.db, p, order, d.order_line_item_ids);
    measure(s, p, d.package_id, 'recovered');
    return { action: 'recovered', packageId: d.package_id, trackingNumber: d.tracking_number! };
  }
  // Lines of one package first, so a fulfillment of whole packages takes exactly those.
  const ids = pickLineItems({
    fulfillmentId: p.fulfillmentId,
    orderId: p.orderId,
    lines: x.lines,
    lineItems: order.line_items,
    itemOf: x.itemOf,
    rank: (a, b) => (packageOf.get(a.id) ?? '').localeCompare(packageOf.get(b.id) ?? '') || cmpId(a.id, b.id),
  });
  const wanted = new Set(ids);
  const packages = [...new Set(ids.map((id) => packageOf.get(id) ?? ''))];
  for (const pkg of packages) {
    const inPkg = order.line_items.filter((l) => packageOf.get(l.id) === pkg && !isCancelled(l));
    const missing = inPkg.filter((l) => !wanted.has(l.id));
    if (!pkg || missing.length > 0) {
      throw new AppError(
        'fulfillment_package_state',
        `TikTok ships order ${p.orderId} with its own labels, package by package: ${pkg ? `package ${pkg} holds ${inPkg.length} units and NetSuite item fulfillment ${p.fulfillmentId} ships ${inPkg.length - missing.length} of them` : `some units of NetSuite item fulfillment ${p.fulfillmentId} are in no TikTok package`}; fulfil the whole package in one NetSuite fulfillment (or split the package in TikTok Seller Center), then retry`,
        { details: { fulfillmentId: p.fulfillmentId, packageId: pkg, units: inPkg.length } },
      );
    }
  }
  let tracking = '';
  for (const pkg of packages) {
    await tiktokAct(p, `ship package ${pkg}`, () =>
      x.api.fulfillment.shipPackage(pkg, { handover_method: s.settings.handoverMethod }),
    );
    tracking ||= (await x.api.fulfillment.getPackage(pkg)).tracking_number ?? '';
  }
  const joined = packages.join(',');
  if (tracking) await writeBack(s, x.f, tracking);
  await x.ctx.xref.put(orderXref(p.fulfillmentId, p.shopId), p.orderId);
  await x.ctx.xref.put(packageXref(p.fulfillmentId, p.shopId), joined);
  const inShipped = order.line_items.filter((l) => packages.includes(packageOf.get(l.id) ?? ''));
  await noteShipment(
    x.ctx.db,
    p,
    order,
    inShipped.map((l) => l.id),
  );
  measure(s, p, joined, 'platform_shipped');
  return { action: 'platform_shipped', packageId: joined, trackingNumber: tracking };
}

function deleted(p: FulfillmentPayload, known: string | undefined): ShipOutput {
  if (!known) return { action: 'skipped', reason: 'deleted before it shipped', packageId: null };
  throw new AppError(
    'fulfillment_deleted',
    `NetSuite item fulfillment ${p.fulfillmentId} of TikTok order ${p.orderId} was deleted after TikSuite shipped it as TikTok package ${known}; TikTok still shows the parcel shipped. Re-create the fulfillment in NetSuite with the same tracking number (TikSuite ties it to the same package) or correct the shipment in TikTok Seller Center, then resolve this error`,
    { details: { fulfillmentId: p.fulfillmentId, orderId: p.orderId, packageId: known } },
  );
}

async function readFulfillment(s: FulfillmentServices, id: string): Promise<ItemFulfillment | undefined> {
  try {
    return await s.netsuite.records.get('itemFulfillment', id);
  } catch (err) {
    if (isAppError(err) && err.code === 'netsuite_record_not_found') return undefined;
    throw err;
  }
}

async function readOrder(api: TikTokShopApi, orderId: string): Promise<Order> {
  const { orders, malformed } = await api.orders.readDetails([orderId]);
  const order = orders[0];
  if (order) return order;
  const bad = malformed[0];
  throw new AppError(
    bad ? 'validation_failed' : 'not_found',
    bad
      ? `TikTok order ${orderId} could not be read: ${bad.issue}`
      : `TikTok order ${orderId} was not found in shop ${api.ref.id}`,
    { details: { orderId } },
  );
}

function trackingNumbers(f: ItemFulfillment): string[] {
  return (f.package?.items ?? [])
    .map((x) => (x.packageTrackingNumber ?? '').trim())
    .filter((t) => t.length > 0);
}

function shipMethodOf(f: ItemFulfillment): NsRef | undefined {
  const m = (f as Record<string, unknown>)['shipMethod'];
  return m && typeof m === 'object' && 'id' in m ? (m as NsRef) : undefined;
}

/** The fulfillment's item lines that ship units (itemReceive not false, quantity > 0). */
function fulfilledLines(f: ItemFulfillment): FulfilledLine[] {
  return (f.item?.items ?? [])
    .filter((l) => l.itemReceive !== false && (l.quantity ?? 0) > 0 && l.item)
    .map((l) => ({
      orderLine: l.orderLine ?? l.line,
      itemId: l.item!.id,
      itemName: l.item!.refName,
      quantity: l.quantity ?? 0,
    }));
}

function shippedWith(order: Order, tracking: string): string | undefined {
  return order.line_items.find((l) => isShipped(l) && l.tracking_number === tracking && l.package_id)
    ?.package_id;
}

/** Two fulfillments sent with one tracking number: the package belongs to the one that shipped it. */
async function claimedByOther(ctx: StepContext, p: FulfillmentPayload, packageId: string): Promise<boolean> {
  const key = packageXref(p.fulfillmentId, p.shopId);
  const rows = await new XrefStore(ctx.db).sourcesOf(key.targetSystem, key.targetType, packageId);
  return rows.some(
    (r) =>
      r.source_system === key.sourceSystem &&
      r.source_type === key.sourceType &&
      r.source_id !== p.fulfillmentId,
  );
}

/** TikTok's number onto the fulfillment's first package (other package fields kept). */
async function writeBack(s: FulfillmentServices, f: ItemFulfillment, tracking: string): Promise<void> {
  if (!s.settings.writeBackTracking || !f.id) return;
  const packages = f.package?.items ?? [];
  if ((packages[0]?.packageTrackingNumber ?? '') === tracking) return;
  const items = (packages.length ? packages : [{}]).map((pkg, i) => ({
    packageTrackingNumber: i === 0 ? tracking : (pkg.packageTrackingNumber ?? ''),
    ...(pkg.packageWeight !== undefined ? { packageWeight: pkg.packageWeight } : {}),
  }));
  await s.netsuite.records.update('itemFulfillment', f.id, { package: { items } }, { replace: ['package'] });
}

/**
 * A TikTok refusal of a shipment is the seller's to fix (tracking number format, order state):
 * named for what was attempted. Transient failures (5xx, 429, tokens) stay as they are.
 */
async function tiktokAct<T>(p: FulfillmentPayload, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isAppError(err) || !['tiktok_invalid_param', 'tiktok_api_error'].includes(err.code)) throw err;
    const param = String(err.details?.['param'] ?? '');
    const tracking = err.code === 'tiktok_invalid_param' && /tracking/i.test(`${param} ${err.message}`);
    throw new AppError(
      tracking ? 'fulfillment_tracking_invalid' : 'fulfillment_package_state',
      tracking
        ? `TikTok refused the tracking number of NetSuite item fulfillment ${p.fulfillmentId} (order ${p.orderId}): ${err.message}. Correct the package's tracking number in NetSuite; the change is pushed again by itself`
        : `TikTok would not ${what} for NetSuite item fulfillment ${p.fulfillmentId} (order ${p.orderId}): ${err.message}. Check the order in TikTok Seller Center (cancelled, already shipped, or shipped by TikTok), then retry or resolve`,
      { details: { ...err.details, fulfillmentId: p.fulfillmentId, orderId: p.orderId }, cause: err },
    );
  }
}

function measure(s: FulfillmentServices, p: FulfillmentPayload, packageId: string, action: ShipAction): void {
  s.onShipped?.({
    fulfillmentId: p.fulfillmentId,
    shopId: p.shopId,
    orderId: p.orderId,
    packageId,
    action,
    at: Date.now(),
  });
}
