/**
 * Seller SKU -> TikTok product id and SKU id, per shop. Looked up in order: this process's cache,
 * inventory_state (ids saved with every push), the catalog flow's cross-reference (NetSuite item ->
 * TikTok product / sku), then TikTok's product search by seller_sku (POST
 * /product/202309/products/search, reference §5.2) — or one pass over every product when many
 * SKUs are unknown (a first full resync). SKUs TikTok does not list are remembered for a minute.
 */
import type { Kysely } from 'kysely';
import type { TikTokShopApi } from '../../connectors/tiktok-shop/index.ts';
import type { Database } from '../../store/schema.ts';
import { XrefStore } from '../../store/xref.ts';
import { catalogXref } from '../catalog/deps.ts';

export interface TikTokSkuRef {
  productId: string;
  skuId: string;
}

const MISS_TTL_MS = 60_000;
const SEARCH_CHUNK = 20;
const SCAN_ABOVE = 200;

export class TargetCache {
  readonly #known = new Map<string, TikTokSkuRef>();
  readonly #missing = new Map<string, number>();

  #key(shopId: string, sku: string) {
    return `${shopId}\u0000${sku}`;
  }

  /** Refs for the SKUs TikTok lists in this shop; the others are left out. */
  async resolve(
    db: Kysely<Database>,
    api: () => Promise<TikTokShopApi>,
    shopId: string,
    items: ReadonlyArray<{ sku: string; itemId: string }>,
  ): Promise<Map<string, TikTokSkuRef>> {
    const out = new Map<string, TikTokSkuRef>();
    const now = Date.now();
    let unknown = items.filter((i) => {
      const k = this.#key(shopId, i.sku);
      const hit = this.#known.get(k);
      if (hit) out.set(i.sku, hit);
      return !hit && (this.#missing.get(k) ?? 0) < now;
    });
    if (unknown.length === 0) return out;
    unknown = await this.#fromStore(db, shopId, unknown, out);
    if (unknown.length === 0) return out;
    const found = await this.#fromTikTok(await api(), unknown);
    for (const i of unknown) {
      const ref = found.get(i.sku);
      if (ref) {
        this.#known.set(this.#key(shopId, i.sku), ref);
        out.set(i.sku, ref);
      } else this.#missing.set(this.#key(shopId, i.sku), now + MISS_TTL_MS);
    }
    return out;
  }

  async #fromStore(
    db: Kysely<Database>,
    shopId: string,
    items: ReadonlyArray<{ sku: string; itemId: string }>,
    out: Map<string, TikTokSkuRef>,
  ) {
    const rows = await db
      .selectFrom('inventory_state')
      .select(['sku', 'product_id', 'sku_id'])
      .where('shop_id', '=', shopId)
      .where(
        'sku',
        'in',
        items.map((i) => i.sku),
      )
      .execute();
    for (const r of rows) this.#remember(shopId, r.sku, { productId: r.product_id, skuId: r.sku_id }, out);
    const xref = new XrefStore(db);
    const left = items.filter((i) => !out.has(i.sku));
    // The catalog flow's rows, when it created the listing (NetSuite item id -> this shop's product).
    if (left.length <= SCAN_ABOVE) {
      for (const i of left) {
        const productId = await xref.get(catalogXref(i.itemId, shopId, 'product'));
        const skuId = productId && (await xref.get(catalogXref(i.itemId, shopId, 'sku')));
        if (productId && skuId) this.#remember(shopId, i.sku, { productId, skuId }, out);
      }
    }
    return items.filter((i) => !out.has(i.sku));
  }

  #remember(shopId: string, sku: string, ref: TikTokSkuRef, out: Map<string, TikTokSkuRef>) {
    this.#known.set(this.#key(shopId, sku), ref);
    out.set(sku, ref);
  }

  async #fromTikTok(api: TikTokShopApi, items: ReadonlyArray<{ sku: string }>) {
    const found = new Map<string, TikTokSkuRef>();
    const wanted = new Set(items.map((i) => i.sku));
    const take = (p: { id: string; skus: Array<{ id: string; seller_sku?: string | undefined }> }) => {
      for (const s of p.skus)
        if (s.seller_sku && wanted.has(s.seller_sku))
          found.set(s.seller_sku, { productId: p.id, skuId: s.id });
    };
    if (items.length > SCAN_ABOVE) {
      for await (const p of api.products.search({ status: 'ALL' }, { pageSize: 100 })) take(p);
      return found;
    }
    const skus = [...wanted];
    for (let i = 0; i < skus.length; i += SEARCH_CHUNK) {
      const page = await api.products.searchPage({ seller_skus: skus.slice(i, i + SEARCH_CHUNK) }, 100);
      for (const p of page.items) take(p);
    }
    return found;
  }
}
