/**
 * NetSuite facts the client is built on: hosts, service roots and limits. Every entry cites the
 * section of ../shared/reference/netsuite-rest-api.md it comes from.
 */

/** Service roots under the account host (reference section 1.1, DOC). */
export const PATHS = {
  record: '/services/rest/record/v1',
  query: '/services/rest/query/v1',
  suiteql: '/services/rest/query/v1/suiteql',
  system: '/services/rest/system/v1',
  token: '/services/rest/auth/oauth2/v1/token',
} as const;

export const LIMITS = {
  /** Largest `limit` for list and SuiteQL paging (section 4.7 / 8.1). */
  maxPageSize: 1000,
  /** Rows reachable through SuiteQL offset paging (section 8.1). */
  suiteqlMaxRows: 100_000,
  /** TBA timestamps must be within this many seconds of NetSuite's clock (section 2.1). */
  tbaTimestampWindowSec: 300,
  /** Minimum TBA nonce length (section 2.1). */
  tbaMinNonceLength: 6,
  /** M2M access tokens live 60 minutes (section 3.2). */
  accessTokenTtlSec: 3600,
  /** Default account concurrency: Standard tier and developer accounts (section 6.1). */
  defaultConcurrency: 5,
} as const;

/**
 * Host form of an account id: lower case, `_` -> `-` (section 1.1, CLIENT):
 * `1234567_SB1` -> `1234567-sb1.suitetalk.api.netsuite.com`.
 */
export function accountHost(accountId: string): string {
  return `${accountId.toLowerCase().replace(/_/g, '-')}.suitetalk.api.netsuite.com`;
}

/** Realm form for the TBA header: upper case with `_` (section 1.1, CLIENT): `1234567_SB1`. */
export function accountRealm(accountId: string): string {
  return accountId.toUpperCase().replace(/-/g, '_');
}

/** Base URL of an account, or the configured override (the sandbox, a proxy). No trailing slash. */
export function resolveBaseUrl(accountId: string, override?: string): string {
  const base = override ?? `https://${accountHost(accountId)}`;
  return base.replace(/\/+$/, '');
}

/** Token endpoint URL, also the `aud` of an M2M client assertion (section 3.2). */
export function tokenUrl(baseUrl: string): string {
  return `${baseUrl}${PATHS.token}`;
}
