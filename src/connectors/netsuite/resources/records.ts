/**
 * Record API (reference section 4): get, create, update, upsert by external id, delete, list and
 * !transform. https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/book_1559132836.html
 */
import { z } from 'zod';
import { AppError, isAppError } from '../../../shared/errors.ts';
import { parseNsJson } from '../json.ts';
import { PATHS } from '../manifest.ts';
import type { NetSuiteTransport, Query } from '../transport.ts';
import { type NsCollection, nsCollection, nsId } from '../wire/common.ts';
import type { RecordBody } from '../wire/inputs.ts';
import { RECORD_SCHEMAS, type RecordOf, type RecordType } from '../wire/records.ts';

/** An internal id, or a record's external id (`eid:` form, section 4.5). */
export type RecordKey = string | { externalId: string };

export interface GetOptions {
  /** Sublists and subrecords inline (default true; NetSuite's default is false, section 4.3). */
  expandSubResources?: boolean;
  /**
   * Body fields to return (section 4.3). The read schema's required fields (`itemId` for items,
   * `name` for locations, subsidiaries and currencies) must be among them.
   */
  fields?: string[];
}

export interface WriteOptions {
  /** Sublists switched to replace mode (`?replace=item`, section 4.4). */
  replace?: string[];
}

export interface ListOptions {
  q?: string;
  limit?: number;
  offset?: number;
}

const EXTERNAL_ID = /^[A-Za-z0-9_-]+$/;
const idOnly = z.object({ id: nsId }).loose();

export function keySegment(key: RecordKey): string {
  if (typeof key === 'string') return encodeURIComponent(key);
  // `|` and other characters break the eid: form (section 4.5); refuse early.
  if (!EXTERNAL_ID.test(key.externalId)) {
    throw new AppError(
      'validation_failed',
      `externalId "${key.externalId}" may hold only letters, digits, _ and -`,
    );
  }
  return `eid:${key.externalId}`;
}

/** The new record's internal id from the absolute `Location` header (section 4.2). */
export function idFromLocation(location: string | null): string | undefined {
  if (!location) return undefined;
  const last = new URL(location, 'http://x').pathname.split('/').filter(Boolean).pop();
  return last && /^\d+$/.test(last) ? last : undefined;
}

export class RecordApi {
  readonly #t: NetSuiteTransport;

  constructor(transport: NetSuiteTransport) {
    this.#t = transport;
  }

  async get<T extends RecordType>(type: T, key: RecordKey, opts: GetOptions = {}): Promise<RecordOf<T>> {
    const res = await this.#t.send({
      method: 'GET',
      path: `${PATHS.record}/${type}/${keySegment(key)}`,
      query: { expandSubResources: opts.expandSubResources ?? true, fields: opts.fields?.join(',') },
      idempotent: true,
    });
    return parseRecord(type, res.text);
  }

  /** The record with this external id, or undefined: how a caller confirms a lost write. */
  async findByExternalId<T extends RecordType>(
    type: T,
    externalId: string,
  ): Promise<RecordOf<T> | undefined> {
    try {
      return await this.get(type, { externalId });
    } catch (err) {
      if (isAppError(err) && err.code === 'netsuite_record_not_found') return undefined;
      throw err;
    }
  }

  /**
   * POST create -> internal id (204 + Location). Prefer `upsert` for anything imported: when the
   * response is lost, a body with `externalId` is confirmed by lookup instead of risking a twin.
   */
  async create(type: RecordType, body: RecordBody): Promise<string> {
    const externalId = externalIdOf(body);
    return this.#confirmable(type, externalId, () =>
      this.#t.send({ method: 'POST', path: `${PATHS.record}/${type}`, body, idempotent: false }),
    );
  }

  /**
   * PATCH: omitted fields unchanged; listed sublists replaced (section 4.4). Sublists not listed
   * merge: keyed ones (transaction `item` lines by `line`) update matching lines, the others (e.g.
   * an itemFulfillment's `package`) append. To change a package's tracking number, send every
   * package to keep with `replace: ['package']`.
   */
  async update(type: RecordType, key: RecordKey, body: RecordBody, opts: WriteOptions = {}): Promise<void> {
    await this.#t.send({
      method: 'PATCH',
      path: `${PATHS.record}/${type}/${keySegment(key)}`,
      query: { replace: opts.replace?.join(',') },
      body,
      // Appending to a sublist is not repeatable; a PATCH is only retried blindly when every
      // sublist it carries is in replace mode.
      idempotent: sublistsOf(body).every((s) => opts.replace?.includes(s)),
    });
  }

  /**
   * PUT `/{type}/eid:X`: create or update by external id (section 4.5) -> internal id. Sublists
   * in the body replace the record's (`opts.replace` overrides; `[]` merges like PATCH).
   */
  async upsert(
    type: RecordType,
    externalId: string,
    body: RecordBody,
    opts: WriteOptions = {},
  ): Promise<string> {
    // Replace every sublist the body carries unless told otherwise: a repeated upsert (a retry
    // after a lost answer, a re-run step) must converge, not append the lines again (section 4.4).
    const replace = opts.replace ?? sublistsOf(body);
    const res = await this.#t.send({
      method: 'PUT',
      path: `${PATHS.record}/${type}/${keySegment({ externalId })}`,
      query: { replace: replace.length ? replace.join(',') : undefined },
      body,
      idempotent: true,
    });
    // Location on PUT is UNCONFIRMED (section 4.5): fall back to reading the record's id.
    return idFromLocation(res.headers.get('location')) ?? (await this.idOf(type, { externalId }));
  }

  /** The internal id behind a key (`GET ...?fields=id`, section 4.3). */
  async idOf(type: RecordType, key: RecordKey): Promise<string> {
    const res = await this.#t.send({
      method: 'GET',
      path: `${PATHS.record}/${type}/${keySegment(key)}`,
      query: { fields: 'id' },
      idempotent: true,
    });
    return parseWith(idOnly, type, res.text).id;
  }

  async delete(type: RecordType, key: RecordKey): Promise<void> {
    try {
      await this.#t.send({
        method: 'DELETE',
        path: `${PATHS.record}/${type}/${keySegment(key)}`,
        idempotent: true,
      });
    } catch (err) {
      // A retried DELETE whose first attempt succeeded finds nothing: that is the goal reached.
      if (isAppError(err) && err.code === 'netsuite_record_not_found' && err.details['attempts'] !== 1)
        return;
      throw err;
    }
  }

  /** One page of ids (section 4.7); `offset` must be a multiple of `limit`. */
  async list(type: RecordType, opts: ListOptions = {}): Promise<NsCollection> {
    const query: Query = { q: opts.q, limit: opts.limit, offset: opts.offset };
    const res = await this.#t.send({
      method: 'GET',
      path: `${PATHS.record}/${type}`,
      query,
      idempotent: true,
    });
    return nsCollection.parse(parseNsJson(res.text));
  }

  /** Every id matching `q`, page by page. */
  async *listIds(type: RecordType, opts: Omit<ListOptions, 'offset'> = {}): AsyncGenerator<string> {
    const limit = opts.limit ?? 1000;
    for (let offset = 0; ; offset += limit) {
      const page = await this.list(type, { ...opts, limit, offset });
      for (const item of page.items) yield item.id;
      if (!page.hasMore) return;
    }
  }

  /**
   * `POST /{type}/{id}/!transform/{target}` (section 4.9) -> new record's id, from `Location`.
   * Give the body an `externalId` so a lost response (or an answer without `Location`, which is
   * UNCONFIRMED on transforms) is confirmed by lookup without a twin.
   */
  async transform(
    type: RecordType,
    key: RecordKey,
    target: RecordType,
    body: RecordBody = {},
  ): Promise<string> {
    return this.#confirmable(target, externalIdOf(body), () =>
      this.#t.send({
        method: 'POST',
        path: `${PATHS.record}/${type}/${keySegment(key)}/!transform/${target}`,
        body,
        idempotent: false,
      }),
    );
  }

  async #confirmable(
    type: RecordType,
    externalId: string | undefined,
    send: () => ReturnType<NetSuiteTransport['send']>,
  ): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await send();
        const id = idFromLocation(res.headers.get('location'));
        if (id) return id;
        // Location on !transform is UNCONFIRMED (section 4.9): a body's external id finds the record.
        if (externalId) return await this.idOf(type, { externalId });
        throw new AppError(
          'netsuite_unexpected_response',
          `NetSuite ${type} write answered without a Location`,
        );
      } catch (err) {
        if (!(isAppError(err) && err.code === 'netsuite_outcome_unknown' && externalId) || attempt >= 3)
          throw err;
        // The write may have been committed: look before trying again.
        const existing = await this.findByExternalId(type, externalId);
        if (existing) return existing.id;
      }
    }
  }
}

function parseRecord<T extends RecordType>(type: T, text: string): RecordOf<T> {
  return parseWith(RECORD_SCHEMAS[type], type, text);
}

function parseWith<S extends z.ZodType>(schema: S, type: string, text: string): z.output<S> {
  const parsed = schema.safeParse(parseNsJson(text));
  if (!parsed.success) {
    throw new AppError('netsuite_unexpected_response', `NetSuite ${type} did not match its schema`, {
      details: { issues: parsed.error.issues.slice(0, 5) },
    });
  }
  return parsed.data;
}

function externalIdOf(body: RecordBody): string | undefined {
  const value: unknown = 'externalId' in body ? body.externalId : undefined;
  return typeof value === 'string' ? value : undefined;
}

function sublistsOf(body: RecordBody): string[] {
  return Object.entries(body)
    .filter(([, v]) => typeof v === 'object' && v !== null && 'items' in v)
    .map(([k]) => k);
}
