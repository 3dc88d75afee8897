/** The stall watchdog: what counts as stalled (detect.ts), how loops report (reporter.ts), the check loop. */
export { type Cadence, STALL_REASONS, type Stall, type StallReason } from './detect.ts';
export { healthReporter, OK_WRITE_EVERY_SECONDS, type SourceReporter, WEBHOOK_INTAKE } from './reporter.ts';
export { type StallReport, Watchdog, type WatchdogDeps, type WatchedSource } from './watchdog.ts';
