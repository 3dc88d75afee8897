/**
 * What CLI commands are given by the composition root (main/cli.ts): they never build the system
 * themselves, so each command file stays thin and calls the same services as the REST API.
 */
import type { Command } from 'commander';
import type { LoadedConfig } from '../config/load.ts';
import type { FlowEngine } from '../flows/index.ts';
import type { SettlementServices } from '../flows/settlements/index.ts';
import type { Logger } from '../shared/log.ts';
import type { Stores } from '../store/index.ts';

export interface GlobalOptions {
  config?: string;
  pretty?: boolean;
}

export interface CliRuntime {
  readonly config: LoadedConfig;
  readonly stores: Stores;
  readonly engine: FlowEngine;
  /** The settlement services, when `settlements.enabled` (finance reconcile). */
  readonly settlements?: { services: SettlementServices };
  close(opts?: { graceMs?: number }): Promise<void>;
}

export interface ServeHandle {
  readonly url: string;
  /** Resolves when the process was asked to stop and has stopped. */
  readonly stopped: Promise<void>;
}

export interface CliServices {
  loadConfig(opts: GlobalOptions, overrides?: Record<string, unknown>): LoadedConfig;
  logger(config: LoadedConfig, opts: GlobalOptions): Logger;
  /** Opens database + queue; `work` also starts processing jobs in this process. */
  openRuntime(config: LoadedConfig, log: Logger, opts: { work: boolean }): Promise<CliRuntime>;
  /** Runs until SIGINT/SIGTERM: the API server (if `api`) and the worker (if `work`). */
  serve(config: LoadedConfig, log: Logger, opts: { api: boolean; work: boolean }): Promise<ServeHandle>;
  migrate(config: LoadedConfig): Promise<{ applied: string[]; engine: string }>;
  /** Connects to PostgreSQL once and disconnects (database_unreachable when it cannot). */
  probeDatabase(url: string, timeoutMs: number): Promise<void>;
}

export function globalOpts(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** Prints data as JSON (--json) or as aligned columns for humans. */
export function printRows(rows: Record<string, unknown>[], json: boolean, columns: string[]): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cells = rows.map((r) => columns.map((c) => formatCell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(columns)}\n${cells.map(line).join('\n')}\n`);
}

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (v instanceof Date) return v.toISOString().replace('T', ' ').slice(0, 19);
  if (typeof v === 'object') return JSON.stringify(v);
  const s = String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
