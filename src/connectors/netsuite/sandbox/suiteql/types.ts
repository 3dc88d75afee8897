/** Public types of the SuiteQL engine (re-exported by index.ts). */

/** One row: lower-case column names; values string | number | boolean | null, dates as ISO strings. */
export type SuiteQLRow = Record<string, unknown>;

/** Table name (lower-case) -> a function returning the table's current rows. */
export type SuiteQLTables = Record<string, () => Iterable<SuiteQLRow>>;

export interface SuiteQLOptions {
  /** Page size (the endpoint's `limit`, at most 1000 there). */
  limit: number;
  /** Rows to skip (the endpoint's `offset`). */
  offset: number;
  /** Clock for SYSDATE; defaults to Date.now. */
  now?: () => number;
  /**
   * Declared columns per table. When a table is listed here the list is authoritative for
   * unknown-column errors and `*`; otherwise columns are inferred from the row keys.
   */
  columns?: Readonly<Record<string, readonly string[]>>;
  /** 'error' (default, NetSuite's "Unknown identifier"): fail on unknown columns; 'null': read them as NULL. */
  unknownColumns?: 'error' | 'null';
  /** LIKE is case-sensitive by default, as in Oracle; true makes it case-insensitive. */
  likeCaseInsensitive?: boolean;
  /** Omit null-valued columns from result rows (default true; observed, UNCONFIRMED in the reference). */
  omitNulls?: boolean;
  /**
   * Display text for BUILTIN.DF(table.column) (e.g. a location id -> its name). Without it, or
   * when it returns undefined, BUILTIN.DF returns the value as text.
   */
  displayValue?: (ref: { table: string; column: string; value: string }) => string | null | undefined;
  /**
   * How a date value selected without TO_CHAR is written (Date cells, TO_DATE, SYSDATE). Live
   * NetSuite uses the user's date format (reference 8.1); the default is an ISO instant. ISO
   * strings stored in rows are passed through unchanged.
   */
  formatDate?: (ms: number) => string;
}

export interface SuiteQLResult {
  /** The page: lower-case keys, every value a string (NetSuite's wire form). */
  items: SuiteQLRow[];
  totalResults: number;
  hasMore: boolean;
  count: number;
  offset: number;
}
