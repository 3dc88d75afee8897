/**
 * Watches the TikTok sandbox's own state for the tracking numbers of the fulfillments the warehouse
 * created in NetSuite, and samples how long each took to get there: from the fulfillment's creation
 * in NetSuite to its tracking number on TikTok (for TikTok shipping: to the number TikTok assigned),
 * from a corrected number's save to TikTok showing it, and for TikTok shipping from creation to
 * TikTok's number written back on the NetSuite fulfillment. Shared by the lifecycle demo and
 * `npm run bench:fulfillment`.
 */
import type { DemoEnv } from './demo-env.ts';
import type { CreatedFulfillment } from './warehouse.ts';

type World = Pick<DemoEnv, 'tiktok' | 'netsuite'>;

interface Pending {
  f: CreatedFulfillment;
  /** Wall ms the clock runs from (creation, or the correction's save). */
  since: number;
  kind: 'shipped' | 'corrected' | 'writtenBack';
}

export interface TrackingSamples {
  /** NetSuite fulfillment created -> its tracking number on TikTok, ms. */
  toTikTokMs: number[];
  /** Corrected in NetSuite -> the corrected number on TikTok, ms. */
  correctionToTikTokMs: number[];
  /** TikTok shipping: NetSuite fulfillment created -> TikTok's number on it in NetSuite, ms. */
  writtenBackMs: number[];
}

export class TrackingWatch implements TrackingSamples {
  readonly toTikTokMs: number[] = [];
  readonly correctionToTikTokMs: number[] = [];
  readonly writtenBackMs: number[] = [];
  readonly #world: World;
  readonly #pending = new Set<Pending>();
  readonly #onShipped: (f: CreatedFulfillment) => void;
  readonly #timer: NodeJS.Timeout;
  /** Wall ms of the last sample (progress, for the callers' stall checks). */
  lastSampleAt = Date.now();

  /** `onShipped` runs once a fulfillment's first tracking number shows on TikTok. */
  constructor(world: World, o: { onShipped?: (f: CreatedFulfillment) => void; everyMs?: number } = {}) {
    this.#world = world;
    this.#onShipped = o.onShipped ?? (() => {});
    this.#timer = setInterval(() => this.check(), o.everyMs ?? 100);
  }

  /** A fulfillment just created: its clock starts at its creation time in NetSuite. */
  add(f: CreatedFulfillment): void {
    const rec = this.#world.netsuite.state.engine.store.byExternalId('itemFulfillment', f.externalId);
    const since = rec?.createdMs ?? f.createdAt;
    this.#pending.add({ f, since, kind: 'shipped' });
    if (f.order.shipping === 'TIKTOK') this.#pending.add({ f, since, kind: 'writtenBack' });
  }

  /** A tracking number just corrected in NetSuite. */
  addCorrection(f: CreatedFulfillment): void {
    this.#pending.add({ f, since: f.correctedAt ?? Date.now(), kind: 'corrected' });
  }

  /** Samples still waiting. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Pending samples of one kind (e.g. corrections not yet on TikTok). */
  pendingOf(kind: Pending['kind']): CreatedFulfillment[] {
    return [...this.#pending].filter((p) => p.kind === kind).map((p) => p.f);
  }

  check(): void {
    const now = Date.now();
    for (const p of this.#pending) {
      if (!this.#arrived(p)) continue;
      this.#pending.delete(p);
      this.lastSampleAt = now;
      const ms = now - p.since;
      if (p.kind === 'shipped') {
        this.toTikTokMs.push(ms);
        this.#onShipped(p.f);
      } else if (p.kind === 'corrected') this.correctionToTikTokMs.push(ms);
      else this.writtenBackMs.push(ms);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.check();
  }

  #arrived(p: Pending): boolean {
    const numbers = tiktokTracking(this.#world, p.f.order.orderId);
    if (p.kind === 'corrected') return numbers.includes(p.f.shipment.correction ?? '');
    if (p.kind === 'shipped') {
      // TikTok shipping: TikTok assigns the number; a seller shipment may go out already corrected.
      if (p.f.order.shipping === 'TIKTOK') return numbers.length > 0;
      return [p.f.shipment.tracking, p.f.shipment.correction].some((t) => t && numbers.includes(t));
    }
    const ns = netsuiteTracking(this.#world, p.f.externalId);
    return ns.length > 0 && ns.every((t) => numbers.includes(t));
  }
}

/** Tracking numbers of the order's shipped TikTok packages. */
export function tiktokTracking(world: World, orderId: string): string[] {
  const state = world.tiktok.ctx.state;
  const order = state.orders.get(orderId);
  if (!order) return [];
  return order.packageIds.flatMap((id) => {
    const pkg = state.packages.get(id);
    return pkg?.shipped && pkg.trackingNumber ? [pkg.trackingNumber] : [];
  });
}

/** Tracking numbers on the NetSuite fulfillment's package sublist. */
export function netsuiteTracking(world: World, externalId: string): string[] {
  const rec = world.netsuite.state.engine.store.byExternalId('itemFulfillment', externalId);
  return (rec?.lines['package'] ?? []).flatMap((p) => {
    const t = p['packageTrackingNumber'];
    return typeof t === 'string' && t ? [t] : [];
  });
}
