import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two projects over the same tests:
//  - unit: every test, databases on embedded PGlite (what `npm test` runs);
//  - pg:   the database-backed tests (*.int.test.ts and test/) again on the PostgreSQL server at
//          TIKSUITE_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
//
// Timeouts only bound a hung test; they are not a speed claim (figures live in bench/). On a
// loaded 2-core machine opening a fresh PGlite database and migrating it alone took over 60 s, so
// the bounds are generous. Tests wait on conditions (test/support/proc.ts waitFor), never on time.
//
// Files run in parallel, but an end-to-end file is several processes at once (the test process
// with its sandboxes and embedded database, spawned `tiksuite` children): vitest's default of one
// file per core but one would oversubscribe the machine, so at most one file per two cores.
export default defineConfig({
  test: {
    testTimeout: 300_000,
    hookTimeout: 300_000,
    maxWorkers: Math.max(1, Math.floor(availableParallelism() / 2)),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          // The 300-refund crash run (90 s here) runs on PostgreSQL only, to keep CI under 30 minutes:
          // the engine's crash safety on PGlite is proven by the order and fulfillment crash runs.
          exclude: ['test/refunds-crash.test.ts'],
          env: { TIKSUITE_TEST_DB: 'pglite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'pg',
          include: ['src/**/*.int.test.ts', 'test/**/*.test.ts'],
          // `tiksuite demo` always runs on the embedded database (its own temporary home, whatever
          // DATABASE_URL says): here these would repeat the unit project's runs exactly (~140 s).
          exclude: ['test/demo.test.ts', 'test/demo-scarce.test.ts', 'test/demo-lifecycle.test.ts'],
          env: { TIKSUITE_TEST_DB: 'postgres' },
        },
      },
    ],
  },
});
