import { defineConfig } from 'vitest/config';

// Two projects over the same tests:
//  - unit: every test, databases on embedded PGlite (what `npm test` runs);
//  - pg:   the database-backed tests (*.int.test.ts and test/) again on the PostgreSQL server at
//          TIKSUITE_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          env: { TIKSUITE_TEST_DB: 'pglite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'pg',
          include: ['src/**/*.int.test.ts', 'test/**/*.test.ts'],
          env: { TIKSUITE_TEST_DB: 'postgres' },
        },
      },
    ],
  },
});
