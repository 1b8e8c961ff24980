/**
 * Test runner configuration. Unit tests are fast and in-process; integration tests spawn real CLIs,
 * daemons and SQLite files, so they get a longer budget. Two workers: the CI machine has two cores.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    teardownTimeout: 10_000,
    setupFiles: ['test/helpers/test-env.ts', 'test/helpers/no-leaked-children.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 10_000,
          hookTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
