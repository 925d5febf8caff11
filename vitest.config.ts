import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Removes each test file's temporary folders when it ends.
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // DuckDB uses both cores; two test files at a time keeps the suite fast without starving either.
    maxWorkers: 2,
  },
});
