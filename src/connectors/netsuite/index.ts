/**
 * The NetSuite connector's public entry: the only file other layers import. It also re-exports
 * the sandbox starter for the CLI, tests and the demo (production flows never call it).
 */
export { createClientAssertion, type M2MAlgorithm, type M2MCredentials } from './auth-m2m.ts';
export { percentEncode, signatureBaseString, tbaAuthorizationHeader, tbaSignature } from './auth-tba.ts';
export { type NetSuiteAuthConfig, NetSuiteClient, type NetSuiteClientOptions } from './client.ts';
export { netsuiteError } from './errors.ts';
export {
  type ConcurrencyGovernor,
  type GovernorStats,
  InProcessGovernor,
  type Permit,
  type PermitOutcome,
  processGovernor,
} from './governor.ts';
export { decimalText, type NsDecimal, nsDecimal, parseNsJson } from './json.ts';
export { accountHost, accountRealm, LIMITS, PATHS, resolveBaseUrl } from './manifest.ts';
export type { GetOptions, ListOptions, RecordApi, RecordKey, WriteOptions } from './resources/records.ts';
export { nsStamp, type SuiteqlApi, type SuiteqlOptions, shiftStamp } from './resources/suiteql.ts';
// The sandbox (tests, CLI, demo): never used by production flows.
export {
  DEFAULT_SEED,
  type RunningSandbox,
  type SandboxCredentials,
  type SandboxSettingsInput,
  type SeedInput,
  type StartOptions as NetSuiteSandboxOptions,
  startNetSuiteSandbox,
} from './sandbox/index.ts';
export type { GovernanceLimits, NsCollection, NsRef, SuiteqlPage, SuiteqlRow } from './wire/common.ts';
export type * from './wire/inputs.ts';
export { isRecordType, RECORD_SCHEMAS, type RecordOf, type RecordType } from './wire/records.ts';
