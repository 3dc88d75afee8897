/**
 * OAuth 2.0 client credentials (machine to machine) with a JWT client assertion signed PS256 or
 * ES256 (reference section 3.2, DOC). Access tokens live 60 minutes and come without a refresh
 * token, so a new assertion is minted shortly before expiry.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_162730264820.html
 */
import { randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { type Clock, systemClock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import type { HttpClient } from '../../shared/http.ts';
import { parseNsJson } from './json.ts';
import { tokenError, tokenResponse } from './wire/common.ts';

export type M2MAlgorithm = 'PS256' | 'ES256';

export interface M2MCredentials {
  /** Client id (consumer key) of the integration record: the assertion's `iss`. */
  clientId: string;
  /** Certificate id of the M2M mapping: the assertion's `kid`. */
  certificateId: string;
  /** PKCS#8 PEM private key matching the uploaded certificate. */
  privateKey: string;
  algorithm: M2MAlgorithm;
  /** Space- or comma-separated scopes; default `rest_webservices`. */
  scope?: string;
}

export interface AssertionOptions {
  audience: string;
  nowSec: number;
  /** Lifetime of the assertion; NetSuite requires exp - iat < 3600. */
  ttlSec?: number;
}

/** Signs the client assertion (header typ/alg/kid; claims iss/scope/aud/iat/exp/jti). */
export async function createClientAssertion(creds: M2MCredentials, opts: AssertionOptions): Promise<string> {
  const key = await importPKCS8(creds.privateKey, creds.algorithm);
  const ttl = Math.min(opts.ttlSec ?? 300, 3599);
  return new SignJWT({ scope: creds.scope ?? 'rest_webservices' })
    .setProtectedHeader({ typ: 'JWT', alg: creds.algorithm, kid: creds.certificateId })
    .setIssuer(creds.clientId)
    .setAudience(opts.audience)
    .setIssuedAt(opts.nowSec)
    .setExpirationTime(opts.nowSec + ttl)
    .setJti(randomUUID())
    .sign(key);
}

export interface M2MTokenProviderOptions {
  credentials: M2MCredentials;
  /** The token endpoint URL; also the assertion's audience. */
  tokenUrl: string;
  http: HttpClient;
  clock?: Clock;
  /** Renew this long before the token expires. */
  renewBeforeMs?: number;
}

/** Caches one bearer token; concurrent callers share a single in-flight token request. */
export class M2MTokenProvider {
  readonly #opts: M2MTokenProviderOptions;
  readonly #clock: Clock;
  #token: { value: string; expiresAt: number } | undefined;
  #pending: Promise<string> | undefined;

  constructor(opts: M2MTokenProviderOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
  }

  async token(): Promise<string> {
    const renewBefore = this.#opts.renewBeforeMs ?? 120_000;
    if (this.#token && this.#clock.now() < this.#token.expiresAt - renewBefore) return this.#token.value;
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Drops the cached token (after a 401 on a REST call). */
  invalidate(): void {
    this.#token = undefined;
  }

  async #fetch(): Promise<string> {
    const now = this.#clock.now();
    const assertion = await createClientAssertion(this.#opts.credentials, {
      audience: this.#opts.tokenUrl,
      nowSec: Math.floor(now / 1000),
    });
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }).toString();
    const res = await this.#opts.http.request({
      method: 'POST',
      url: this.#opts.tokenUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    });
    const json = safeJson(res.text);
    const ok = tokenResponse.safeParse(json);
    if (res.status === 200 && ok.success) {
      this.#token = { value: ok.data.access_token, expiresAt: now + ok.data.expires_in * 1000 };
      return ok.data.access_token;
    }
    const err = tokenError.safeParse(json);
    throw new AppError(
      'netsuite_token_request_failed',
      `NetSuite token endpoint -> ${res.status} ${err.success ? err.data.error : 'unexpected body'}`,
      {
        details: { status: res.status, error: err.success ? err.data.error : undefined },
        retryable: res.status >= 500,
      },
    );
  }
}

function safeJson(text: string): unknown {
  try {
    return parseNsJson(text);
  } catch {
    return undefined;
  }
}
