/** The store layer: one object holding every app-table repository over one database handle. */
import type { Kysely } from 'kysely';
import { CursorStore } from './cursors.ts';
import type { DbHandle } from './db.ts';
import { ErrorStore } from './errors.ts';
import { FinanceStore } from './finance.ts';
import { HealthStore } from './health.ts';
import { OutcomeStore } from './outcomes.ts';
import { ReservationStore } from './reservations.ts';
import { RunStore } from './runs.ts';
import type { Database } from './schema.ts';
import { SecretStore } from './secrets.ts';
import { SessionStore } from './sessions.ts';
import { XrefStore } from './xref.ts';

export interface Stores {
  readonly handle: DbHandle;
  readonly db: Kysely<Database>;
  readonly runs: RunStore;
  readonly outcomes: OutcomeStore;
  readonly xref: XrefStore;
  readonly cursors: CursorStore;
  readonly errors: ErrorStore;
  readonly health: HealthStore;
  readonly secrets: SecretStore;
  readonly reservations: ReservationStore;
  readonly sessions: SessionStore;
  readonly finance: FinanceStore;
}

export function createStores(handle: DbHandle, secretKey: Buffer): Stores {
  const db = handle.db;
  return {
    handle,
    db,
    runs: new RunStore(db),
    outcomes: new OutcomeStore(db),
    xref: new XrefStore(db),
    cursors: new CursorStore(db),
    errors: new ErrorStore(db),
    health: new HealthStore(db),
    secrets: new SecretStore(db, secretKey),
    reservations: new ReservationStore(db),
    sessions: new SessionStore(db),
    finance: new FinanceStore(db),
  };
}

export { redactUrl } from '../shared/url.ts';
export { timeCursorWithOverlap } from './cursors.ts';
export { type DbHandle, type Engine, openDatabase, pingDatabase, probePostgres } from './db.ts';
export { type FlowHealthRow, STALL_CODE, type StallRecord, stallKey } from './health.ts';
export { migrateToLatest } from './migrate.ts';
export type { ReservationKey, SkuReservations } from './reservations.ts';
export type { Database } from './schema.ts';
export { resolveSecretKey } from './secrets.ts';
