import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Vitest's default is one test file at a time on a 2-core machine (cores − 1). Many files here spend
// their time waiting on the command they spawn or on worker threads, so one file per core keeps both busy.
const maxWorkers = Math.max(2, availableParallelism());

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/helpers/fast-check-setup.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    maxWorkers,
    // generous: with one file per core on a shared machine, a suite that starts the command several times can pass a minute
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
