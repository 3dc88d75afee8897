/**
 * `inventory.push`: NetSuite stock -> TikTok listed quantities, one record per TikTok product.
 *
 * Records come from the poller (changes every `pollIntervalSeconds`), the nightly full resync
 * (this flow's schedule) and `tiksuite inventory sync`. The step, under the product's lease: drops
 * SKUs a newer snapshot already applied, subtracts reservations, reads TikTok's current quantities
 * (POST /product/202309/inventory/search) right before writing, computes the safe absolute number
 * (domain/stock.ts), writes only what differs (POST /product/202309/products/{id}/inventory/update,
 * reference §5.3), turns per-SKU refusals into error records naming the SKU, then saves each applied
 * SKU's baseline and releases the reservations the snapshot reflects.
 */
import type { InventoryConfig } from '../../config/schema.ts';
import type { TikTokShopApi } from '../../connectors/tiktok-shop/index.ts';
import { nextListed, type StockRules, sellable } from '../../domain/stock.ts';
import { ErrorStore } from '../../store/errors.ts';
import { ReservationStore, type SkuReservations } from '../../store/reservations.ts';
import { defineFlow, type StepContext } from '../engine/define.ts';
import { recordQueue } from '../engine/jobs.ts';
import { collectRecords, PushPayload, refreshPayload } from './collect.ts';
import { INVENTORY_FLOW, type InventoryServices } from './deps.ts';
import {
  acquireProductLease,
  clearFence,
  type FencedSku,
  loadFence,
  loadStates,
  releaseProductLease,
  type SkuState,
  saveFence,
  saveStates,
} from './state.ts';
import { SyncParams } from './sync-params.ts';
import { TargetCache } from './targets.ts';

export interface PushOutput {
  pushed: number;
  unchanged: number;
  stale: number;
  failed: number;
}

export function stockRules(s: InventoryConfig): StockRules {
  const shops = Object.entries(s.shops);
  return {
    buffer: s.buffer,
    skuBuffers: s.skuBuffers,
    shopBuffers: Object.fromEntries(
      shops.flatMap(([id, c]) => (c.buffer === undefined ? [] : [[id, c.buffer]])),
    ),
    exclude: s.exclude,
    forceZero: s.forceZero,
    maxListed: s.maxListed,
    shopMaxListed: Object.fromEntries(
      shops.flatMap(([id, c]) => (c.maxListed === undefined ? [] : [[id, c.maxListed]])),
    ),
  };
}

export function inventoryPushFlow(services: InventoryServices, targets = new TargetCache()) {
  return defineFlow<PushPayload, Record<string, unknown>>({
    id: INVENTORY_FLOW,
    version: 1,
    description: 'NetSuite stock -> TikTok listed quantities (polling, nightly full resync, on demand)',
    triggers: [
      { type: 'schedule', cron: services.settings.nightlyResyncCron },
      { type: 'manual' },
      { type: 'webhook' },
    ],
    payload: PushPayload,
    params: SyncParams,
    async discover(ctx, raw) {
      const p = SyncParams.parse(raw);
      // A scheduled run is the nightly full resync; the CLI asks for --full or --skus.
      const scope = p.skus?.length ? { skus: p.skus } : { full: true as const };
      const records = await collectRecords(services, services.db, targets, scope, (shops, fn) =>
        ctx.eachSource(shops, fn, () => raw),
      );
      for (let i = 0; i < records.length; i += 500) await ctx.emit(records.slice(i, i + 500));
      ctx.log.info(
        { records: records.length, scope: p.skus?.length ? 'skus' : 'full' },
        'stock resync queued',
      );
    },
    steps: [{ id: 'push', run: ({ payload }, ctx) => pushProduct(services, payload, ctx) }],
  });
}

const LEASE_SECONDS = 60;

async function pushProduct(
  services: InventoryServices,
  p: PushPayload,
  ctx: StepContext,
): Promise<PushOutput> {
  const owner = `${ctx.recordKey}@${ctx.version}`;
  // Another record of this product is pushing: wait a little (pushes take milliseconds) before
  // handing the job back to the queue's retry delay.
  for (let attempt = 0; ; attempt++) {
    try {
      await acquireProductLease(ctx.db, p.shopId, p.productId, owner, LEASE_SECONDS);
      break;
    } catch (err) {
      if (attempt >= 20 || ctx.signal.aborted) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await pushLeased(services, p, ctx);
  } finally {
    await releaseProductLease(ctx.db, p.shopId, p.productId, owner);
  }
}

interface Planned {
  line: PushPayload['skus'][number];
  inventory: Array<{ warehouse_id: string; quantity: number }>;
  changed: boolean;
  listed: number;
  raw: number;
  res: SkuReservations;
  /** Written through a fence (ADR 7). */
  fenced?: boolean;
}

async function pushLeased(
  services: InventoryServices,
  given: PushPayload,
  ctx: StepContext,
  depth = 0,
): Promise<PushOutput> {
  const { settings } = services;
  // Read NetSuite again right here, under the lease: a snapshot from the poll may be seconds old, and
  // another channel's order placed since must not be listed again on TikTok. (A bulk read — the full
  // resync, a mass change — is pushed as read: one read for thousands of SKUs; ADR 6.)
  const p = given.bulk && !given.refresh ? given : await refreshPayload(services, given);
  const t = new Date(p.snapshotAt);
  const states = await loadStates(
    ctx.db,
    p.shopId,
    p.skus.map((s) => s.sku),
  );
  // A SKU whose state comes from a newer snapshot keeps it (an older record retried late).
  const fresh = p.skus.filter((s) => {
    const at = states.get(s.sku)?.snapshotAt;
    return !at || at.getTime() <= t.getTime();
  });
  const out: PushOutput = { pushed: 0, unchanged: 0, stale: p.skus.length - fresh.length, failed: 0 };
  if (fresh.length === 0) return out;
  const reservations = new ReservationStore(ctx.db);
  const res = settings.reservations
    ? await reservations.forSnapshot(
        fresh.map((s) => s.sku),
        t,
      )
    : new Map<string, SkuReservations>();
  const api = await services.shops.api(p.shopId);
  // The token is loaded once before the calls, so nothing but our own arithmetic sits between the
  // read of TikTok's numbers and the writes.
  const auth = { accessToken: await services.shops.accessToken(p.shopId) };
  // A fenced write a killed push left unfinished: its SKUs may sit at 0. Their pre-fence numbers stand
  // in for what TikTok shows, and they are written again (ADR 7).
  const pending = await loadFence(ctx.db, p.shopId, p.productId);
  const readAt = performance.now();
  const first = await shownQuantities(api, p.productId, auth);
  for (const line of fresh) {
    const was = pending[line.skuId];
    if (was && first.has(line.skuId))
      first.set(line.skuId, {
        available: new Map(Object.entries(was.available)),
        committed: new Map(Object.entries(was.committed)),
      });
  }
  const plans: Planned[] = [];
  const missing: string[] = [];
  // Fenced SKUs done with: those TikTok refused to zero or that left the product. A SKU whose final
  // write was refused stays fenced (at 0), so the error record's retry lists it again.
  const unfenced: string[] = [];
  for (const line of fresh) {
    const shown = first.get(line.skuId);
    if (!shown) {
      missing.push(line.sku);
      if (pending[line.skuId]) unfenced.push(line.skuId);
    } else {
      // A full resync starts from a fresh baseline: the sellable number, whatever TikTok shows.
      const state = p.reset ? undefined : states.get(line.sku);
      const plan = planSku(services, p.shopId, line, shown.available, res.get(line.sku), state);
      if (plan && pending[line.skuId]) plan.changed = true;
      if (plan) plans.push(plan);
    }
  }
  const rejected = new Map<string, string>(missing.map((sku) => [sku, GONE]));
  const changes = plans.filter((x) => x.changed);
  if (changes.length > 0) {
    const write = (skus: Planned[]) =>
      // Ahead of the shop's rate-limit queue: a queued call would keep buyers waiting (fence) or widen
      // the read -> write window (no fence).
      api.products.updateInventory(
        p.productId,
        { skus: skus.map((x) => ({ id: x.line.skuId, inventory: x.inventory })) },
        { ...auth, urgent: true },
      );
    const fence = wantsFence(settings, changes) || changes.some((x) => pending[x.line.skuId]);
    let written = changes;
    let zeroAt = 0;
    if (fence) {
      await saveFence(
        ctx.db,
        p.shopId,
        p.productId,
        Object.fromEntries(changes.map((x) => [x.line.skuId, stored(first.get(x.line.skuId)!)])),
      );
      // ADR 7. Zero the SKUs: from here on TikTok sells none of them. Every sale since our read is
      // now in TikTok's committed count, so the number TikTok showed just before the zero is known.
      zeroAt = performance.now();
      const zeroed = await write(changes.map((x) => ({ ...x, inventory: zeroes(first.get(x.line.skuId)!) })));
      noteRejections(zeroed.errors, p.skus, rejected);
      for (const x of changes) if (rejected.has(x.line.sku)) unfenced.push(x.line.skuId);
      const after = await shownQuantities(api, p.productId, auth);
      // NetSuite again, last before the write: another channel's order placed since the first read
      // must not be listed (the window left is this read and the write). Reservations stay those of
      // the older snapshot: an order imported in between is subtracted twice for a moment, which
      // under-lists, never over.
      const reread = await refreshPayload(services, { ...p, skus: changes.map((x) => x.line) });
      const supply = new Map(reread.skus.map((l) => [l.sku, l]));
      written = [];
      for (const x of changes) {
        if (rejected.has(x.line.sku)) continue;
        const now = after.get(x.line.skuId);
        if (!now) {
          rejected.set(x.line.sku, GONE);
          unfenced.push(x.line.skuId);
          continue;
        }
        const before = first.get(x.line.skuId)!;
        const state = p.reset ? undefined : states.get(x.line.sku);
        const line = supply.get(x.line.sku) ?? x.line;
        const plan = planSku(services, p.shopId, line, beforeFence(before, now), x.res, state)!;
        plan.changed = differs(plan.inventory, now.available);
        plan.fenced = true;
        plans[plans.indexOf(x)] = plan;
        if (plan.changed) written.push(plan);
      }
    }
    const result = written.length > 0 ? await write(written) : { errors: [] };
    noteRejections(result.errors, p.skus, rejected);
    const done = performance.now();
    services.onPush?.({
      shopId: p.shopId,
      productId: p.productId,
      skus: changes.map((x) => x.line.sku).filter((s) => !rejected.has(s)),
      fenced: fence,
      readToWriteMs: fence ? 0 : done - readAt,
      soldOutMs: fence && written.length > 0 ? done - zeroAt : 0,
      at: Date.now(),
    });
  }
  await recordRejections(ctx, p, rejected);
  const applied = plans.filter((x) => !rejected.has(x.line.sku));
  await ctx.db.transaction().execute(async (tx) => {
    await clearFence(tx, p.shopId, p.productId, [...unfenced, ...applied.map((x) => x.line.skuId)]);
    await saveStates(
      tx,
      applied.map((x) => ({
        shopId: p.shopId,
        sku: x.line.sku,
        productId: p.productId,
        skuId: x.line.skuId,
        snapshotAt: t,
        baseline: { raw: x.raw, reservedTotal: x.res.reservedTotal, cancelledTotal: x.res.cancelledTotal },
        listed: x.listed,
      })),
    );
    await new ErrorStore(tx).resolveRecords(
      INVENTORY_FLOW,
      applied.map((x) => skuErrorKey(p.shopId, x.line.sku)),
      tx,
    );
    if (settings.reservations)
      await reservations.release(
        applied.map((x) => x.line.sku),
        t,
        tx,
      );
  });
  out.pushed = applied.filter((x) => x.changed).length;
  out.unchanged = applied.length - out.pushed;
  out.failed = rejected.size;
  // A fenced write listed what NetSuite had a moment ago. If another channel took units since, the
  // next poll would lower TikTok only an interval later, while buyers race for those units: check now,
  // and push again at once (still under the lease) when NetSuite went down.
  const written = applied.filter((x) => x.changed && x.fenced);
  if (written.length > 0 && depth < 2) {
    const now = await refreshPayload(services, { ...p, skus: written.map((x) => x.line) });
    const fell = now.skus.filter(
      (l) => l.available < (written.find((x) => x.line.sku === l.sku)?.line.available ?? 0),
    );
    if (fell.length > 0) {
      const again = await pushLeased(services, { ...given, skus: fell, refresh: true }, ctx, depth + 1);
      out.pushed += again.pushed;
      out.failed += again.failed;
    }
  }
  return out;
}

const GONE = 'the SKU is no longer part of this TikTok product';

/** What TikTok shows for one SKU: per warehouse, the listed (available) and the committed units. */
interface Shown {
  available: Map<string, number>;
  committed: Map<string, number>;
}

async function shownQuantities(api: TikTokShopApi, productId: string, auth: { accessToken: string }) {
  const data = await api.products.searchInventory({ product_ids: [productId] }, auth);
  const out = new Map<string, Shown>();
  for (const prod of data.inventory)
    for (const s of prod.skus)
      out.set(s.id, {
        available: new Map(s.warehouse_inventory.map((w) => [w.warehouse_id, w.available_quantity])),
        committed: new Map(s.warehouse_inventory.map((w) => [w.warehouse_id, w.committed_quantity ?? 0])),
      });
  return out;
}

/**
 * `selling`: fence when a SKU being written is selling on TikTok: it holds reservations, or a sale
 * reserved units within `sellingWindowSeconds`.
 */
function wantsFence(settings: InventoryConfig, changes: readonly Planned[]): boolean {
  if (!settings.reservations || settings.writeFence === 'never') return false;
  if (settings.writeFence === 'always') return true;
  const since = Date.now() - settings.sellingWindowSeconds * 1000;
  return changes.some((x) => x.res.reserved > 0 || (x.res.lastReservedAt?.getTime() ?? 0) >= since);
}

function stored(shown: Shown): FencedSku {
  return { available: Object.fromEntries(shown.available), committed: Object.fromEntries(shown.committed) };
}

function zeroes(shown: Shown): Array<{ warehouse_id: string; quantity: number }> {
  return [...shown.available.keys()].map((warehouse_id) => ({ warehouse_id, quantity: 0 }));
}

/**
 * What TikTok listed just before the zero write: the first read less the units committed since. A
 * warehouse the zero did not reach (TikTok applied it later, or a unit came back) is taken as shown
 * now, the plain read -> write guard. Fewer committed units than before (a shipment or cancellation
 * in between) count as no sale: never more than the first read.
 */
function beforeFence(first: Shown, now: Shown): Map<string, number> {
  const out = new Map<string, number>();
  for (const [w, q] of now.available) {
    const was = first.available.get(w);
    if (q !== 0 || was === undefined) out.set(w, q);
    else
      out.set(w, Math.max(0, was - Math.max(0, (now.committed.get(w) ?? 0) - (first.committed.get(w) ?? 0))));
  }
  return out;
}

function differs(
  inventory: ReadonlyArray<{ warehouse_id: string; quantity: number }>,
  shown: Map<string, number>,
) {
  return inventory.some((w) => shown.get(w.warehouse_id) !== w.quantity);
}

function noteRejections(
  errors: ReadonlyArray<{ code: number; message: string; detail?: Record<string, unknown> | undefined }>,
  lines: PushPayload['skus'],
  rejected: Map<string, string>,
) {
  for (const e of errors) {
    const skuId = typeof e.detail?.sku_id === 'string' ? e.detail.sku_id : undefined;
    const line = lines.find((s) => s.skuId === skuId);
    const extra = Array.isArray(e.detail?.extra_errors) ? JSON.stringify(e.detail.extra_errors) : '';
    if (line) rejected.set(line.sku, `TikTok code ${e.code}: ${e.message}${extra ? ` ${extra}` : ''}`);
  }
}

function planSku(
  services: InventoryServices,
  shopId: string,
  line: PushPayload['skus'][number],
  cur: Map<string, number>,
  r: SkuReservations | undefined,
  state: SkuState | undefined,
): Planned | undefined {
  const { settings } = services;
  const res = r ?? { reserved: 0, reservedTotal: 0, cancelledTotal: 0, lastReservedAt: null };
  const sell = sellable(
    { available: line.available, reserved: res.reserved, shopId, sku: line.sku },
    stockRules(settings),
  );
  if (sell.kind === 'exclude') return undefined;
  const currentTotal = [...cur.values()].reduce((a, q) => a + q, 0);
  const raw = line.available - res.reserved;
  const listed = settings.reservations
    ? nextListed(
        {
          raw,
          reservedTotal: res.reservedTotal,
          cancelledTotal: res.cancelledTotal,
          target: sell.quantity,
          current: currentTotal,
        },
        state?.baseline,
        { tiktokRestocksOnCancel: settings.tiktokRestocksOnCancel },
      ).quantity
    : sell.quantity;
  const inventory = splitByWarehouse(listed, line.warehouses, cur);
  const changed = differs(inventory, cur);
  return { line, inventory, changed, listed, raw, res };
}

/**
 * Spreads the listed total over the mapped warehouses in config order (each up to its own
 * availability; the last mapped one takes any rest). A mapping without a warehouse id means the
 * SKU's only warehouse. TikTok wants every warehouse of the SKU: unmapped ones keep their number.
 */
function splitByWarehouse(
  total: number,
  mapped: PushPayload['skus'][number]['warehouses'],
  cur: Map<string, number>,
): Array<{ warehouse_id: string; quantity: number }> {
  const ids = mapped.map((w) => w.warehouseId ?? (cur.size === 1 ? [...cur.keys()][0]! : ''));
  const out = new Map<string, number>(cur);
  let left = total;
  mapped.forEach((w, i) => {
    const id = ids[i]!;
    const q = i === mapped.length - 1 ? left : Math.min(left, Math.max(0, w.available));
    out.set(id, q);
    left -= q;
  });
  return [...out].map(([warehouse_id, quantity]) => ({ warehouse_id, quantity }));
}

async function recordRejections(ctx: StepContext, p: PushPayload, rejected: Map<string, string>) {
  const errors = new ErrorStore(ctx.db);
  for (const [sku, why] of rejected) {
    await errors.record({
      flowId: INVENTORY_FLOW,
      recordKey: skuErrorKey(p.shopId, sku),
      errorClass: 'validation',
      code: 'inventory_sku_rejected',
      message: `TikTok refused the stock of SKU ${sku} (shop ${p.shopId}, product ${p.productId}): ${why}; fix the listing or add the SKU to inventory.exclude, then retry`,
      details: { sku, shopId: p.shopId, productId: p.productId },
      payload: { ...p, refresh: true, skus: p.skus.filter((s) => s.sku === sku) },
      jobQueue: recordQueue(INVENTORY_FLOW),
      attempts: ctx.attempt,
      runId: ctx.runId,
    });
  }
}

export function skuErrorKey(shopId: string, sku: string): string {
  return `inventory:${shopId}:sku:${sku}`;
}
