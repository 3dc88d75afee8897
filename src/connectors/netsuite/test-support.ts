/**
 * Test helpers shared by the *.int.test.ts files: a sandbox on port 0 and a real client pointed
 * at it with the credentials the admin API hands out. Not exported from index.ts.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { tbaAuthorizationHeader } from './auth-tba.ts';
import { NetSuiteClient, type NetSuiteClientOptions } from './client.ts';
import { InProcessGovernor } from './governor.ts';
import { accountRealm } from './manifest.ts';
import { type RunningSandbox, type StartOptions, startNetSuiteSandbox } from './sandbox/index.ts';

export const Credentials = z.object({
  account_id: z.string(),
  consumer_key: z.string(),
  consumer_secret: z.string(),
  token_id: z.string(),
  token_secret: z.string(),
  client_id: z.string(),
  certificate_id: z.string(),
  private_key: z.string(),
});
export type Credentials = z.infer<typeof Credentials>;

export async function admin(
  sb: RunningSandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(`${sb.url}/_sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`admin ${method} ${path} -> ${res.status} ${await res.text()}`);
  return res.json();
}

export async function credentials(sb: RunningSandbox): Promise<Credentials> {
  return Credentials.parse(await admin(sb, 'GET', '/credentials'));
}

export async function startWithClient(
  opts: StartOptions = {},
  client: Partial<NetSuiteClientOptions> = {},
): Promise<{ sb: RunningSandbox; client: NetSuiteClient; creds: Credentials }> {
  const sb = await startNetSuiteSandbox(opts);
  const creds = await credentials(sb);
  const c = new NetSuiteClient({
    accountId: creds.account_id,
    baseUrl: sb.url,
    auth: {
      type: 'tba',
      consumerKey: creds.consumer_key,
      consumerSecret: creds.consumer_secret,
      tokenId: creds.token_id,
      tokenSecret: creds.token_secret,
    },
    governor: new InProcessGovernor({ allocation: client.concurrency ?? 5, throttlePauseMs: 20 }),
    retry: { baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 6 },
    // Bounds a hung call only: a loaded machine can take seconds to answer (retries would skew counts).
    timeoutMs: 60_000,
    ...client,
  });
  return { sb, client: c, creds };
}

export const Stats = z.object({
  requests: z.number(),
  rejected_429: z.number(),
  max_in_flight: z.number(),
  by_type: z.record(z.string(), z.number()),
});

export async function stats(sb: RunningSandbox) {
  return Stats.parse(await admin(sb, 'GET', '/stats'));
}

/**
 * One raw TBA-signed request to the sandbox (`path` under its origin, e.g.
 * `/services/rest/record/v1/inventoryItem/12`), for asserting the exact wire shape.
 */
export async function signedFetch(
  sb: RunningSandbox,
  creds: Credentials,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const url = `${sb.url}${path}`;
  const authorization = tbaAuthorizationHeader(
    method,
    url,
    {
      consumerKey: creds.consumer_key,
      consumerSecret: creds.consumer_secret,
      tokenId: creds.token_id,
      tokenSecret: creds.token_secret,
    },
    { realm: accountRealm(creds.account_id), nonce: randomUUID(), timestamp: Math.floor(Date.now() / 1000) },
  );
  return fetch(url, {
    method,
    headers: { authorization, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
