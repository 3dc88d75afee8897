/** Starts the NetSuite sandbox on a port (0 = any free port) and reports its base URL. */
import { createAdaptorServer } from '@hono/node-server';
import { createSandboxApp } from './app.ts';
import { type SandboxCredentials, sandboxCredentials } from './routes/admin.ts';
import { DEFAULT_SEED, type SeedInput } from './seed.ts';
import type { SandboxSettingsInput } from './settings.ts';
import { SandboxState } from './state.ts';

export interface StartOptions {
  port?: number;
  host?: string;
  settings?: SandboxSettingsInput;
  seed?: SeedInput;
}

export interface RunningSandbox {
  url: string;
  state: SandboxState;
  credentials(): SandboxCredentials;
  close(): Promise<void>;
}

export async function startNetSuiteSandbox(opts: StartOptions = {}): Promise<RunningSandbox> {
  const state = new SandboxState(opts.settings ?? {}, opts.seed ?? DEFAULT_SEED);
  await state.init();
  const app = createSandboxApp(state);
  const server = createAdaptorServer({ fetch: app.fetch });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the sandbox did not bind a TCP port');
  const url = `http://${host}:${address.port}`;
  return {
    url,
    state,
    credentials: () => sandboxCredentials(state, url),
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
