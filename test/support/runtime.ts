/** A runtime of its own per test (engine tests): opened on a fresh database with the given flows, closed after each test. */
import { afterEach } from 'vitest';
import type { AnyFlow } from '../../src/flows/engine/define.ts';
import { openRuntime, type Runtime } from '../../src/main/runtime.ts';
import { silentLogger } from '../../src/shared/log.ts';
import { type TestEnv, testEnv } from './env.ts';
import { waitFor } from './proc.ts';

export interface RuntimeFixture {
  /** Opens a runtime (database `name`) with these flows, working their queues. */
  start(name: string, flows: AnyFlow[]): Promise<Runtime>;
  /** Waits until the run is no longer running and returns it. */
  finished(r: Runtime, runId: string): ReturnType<Runtime['stores']['runs']['get']>;
}

/** Call once at the top of a test file. */
export function runtimeFixture(): RuntimeFixture {
  let env: TestEnv | undefined;
  let rt: Runtime | undefined;
  afterEach(async () => {
    await rt?.close({ graceMs: 0 });
    await env?.cleanup();
    rt = undefined;
    env = undefined;
  });
  return {
    async start(name, flows) {
      env = testEnv(name);
      rt = await openRuntime(env.config(), { log: silentLogger(), flows });
      await rt.engine.work();
      return rt;
    },
    finished: (r, runId) =>
      waitFor(
        () => r.stores.runs.get(runId),
        (run) => run?.status !== 'running',
      ),
  };
}
