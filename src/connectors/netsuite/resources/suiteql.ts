/**
 * SuiteQL over REST (reference section 8.1): `POST /services/rest/query/v1/suiteql` with
 * `Prefer: transient`, bound `?` params, limit/offset paging up to 100,000 rows.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html
 */
import { AppError } from '../../../shared/errors.ts';
import { parseNsJson } from '../json.ts';
import { LIMITS, PATHS } from '../manifest.ts';
import type { NetSuiteTransport } from '../transport.ts';
import { type SuiteqlPage, type SuiteqlRow, suiteqlPage } from '../wire/common.ts';

export interface SuiteqlOptions {
  limit?: number;
  offset?: number;
}

export class SuiteqlApi {
  readonly #t: NetSuiteTransport;

  constructor(transport: NetSuiteTransport) {
    this.#t = transport;
  }

  /** One page. A SuiteQL POST only reads, so it is retried like a GET. */
  async page(q: string, params: readonly string[] = [], opts: SuiteqlOptions = {}): Promise<SuiteqlPage> {
    const limit = opts.limit ?? LIMITS.maxPageSize;
    const res = await this.#t.send({
      method: 'POST',
      path: PATHS.suiteql,
      query: { limit, offset: opts.offset ?? 0 },
      headers: { prefer: 'transient' },
      body: params.length ? { q, params } : { q },
      idempotent: true,
    });
    return suiteqlPage.parse(parseNsJson(res.text));
  }

  /**
   * Every row, page by page. Offset paging stops at 100,000 rows (section 8.1): past that the
   * iterator fails rather than silently truncating; use keyset paging (`WHERE id > ?`) instead.
   */
  async *rows(
    q: string,
    params: readonly string[] = [],
    opts: { pageSize?: number } = {},
  ): AsyncGenerator<SuiteqlRow> {
    const limit = opts.pageSize ?? LIMITS.maxPageSize;
    for (let offset = 0; ; offset += limit) {
      if (offset >= LIMITS.suiteqlMaxRows) {
        throw new AppError(
          'netsuite_validation',
          'SuiteQL offset paging is capped at 100,000 rows; page by id instead',
          {
            details: { offset },
          },
        );
      }
      const page = await this.page(q, params, { limit, offset });
      yield* page.items;
      if (!page.hasMore) return;
    }
  }

  /**
   * Keyset paging for sets beyond the 100,000-row offset ceiling (section 8.1, Salto's fix):
   * `q` must filter `<key> > ?` with that `?` as its last parameter and `ORDER BY <key>`; each
   * page starts after the previous page's last key. `key` is the selected column (default `id`),
   * `start` the value before the first key (default "0" for numeric ids).
   */
  async *keysetRows(
    q: string,
    params: readonly string[] = [],
    opts: { key?: string; start?: string; pageSize?: number } = {},
  ): AsyncGenerator<SuiteqlRow> {
    const key = opts.key ?? 'id';
    const limit = opts.pageSize ?? LIMITS.maxPageSize;
    let after = opts.start ?? '0';
    for (;;) {
      const page = await this.page(q, [...params, after], { limit, offset: 0 });
      yield* page.items;
      const last = page.items.at(-1)?.[key];
      if (!page.hasMore || last === undefined) return;
      after = last;
    }
  }
}

/** A time in the text form SuiteQL's `TO_TIMESTAMP(?, 'YYYY-MM-DD HH24:MI:SS')` reads (UTC). */
export function nsStamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** That text moved by `seconds` (a stamp that does not parse is returned as it is). */
export function shiftStamp(stamp: string, seconds: number): string {
  const ms = Date.parse(`${stamp.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? stamp : nsStamp(new Date(ms + seconds * 1000));
}
