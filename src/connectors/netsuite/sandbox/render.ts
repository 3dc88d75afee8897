/**
 * Stored records -> NetSuite's JSON (reference sections 4.3 and 4.12): `links` with `self`,
 * references as `{ id, refName, links }`, enumerations `{ id, refName }`, amounts as exact number
 * literals, sublists only as links unless `expandSubResources=true`, datetimes ISO UTC.
 */
import { nsDecimal } from '../json.ts';
import { PATHS } from '../manifest.ts';
import { isoSeconds } from './clock.ts';
import type { Store, StoredRecord } from './store.ts';
import { isItemType, itemTypeEnum } from './types.ts';
import { Dec, Enum, NumLit, Ref, RefList, type Value } from './values.ts';

export interface RenderOptions {
  origin: string;
  expand: boolean;
  fields?: ReadonlySet<string> | undefined;
}

const NAME_FIELDS = ['name', 'itemId', 'entityId', 'tranId', 'acctName', 'symbol'];

export function refName(rec: StoredRecord): string {
  for (const f of NAME_FIELDS) {
    const v = rec.body[f];
    if (typeof v === 'string') return v;
  }
  return rec.id;
}

export function recordUrl(origin: string, rec: StoredRecord): string {
  return `${origin}${PATHS.record}/${rec.type}/${rec.id}`;
}

function value(store: Store, origin: string, v: Value): unknown {
  if (v instanceof Dec || v instanceof NumLit) return nsDecimal(v.text);
  if (v instanceof Enum) return { id: v.id, refName: v.refName };
  if (v instanceof Ref) {
    const target = store.get(v.id);
    if (!target) return { id: v.id };
    return { links: [{ rel: 'self', href: recordUrl(origin, target) }], id: v.id, refName: refName(target) };
  }
  if (Array.isArray(v)) return v.map((x) => value(store, origin, x));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(store, origin, x)]));
  }
  return v;
}

/** A sublist or multi-select: only its link unless expanded (section 4.3), items in the collection wrapper. */
function collection(href: string, items: unknown[], expand: boolean) {
  const links = [{ rel: 'self', href }];
  return expand
    ? { links, items, totalResults: items.length, count: items.length, hasMore: false, offset: 0 }
    : { links };
}

export function renderRecord(store: Store, rec: StoredRecord, opts: RenderOptions): Record<string, unknown> {
  const self = recordUrl(opts.origin, rec);
  const out: Record<string, unknown> = { links: [{ rel: 'self', href: self }], id: rec.id };
  for (const [k, v] of Object.entries(rec.body)) {
    if (opts.fields && !opts.fields.has(k)) continue;
    out[k] =
      v instanceof RefList
        ? collection(
            `${self}/${k}`,
            v.ids.map((id) => value(store, opts.origin, new Ref(id))),
            opts.expand,
          )
        : value(store, opts.origin, v);
  }
  if (opts.fields) return out;
  // The customer schema names its creation date `dateCreated` (section 7.2), the others `createdDate`.
  out[rec.type === 'customer' ? 'dateCreated' : 'createdDate'] = isoSeconds(rec.createdMs);
  out['lastModifiedDate'] = isoSeconds(rec.modifiedMs);
  const sublists: Record<string, unknown[]> = {};
  for (const [name, lines] of Object.entries(rec.lines))
    sublists[name] = lines.map((l) => value(store, opts.origin, l));
  if (isItemType(rec.type)) {
    out['itemType'] = itemTypeEnum(rec.type);
    Object.assign(out, itemStock(store, rec, sublists, opts.origin));
  }
  for (const [name, items] of Object.entries(sublists))
    out[name] = collection(`${self}/${name}`, items, opts.expand);
  return out;
}

/** Aggregate and per-location quantities of an inventory item (section 7.3). */
function itemStock(store: Store, rec: StoredRecord, sublists: Record<string, unknown[]>, origin: string) {
  const levels = [...store.stock.values()].filter((s) => s.item === rec.id);
  const sum = (f: (s: (typeof levels)[number]) => number) => levels.reduce((a, s) => a + f(s), 0);
  sublists['locations'] = levels.map((s) => {
    const loc = store.get(s.location);
    return {
      location: loc ? value(store, origin, new Ref(loc.id)) : { id: s.location },
      quantityOnHand: s.onHand,
      quantityCommitted: s.committed,
      quantityAvailable: s.onHand - s.committed,
      quantityBackOrdered: 0,
    };
  });
  return {
    quantityOnHand: sum((s) => s.onHand),
    quantityCommitted: sum((s) => s.committed),
    quantityAvailable: sum((s) => s.onHand - s.committed),
    quantityBackOrdered: 0,
    quantityOnOrder: 0,
  };
}
