import { describe, expect, it } from 'vitest';
import { testEnv } from './support/env.ts';
import { startCli, waitFor } from './support/proc.ts';

describe('tiksuite sandbox', () => {
  it('runs both emulators together, each answering its admin API, until SIGTERM', async () => {
    const env = testEnv('sandboxes');
    const sb = startCli(['sandbox', '--tiktok-port', '0', '--netsuite-port', '0'], {
      env: env.childEnv,
      cwd: env.home,
    });
    try {
      const out = await waitFor(
        async () => sb.output(),
        (o) => /TikTok Shop sandbox listening on/.test(o) && /NetSuite sandbox listening on/.test(o),
      );
      const tiktok = /TikTok Shop sandbox listening on (http:\/\/[\d.:]+)/.exec(out)![1]!;
      const netsuite = /NetSuite sandbox listening on (http:\/\/[\d.:]+)/.exec(out)![1]!;
      const tk = (await (await fetch(`${tiktok}/_sandbox/credentials`)).json()) as { app_key: string };
      const ns = (await (await fetch(`${netsuite}/_sandbox/credentials`)).json()) as { account_id: string };
      expect(out).toContain(tk.app_key);
      expect(ns.account_id).toBe('1234567_SB1');
    } finally {
      sb.child.kill('SIGTERM');
      expect((await sb.done).code).toBe(0);
      await env.cleanup();
    }
  });
});
