import { defineConfig } from 'vitest/config';

/**
 * The files of the run: the API's, and for the profile `waldur-8.1` the checks
 * of the 8.1 contract too. CONFORMANCE_ONLY (the harness's mutant runs) keeps
 * those of its comma-separated entries: folders, or files under them.
 */
function suiteFiles(): string[] {
  const api = process.env.CONFORMANCE_API ?? 'waldur';
  const folders = api === 'waldur' && process.env.CONFORMANCE_PROFILE === 'waldur-8.1' ? [api, 'waldur-8.1'] : [api];
  const all = folders.map((f) => `${f}/**/*.conformance.test.ts`);
  const only = process.env.CONFORMANCE_ONLY?.split(',').filter(Boolean);
  if (!only) return all;
  return only.flatMap((entry) => {
    const folder = entry.split('/')[0]!;
    if (!folders.includes(folder)) return [];
    return entry.endsWith('.conformance.test.ts') ? [entry] : [`${folder}/**/*.conformance.test.ts`];
  });
}

/**
 * The conformance suite, run against one target given through the environment
 * (see support/target.ts). Files run one after another: against a real server
 * they share the configured customers and projects.
 */
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: suiteFiles(),
    setupFiles: ['support/setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
