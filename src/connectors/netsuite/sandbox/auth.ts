/**
 * The sandbox's side of authentication: TBA verification over the URL the client actually used
 * (reference section 2, checklist 10.2), M2M client-assertion verification and bearer tokens
 * (section 3.2). Every failure is the same 401 INVALID_LOGIN; the reason travels in our own
 * `x-sandbox-auth-reason` header, standing in for NetSuite's Login Audit Trail (section 2.4).
 */
import {
  createECDH,
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { type CryptoKey, importSPKI, type JWTPayload, jwtVerify } from 'jose';
import { parseOAuthHeader, signaturesEqual, tbaSignature } from '../auth-tba.ts';
import { accountRealm, LIMITS } from '../manifest.ts';
import type { SandboxClock } from './clock.ts';
import { invalidLogin, SandboxError } from './problem.ts';
import type { SandboxSettings } from './settings.ts';

export interface TbaCredentialSet {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

interface Certificate {
  key: CryptoKey;
  algorithm: string;
}

const STANDARD_OAUTH = [
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_version',
];
const M2M_ALGS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

/** Deterministic 64-hex credentials derived from the seed (NetSuite keys look like this). */
export function seededCredentials(seed: number): TbaCredentialSet {
  const h = (label: string) => createHash('sha256').update(`tiksuite-sandbox:${seed}:${label}`).digest('hex');
  return { consumerKey: h('ck'), consumerSecret: h('cs'), tokenId: h('tk'), tokenSecret: h('ts') };
}

/**
 * A P-256 key derived from the seed, so the default M2M credentials survive restarts (a demo
 * config can keep them). A test key only: anyone with the seed has the private key.
 */
function seededEcKey(seed: number): KeyObject {
  const d = createHash('sha256').update(`tiksuite-sandbox:${seed}:m2m-key`).digest();
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const pub = ecdh.getPublicKey();
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    d: d.toString('base64url'),
    x: pub.subarray(1, 33).toString('base64url'),
    y: pub.subarray(33).toString('base64url'),
  };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

export class SandboxAuth {
  readonly tba: TbaCredentialSet;
  /** A seeded M2M key pair so a demo can use M2M out of the box; tests may register their own. */
  readonly defaultM2M: { certificateId: string; privateKeyPem: string; publicKeyPem: string };
  readonly #certificates = new Map<string, Certificate>();
  readonly #nonces = new Map<string, number>();
  readonly #tokens = new Map<string, number>();
  readonly #clock: SandboxClock;
  readonly #settings: () => SandboxSettings;

  constructor(clock: SandboxClock, settings: () => SandboxSettings) {
    this.#clock = clock;
    this.#settings = settings;
    this.tba = seededCredentials(settings().seed);
    const key = seededEcKey(settings().seed);
    this.defaultM2M = {
      certificateId: createHash('sha256').update(`cert:${settings().seed}`).digest('base64url').slice(0, 43),
      privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString(),
    };
  }

  async init(): Promise<void> {
    await this.registerCertificate(this.defaultM2M.certificateId, this.defaultM2M.publicKeyPem, 'ES256');
  }

  /** Maps a certificate id (the JWT `kid`) to a public key (section 3.2 M2M setup). */
  async registerCertificate(certificateId: string, publicKeyPem: string, algorithm: string): Promise<void> {
    if (![...M2M_ALGS, 'RS256'].includes(algorithm))
      throw new SandboxError(400, 'INVALID_REQUEST', `Unsupported algorithm ${algorithm}`);
    this.#certificates.set(certificateId, { key: await importSPKI(publicKeyPem, algorithm), algorithm });
  }

  /** Checks the Authorization header of a REST call; throws 401 INVALID_LOGIN. */
  verify(header: string | undefined, method: string, url: string): void {
    if (!header) throw invalidLogin('MissingAuthorization');
    if (/^bearer\s/i.test(header)) this.#verifyBearer(header.slice(7).trim());
    else this.#verifyTba(header, method, url);
  }

  #verifyBearer(token: string): void {
    const expires = this.#tokens.get(token);
    if (expires === undefined || expires <= this.#clock.now()) {
      const err = invalidLogin('invalid_token');
      err.headers['www-authenticate'] =
        `Bearer realm="${accountRealm(this.#settings().accountId)}", error="invalid_token", error_description="Invalid login attempt."`;
      throw err;
    }
  }

  #verifyTba(header: string, method: string, url: string): void {
    const p = parseOAuthHeader(header);
    if (!p) throw invalidLogin('parameter_rejected');
    const b = this.#settings().behaviour;
    if (!STANDARD_OAUTH.slice(0, 5).every((k) => p[k]) || !p['oauth_signature'])
      throw invalidLogin('MissingTokenPassportRequiredFields');
    const realm = accountRealm(this.#settings().accountId);
    const realmOk = b.strictRealm
      ? p['realm'] === realm
      : p['realm']?.toUpperCase().replace(/-/g, '_') === realm;
    if (!realmOk) throw invalidLogin('InvalidRealm');
    if (p['oauth_signature_method'] !== 'HMAC-SHA256') throw invalidLogin('UnknownAlgorithm');
    if (p['oauth_version'] !== undefined && p['oauth_version'] !== '1.0')
      throw invalidLogin('VersionRejected');
    const nonce = p['oauth_nonce']!;
    if (nonce.length < LIMITS.tbaMinNonceLength) throw invalidLogin('nonce_rejected');
    if (p['oauth_consumer_key'] !== this.tba.consumerKey) throw invalidLogin('consumer_key_unknown');
    if (p['oauth_token'] !== this.tba.tokenId) throw invalidLogin('token_rejected');
    const ts = Number.parseInt(p['oauth_timestamp']!, 10);
    if (
      !/^\d+$/.test(p['oauth_timestamp']!) ||
      Math.abs(ts - this.#clock.now() / 1000) > LIMITS.tbaTimestampWindowSec
    ) {
      throw invalidLogin('InvalidTimestamp');
    }
    const signed = Object.fromEntries(
      Object.entries(p).filter(
        ([k]) =>
          k !== 'realm' &&
          k !== 'oauth_signature' &&
          (b.acceptExtraOAuthParams ? k.startsWith('oauth_') : STANDARD_OAUTH.includes(k)),
      ),
    );
    const expected = tbaSignature(method, url, signed, this.tba.consumerSecret, this.tba.tokenSecret);
    if (!signaturesEqual(expected, p['oauth_signature']!)) throw invalidLogin('InvalidSignature');
    this.#useNonce(`${p['oauth_token']}|${nonce}|${ts}`);
  }

  #useNonce(key: string): void {
    const now = this.#clock.now();
    if (this.#nonces.has(key)) throw invalidLogin('NonceUsed');
    this.#nonces.set(key, now + 2 * LIMITS.tbaTimestampWindowSec * 1000);
    if (this.#nonces.size % 1024 === 0) {
      for (const [k, until] of this.#nonces) if (until < now) this.#nonces.delete(k);
    }
  }

  /**
   * `POST /services/rest/auth/oauth2/v1/token` with grant_type=client_credentials (section 3.2).
   * Returns the status and JSON body NetSuite's token endpoint would send.
   */
  async issueToken(
    form: URLSearchParams,
    tokenUrl: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const fail = (status: number, error: string) => ({ status, body: { error } });
    if (form.get('grant_type') !== 'client_credentials') return fail(400, 'unsupported_grant_type');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return fail(400, 'invalid_request');
    }
    const assertion = form.get('client_assertion');
    if (!assertion) return fail(400, 'invalid_request');
    let payload: JWTPayload;
    try {
      payload = await this.#verifyAssertion(assertion, tokenUrl);
    } catch {
      return fail(401, 'invalid_client');
    }
    if (payload.iat === undefined || payload.exp === undefined || payload.exp - payload.iat > 3600)
      return fail(400, 'invalid_grant');
    const scopes = Array.isArray(payload['scope'])
      ? payload['scope'].map(String)
      : String(payload['scope'] ?? '').split(/[ ,]+/);
    if (!scopes.includes('rest_webservices')) return fail(400, 'invalid_scope');
    const token = randomBytes(32).toString('base64url');
    this.#tokens.set(token, this.#clock.now() + LIMITS.accessTokenTtlSec * 1000);
    return {
      status: 200,
      body: { access_token: token, expires_in: LIMITS.accessTokenTtlSec, token_type: 'bearer' },
    };
  }

  async #verifyAssertion(assertion: string, tokenUrl: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(
      assertion,
      (header) => {
        const cert = header.kid ? this.#certificates.get(header.kid) : undefined;
        if (!cert || cert.algorithm !== header.alg) throw new Error('unknown kid');
        return cert.key;
      },
      {
        issuer: this.tba.consumerKey,
        audience: tokenUrl,
        algorithms: this.#settings().behaviour.acceptRs256 ? [...M2M_ALGS, 'RS256'] : M2M_ALGS,
        currentDate: new Date(this.#clock.now()),
        requiredClaims: ['iat', 'exp'],
      },
    );
    return payload;
  }

  /** Forgets every issued token (admin reset). */
  clearTokens(): void {
    this.#tokens.clear();
    this.#nonces.clear();
  }
}
