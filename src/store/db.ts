/**
 * Opens the one database TikSuite runs on: embedded PGlite (default) or PostgreSQL (DATABASE_URL).
 * Both are wrapped in kysely with its built-in dialects, with result parsers set so both engines
 * return the same JS types: int8 -> number (safe range checked), numeric -> string, bytea -> Buffer,
 * date -> 'YYYY-MM-DD' string, timestamptz -> Date, json/jsonb -> parsed.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { AppError, errorMessage } from '../shared/errors.ts';
import { redactUrl } from '../shared/url.ts';
import { acquireDirLock, type DirLock } from './lock.ts';
import { PgliteLanes, type PgliteLike } from './pglite-lanes.ts';
import type { Database } from './schema.ts';

export type Engine = 'pglite' | 'postgres';

export interface DbHandle {
  readonly engine: Engine;
  readonly db: Kysely<Database>;
  /** Schema holding the app tables (search_path is set to it). */
  readonly schema: string;
  /**
   * Kysely for the webhook intake's inserts, kept clear of the queue's and the flows' backlog: on
   * PGlite the priority lane of the one connection, on PostgreSQL a small pool of its own (ADR 4).
   */
  readonly intake: Kysely<Database>;
  /** PGlite (its normal lane, shared with pg-boss) when engine = pglite. */
  readonly pglite: PgliteLike | undefined;
  /** Connection string when engine = postgres (pg-boss opens its own pool on it). */
  readonly url: string | undefined;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** PostgreSQL URL; when absent PGlite is used. */
  url?: string | undefined;
  /** PGlite data dir; 'memory://' for an in-memory database. Ignored for PostgreSQL. */
  dataDir?: string;
  schema?: string;
  poolSize?: number;
  connectTimeoutMs?: number;
}

const OID = { INT8: 20, NUMERIC: 1700, BYTEA: 17, DATE: 1082 } as const;

export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${text} is outside the safe integer range`);
  return n;
}

function parseBytea(text: string): Buffer {
  return text.startsWith('\\x') ? Buffer.from(text.slice(2), 'hex') : Buffer.from(text, 'binary');
}

export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new AppError('config_invalid', `schema name "${schema}" must be lower-case letters, digits and _`);
  }
  return schema;
}

export async function openDatabase(opts: OpenDbOptions): Promise<DbHandle> {
  const schema = assertSchemaName(opts.schema ?? 'tiksuite');
  return opts.url ? openPostgres(opts.url, schema, opts) : openPglite(opts.dataDir ?? 'memory://', schema);
}

async function openPglite(dataDir: string, schema: string): Promise<DbHandle> {
  let lock: DirLock | undefined;
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    lock = acquireDirLock(join(dataDir, '..', `${dataDir.split('/').pop() ?? 'data'}.lock`), dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir.startsWith('memory://') ? undefined : dataDir, {
      parsers: {
        [OID.INT8]: parseInt8,
        [OID.BYTEA]: (v: string | Uint8Array) => (typeof v === 'string' ? parseBytea(v) : Buffer.from(v)),
        [OID.DATE]: (v: string) => v,
      },
    });
    await pglite.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}, public;`);
  } catch (err) {
    lock?.release();
    throw err;
  }
  const lanes = new PgliteLanes(pglite);
  const normal = lanes.facade('normal');
  // The dialect's types want a whole PGlite; it calls only what the facade has.
  const dialect = (lane: PgliteLike) => new PGliteDialect({ pglite: lane as PGlite });
  const db = new Kysely<Database>({ dialect: dialect(normal) });
  const intake = new Kysely<Database>({ dialect: dialect(lanes.facade('priority')) });
  return {
    engine: 'pglite',
    db,
    intake,
    schema,
    pglite: normal,
    url: undefined,
    close: async () => {
      try {
        if (!pglite.closed) await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

function pgTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === OID.INT8) return parseInt8;
  if (oid === OID.DATE) return (v) => v;
  if (oid === OID.NUMERIC) return (v) => v;
  return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
}

function newPool(url: string, schema: string, max: number, connectTimeoutMs: number | undefined): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: connectTimeoutMs ?? 5000,
    options: `-c search_path=${schema},public`,
    types: { getTypeParser: pgTypeParser as typeof pg.types.getTypeParser },
  });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

async function openPostgres(url: string, schema: string, opts: OpenDbOptions): Promise<DbHandle> {
  const pool = newPool(url, schema, opts.poolSize ?? 10, opts.connectTimeoutMs);
  try {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      client.release();
    }
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw unreachable(url, cause);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // Two connections of its own: a webhook never waits for a connection the flows hold.
  const intake = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: newPool(url, schema, 2, opts.connectTimeoutMs) }),
  });
  return {
    engine: 'postgres',
    db,
    intake,
    schema,
    pglite: undefined,
    url,
    close: async () => {
      await Promise.all([db.destroy(), intake.destroy()]);
    },
  };
}

function unreachable(url: string, cause: unknown): AppError {
  return new AppError(
    'database_unreachable',
    `cannot connect to PostgreSQL at ${redactUrl(url)} (${errorMessage(cause) || 'connection failed'}): check DATABASE_URL and that the server is running`,
    { cause },
  );
}

/** Cheap liveness probe for /readyz. */
export async function pingDatabase(handle: DbHandle): Promise<void> {
  await sql`select 1`.execute(handle.db);
}

/**
 * One connection and `select 1` within `timeoutMs`, changing nothing (`tiksuite config check`):
 * database_unreachable with the server named (password hidden) when it fails.
 */
export async function probePostgres(url: string, timeoutMs: number): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } catch (cause) {
    throw unreachable(url, cause);
  } finally {
    await client.end().catch(() => undefined);
  }
}
