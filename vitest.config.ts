import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'specs/**/*.test.ts', 'conformance/harness/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // Two files at a time even on a 2-core machine (vitest's default there is one): much of a file's time is
    // waiting on the servers and suite runs it starts, and one worker left the other core idle for minutes.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
