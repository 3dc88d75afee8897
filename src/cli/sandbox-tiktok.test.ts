import { describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/proc.ts';
import { runSandboxTiktok, sandboxTiktokCommand } from './sandbox-tiktok.ts';

describe('tiksuite sandbox tiktok', () => {
  it('has help text on every option', () => {
    const cmd = sandboxTiktokCommand();
    expect(cmd.description()).toMatch(/TikTok Shop/);
    for (const o of cmd.options) expect(o.description.length).toBeGreaterThan(5);
    expect(cmd.options.map((o) => o.long)).toEqual(
      expect.arrayContaining(['--port', '--seed', '--app-key', '--app-secret']),
    );
  });

  it('starts the sandbox, prints URL and credentials, and stops', async () => {
    let out = '';
    let stop!: () => void;
    const until = new Promise<void>((r) => {
      stop = r;
    });
    const running = runSandboxTiktok(
      {
        port: 0,
        host: '127.0.0.1',
        seed: 9,
        appKey: 'fixedkey',
        appSecret: 'fixedsecret',
        speed: 0,
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
    const printed = JSON.parse(out) as { url: string; app_key: string; shops: unknown[] };
    expect(printed).toMatchObject({ app_key: 'fixedkey', app_secret: 'fixedsecret' });
    expect(printed.shops).toHaveLength(2);
    const res = await fetch(`${printed.url}/_sandbox/credentials`);
    expect(await res.json()).toMatchObject({ app_key: 'fixedkey' });
    stop();
    await running;
  });

  it('rejects a bad port', () => {
    const cmd = sandboxTiktokCommand()
      .exitOverride()
      .configureOutput({ writeErr: () => {} });
    expect(() => cmd.parse(['--port', 'x'], { from: 'user' })).toThrow(/--port/);
  });
});
