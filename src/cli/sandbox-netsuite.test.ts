import { describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/proc.ts';
import { NetSuiteConfig } from '../config/schema.ts';
import {
  InProcessGovernor,
  NetSuiteClient,
  type NetSuiteClientOptions,
  startNetSuiteSandbox,
} from '../connectors/netsuite/index.ts';
import { runSandboxNetsuite, sandboxNetsuiteCommand } from './sandbox-netsuite.ts';

describe('tiksuite sandbox netsuite', () => {
  it('has help text on every option', () => {
    const cmd = sandboxNetsuiteCommand();
    expect(cmd.description()).toMatch(/NetSuite/);
    for (const o of cmd.options) expect(o.description.length).toBeGreaterThan(5);
    expect(cmd.options.map((o) => o.long)).toEqual(
      expect.arrayContaining(['--port', '--seed', '--concurrency', '--latency-ms']),
    );
  });

  it('starts the sandbox, prints URL and credentials, and stops', async () => {
    let out = '';
    let stop!: () => void;
    const until = new Promise<void>((r) => {
      stop = r;
    });
    const running = runSandboxNetsuite(
      {
        port: 0,
        host: '127.0.0.1',
        seed: 7,
        concurrency: 3,
        latencyMs: 0,
        timeScale: 1,
        accountId: '7654321_SB2',
        json: true,
      },
      { print: (t) => (out += t), until },
    );
    // Printed once the sandbox listens: wait for it (a loaded machine may take seconds).
    await waitFor(
      async () => out,
      (o) => o !== '',
      undefined,
      20,
    );
    const printed: unknown = JSON.parse(out);
    expect(printed).toMatchObject({ account_id: '7654321_SB2', realm: '7654321_SB2' });
    const url = typeof printed === 'object' && printed && 'url' in printed ? String(printed.url) : '';
    const settings = await (await fetch(`${url}/_sandbox/settings`)).json();
    expect(settings).toMatchObject({ concurrency: 3, seed: 7 });
    stop();
    await running;
  });

  it('rejects a bad concurrency', () => {
    const cmd = sandboxNetsuiteCommand()
      .exitOverride()
      .configureOutput({ writeErr: () => {} });
    expect(() => cmd.parse(['--concurrency', '0'], { from: 'user' })).toThrow(/--concurrency/);
  });
});

describe('wiring: the netsuite config section builds a client for the sandbox', () => {
  it('NetSuiteConfig parses into NetSuiteClientOptions as is', async () => {
    const sb = await startNetSuiteSandbox({});
    try {
      const c = sb.credentials();
      const config = NetSuiteConfig.parse({
        accountId: c.account_id,
        baseUrl: sb.url,
        concurrency: 3,
        auth: {
          type: 'm2m',
          clientId: c.client_id,
          certificateId: c.certificate_id,
          privateKey: c.private_key,
          algorithm: 'ES256',
        },
      });
      const options: NetSuiteClientOptions = {
        ...config,
        governor: new InProcessGovernor({ allocation: config.concurrency }),
      };
      const client = new NetSuiteClient(options);
      expect((await client.records.get('customer', { externalId: 'CUST-DEMO' })).email).toBe(
        'jane@example.com',
      );
    } finally {
      await sb.close();
    }
  });
});
