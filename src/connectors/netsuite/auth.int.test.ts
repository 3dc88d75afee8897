import { createHmac, generateKeyPairSync } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/clock.ts';
import { isAppError } from '../../shared/errors.ts';
import { tbaAuthorizationHeader } from './auth-tba.ts';
import { NetSuiteClient } from './client.ts';
import { InProcessGovernor } from './governor.ts';
import { accountRealm } from './manifest.ts';
import { type RunningSandbox, startNetSuiteSandbox } from './sandbox/index.ts';
import { admin, type Credentials, credentials, stats } from './test-support.ts';

let sb: RunningSandbox;
let creds: Credentials;
const path = '/services/rest/record/v1/customer/eid:CUST-DEMO';

beforeAll(async () => {
  sb = await startNetSuiteSandbox();
  creds = await credentials(sb);
});
afterAll(() => sb.close());

function sign(
  url: string,
  opts: { nonce?: string; timestamp?: number; realm?: string; method?: string } = {},
) {
  return tbaAuthorizationHeader(
    opts.method ?? 'GET',
    url,
    {
      consumerKey: creds.consumer_key,
      consumerSecret: creds.consumer_secret,
      tokenId: creds.token_id,
      tokenSecret: creds.token_secret,
    },
    {
      realm: opts.realm ?? accountRealm(creds.account_id),
      nonce: opts.nonce ?? `n${Math.random().toString(36).slice(2, 12)}`,
      timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000),
    },
  );
}

async function call(url: string, authorization: string) {
  const res = await fetch(url, { headers: { authorization } });
  const body = await res.text();
  return { status: res.status, body, reason: res.headers.get('x-sandbox-auth-reason') };
}

describe('TBA verification by the sandbox', () => {
  it('accepts a request signed by the oauth-1.0a package', async () => {
    const oauth = new OAuth({
      consumer: { key: creds.consumer_key, secret: creds.consumer_secret },
      signature_method: 'HMAC-SHA256',
      realm: accountRealm(creds.account_id),
      hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    });
    const url = `${sb.url}/services/rest/record/v1/customer?limit=5&offset=0`;
    const data = oauth.authorize({ url, method: 'GET' }, { key: creds.token_id, secret: creds.token_secret });
    const res = await call(url, oauth.toHeader(data).Authorization);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ count: 3, hasMore: false });
  });

  it('refuses tampered, replayed, stale and wrong-realm requests with 401 INVALID_LOGIN', async () => {
    const url = `${sb.url}${path}`;
    const good = sign(url, { nonce: 'Replay123456' });
    expect((await call(url, good)).status).toBe(200);
    const replay = await call(url, good);
    expect(replay).toMatchObject({ status: 401, reason: 'NonceUsed' });
    expect(JSON.parse(replay.body)['o:errorDetails'][0]['o:errorCode']).toBe('INVALID_LOGIN');
    const tampered = await call(`${sb.url}/services/rest/record/v1/customer/eid:CUST-CA`, sign(url));
    expect(tampered).toMatchObject({ status: 401, reason: 'InvalidSignature' });
    const stale = await call(url, sign(url, { timestamp: Math.floor(Date.now() / 1000) - 600 }));
    expect(stale).toMatchObject({ status: 401, reason: 'InvalidTimestamp' });
    const realm = await call(url, sign(url, { realm: creds.account_id.toLowerCase() }));
    expect(realm).toMatchObject({ status: 401, reason: 'InvalidRealm' });
    // The signature covers scheme, host and port as sent: a different port is another URL.
    const otherPort = await call(url, sign(url.replace(/:(\d+)\//, (_, p) => `:${Number(p) + 1}/`)));
    expect(otherPort).toMatchObject({ status: 401, reason: 'InvalidSignature' });
  });

  it('surfaces a 401 from our client as netsuite_invalid_login, not retried', async () => {
    const client = new NetSuiteClient({
      accountId: creds.account_id,
      baseUrl: sb.url,
      auth: {
        type: 'tba',
        consumerKey: creds.consumer_key,
        consumerSecret: 'wrong',
        tokenId: creds.token_id,
        tokenSecret: creds.token_secret,
      },
      governor: new InProcessGovernor({ allocation: 2 }),
    });
    const before = (await stats(sb)).requests;
    const err = await client.records.get('customer', { externalId: 'CUST-DEMO' }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('netsuite_invalid_login');
    expect(isAppError(err) && err.retryable).toBe(false);
    expect((await stats(sb)).requests - before).toBe(1);
  });
});

describe('OAuth 2.0 client credentials (M2M)', () => {
  afterEach(() => admin(sb, 'POST', '/clock', { set: new Date().toISOString() }));

  it('mints a PS256 assertion, caches the bearer token and renews after expiry', async () => {
    // The client's clock moves with the sandbox's simulated clock.
    let offset = 0;
    const clock = { now: () => Date.now() + offset, sleep: systemClock.sleep };
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    await admin(sb, 'POST', '/m2m/certificates', {
      certificate_id: 'cert-ps256',
      public_key: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      algorithm: 'PS256',
    });
    const client = new NetSuiteClient({
      accountId: creds.account_id,
      baseUrl: sb.url,
      auth: {
        type: 'm2m',
        clientId: creds.client_id,
        certificateId: 'cert-ps256',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        algorithm: 'PS256',
      },
      governor: new InProcessGovernor({ allocation: 3 }),
      clock,
    });
    const tokensBefore = (await stats(sb)).by_type['token'] ?? 0;
    await Promise.all([1, 2, 3].map(() => client.records.get('customer', { externalId: 'CUST-DEMO' })));
    await client.records.get('location', { externalId: 'LOC-AUS' });
    expect((await stats(sb)).by_type['token']! - tokensBefore).toBe(1);
    // The sandbox clock moves past the token's 60 minutes: the next call gets a 401, renews, succeeds.
    await admin(sb, 'POST', '/clock', { advance_ms: 3_700_000 });
    offset = 3_700_000;
    const customer = await client.records.get('customer', { externalId: 'CUST-DEMO' });
    expect(customer.entityId).toBe('Jane Buyer');
    expect((await stats(sb)).by_type['token']! - tokensBefore).toBe(2);
  });

  it('refuses an assertion signed with an unregistered key', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const client = new NetSuiteClient({
      accountId: creds.account_id,
      baseUrl: sb.url,
      auth: {
        type: 'm2m',
        clientId: creds.client_id,
        certificateId: 'nope',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        algorithm: 'ES256',
      },
      governor: new InProcessGovernor({ allocation: 1 }),
    });
    const err = await client.records.get('customer', { externalId: 'CUST-DEMO' }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('netsuite_token_request_failed');
  });

  it('works with the default key pair handed out by /_sandbox/credentials', async () => {
    const client = new NetSuiteClient({
      accountId: creds.account_id,
      baseUrl: sb.url,
      auth: {
        type: 'm2m',
        clientId: creds.client_id,
        certificateId: creds.certificate_id,
        privateKey: creds.private_key,
        algorithm: 'ES256',
      },
      governor: new InProcessGovernor({ allocation: 1 }),
    });
    expect((await client.records.get('subsidiary', { externalId: 'SUB-US' })).name).toBe('TikSuite US');
  });
});
