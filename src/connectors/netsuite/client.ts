/**
 * NetSuiteClient: one object per account wiring authentication, the shared concurrency governor,
 * the transport and the resources. Built from the `netsuite` config section.
 */
import { type Clock, systemClock } from '../../shared/clock.ts';
import type { FetchFn } from '../../shared/http.ts';
import type { Logger } from '../../shared/log.ts';
import type { RetryPolicyOptions } from '../../shared/retry.ts';
import { type Authenticator, m2mAuthenticator, tbaAuthenticator } from './auth.ts';
import { type M2MAlgorithm, M2MTokenProvider } from './auth-m2m.ts';
import { type ConcurrencyGovernor, processGovernor } from './governor.ts';
import { parseNsJson } from './json.ts';
import { LIMITS, PATHS, resolveBaseUrl, tokenUrl } from './manifest.ts';
import { RecordApi } from './resources/records.ts';
import { SuiteqlApi } from './resources/suiteql.ts';
import { NetSuiteTransport } from './transport.ts';
import { type GovernanceLimits, governanceLimits } from './wire/common.ts';

export type NetSuiteAuthConfig =
  | { type: 'tba'; consumerKey: string; consumerSecret: string; tokenId: string; tokenSecret: string }
  | {
      type: 'm2m';
      clientId: string;
      certificateId: string;
      privateKey: string;
      algorithm: M2MAlgorithm;
      scope?: string;
    };

export interface NetSuiteClientOptions {
  accountId: string;
  /** Override of https://<account>.suitetalk.api.netsuite.com (the sandbox, a proxy). */
  baseUrl?: string;
  auth: NetSuiteAuthConfig;
  /** Allocation for this account; ignored when `governor` is given. */
  concurrency?: number;
  /** Defaults to the process-wide governor for `concurrency`. */
  governor?: ConcurrencyGovernor;
  fetch?: FetchFn;
  clock?: Clock;
  retry?: Partial<RetryPolicyOptions>;
  timeoutMs?: number;
  /** `X-NetSuite-PropertyNameValidation` on writes; default Error (reference 4.11). */
  propertyNameValidation?: 'Error' | 'Warning' | 'Ignore';
  logger?: Logger;
}

export class NetSuiteClient {
  readonly accountId: string;
  readonly baseUrl: string;
  readonly records: RecordApi;
  readonly suiteql: SuiteqlApi;
  readonly governor: ConcurrencyGovernor;
  readonly #transport: NetSuiteTransport;

  constructor(opts: NetSuiteClientOptions) {
    this.accountId = opts.accountId;
    this.baseUrl = resolveBaseUrl(opts.accountId, opts.baseUrl);
    this.governor =
      opts.governor ?? processGovernor(opts.accountId, opts.concurrency ?? LIMITS.defaultConcurrency);
    const clock = opts.clock ?? systemClock;
    let auth: Authenticator | undefined;
    this.#transport = new NetSuiteTransport({
      accountId: opts.accountId,
      baseUrl: this.baseUrl,
      governor: this.governor,
      clock,
      // Resolved lazily: the M2M token provider itself needs the transport's governed HTTP.
      auth: {
        kind: opts.auth.type,
        authorize: (m, u) => auth!.authorize(m, u),
        onUnauthorized: () => auth!.onUnauthorized(),
      },
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      ...(opts.retry ? { retry: opts.retry } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.propertyNameValidation ? { propertyNameValidation: opts.propertyNameValidation } : {}),
    });
    auth = this.#authenticator(opts.auth, clock);
    this.records = new RecordApi(this.#transport);
    this.suiteql = new SuiteqlApi(this.#transport);
  }

  /** `GET /services/rest/system/v1/governanceLimits` (section 4.11; admin role only). */
  async governanceLimits(): Promise<GovernanceLimits> {
    const res = await this.#transport.send({
      method: 'GET',
      path: `${PATHS.system}/governanceLimits`,
      idempotent: true,
    });
    return governanceLimits.parse(parseNsJson(res.text));
  }

  #authenticator(auth: NetSuiteAuthConfig, clock: Clock): Authenticator {
    if (auth.type === 'tba') return tbaAuthenticator({ accountId: this.accountId, ...auth }, clock);
    const { type: _type, ...credentials } = auth;
    const tokens = new M2MTokenProvider({
      credentials,
      tokenUrl: tokenUrl(this.baseUrl),
      http: this.#transport.httpClient(),
      clock,
    });
    return m2mAuthenticator(tokens);
  }
}
