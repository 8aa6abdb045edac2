import { defineConfig } from 'vitest/config';

/**
 * The conformance suite, run against one target given through the environment
 * (see support/target.ts). Files run one after another: against a real server
 * they share the configured customers and projects.
 */
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: [`${process.env.CONFORMANCE_API ?? 'waldur'}/**/*.conformance.test.ts`],
    setupFiles: ['support/setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
