/**
 * The dependency rules of credits-mock (docs: DESIGN.md, "The path of a request"), checked by
 * dependency-cruiser: `npm run lint:deps`, and by src/dependency-rules.test.ts in `npm test`.
 *
 *   http → domain → store     the store imports nothing from domain, fixtures or http; the domain nothing from http or fixtures
 *   fixtures → domain, store  loading fixtures and the state import/export may use both, never http
 *   no cycles                 anywhere in src/
 *   conformance/              speaks HTTP only: imports nothing from src/
 *   bench/                    through the public API only (src/index.ts)
 *   express, openapi-backend  known to src/http/ only, not to the domain, the store or the fixtures
 *
 * Type-only imports count (tsPreCompilationDeps): a store that names a credit type knows credits.
 * Test files (`*.test.ts`) may import what they test, so the layer rules do not apply to them;
 * the cycle rule does, and no code outside the tests imports a test file.
 */

/** Test files and the helpers only tests use. */
const TESTS = '(\\.test\\.ts|-test-helpers\\.ts|\\.fixture\\.ts)$';
/** The composition root: the files directly in src/ (main, cli, config, state-dir, index…). */
const ROOT_FILES = '^src/[^/]+\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle in src/: the modules cannot be understood, tested or loaded one without the other.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'store-is-generic',
      severity: 'error',
      comment:
        'src/store/ is generic (tables, transactions, change feeds, persistence) and knows no credit: it imports only itself.',
      from: { path: '^src/store/', pathNot: TESTS },
      to: { path: '^src/', pathNot: '^src/store/' },
    },
    {
      name: 'domain-not-to-outer-layers',
      severity: 'error',
      comment: 'The domain is pure rules: it never sees http, the fixtures module or the composition root.',
      from: { path: '^src/domain/', pathNot: TESTS },
      to: { path: ['^src/(http|fixtures|test-support)/', ROOT_FILES] },
    },
    {
      name: 'fixtures-not-to-http',
      severity: 'error',
      comment: 'Fixtures and state import/export may use the domain and the store, never http or the composition root.',
      from: { path: '^src/fixtures/', pathNot: TESTS },
      // src/paths.ts (where the package's files are) is a leaf of constants, not part of the composition root.
      to: { path: ['^src/(http|test-support)/', ROOT_FILES], pathNot: '^src/paths\\.ts$' },
    },
    {
      name: 'http-not-to-composition-root',
      severity: 'error',
      comment: 'http is wired by the composition root (main.ts, index.ts…), it does not reach back into it.',
      from: { path: '^src/http/', pathNot: TESTS },
      to: { path: ['^src/(main|cli|index|bin|state-dir|conform|mock-options)\\.ts$', '^src/test-support/'] },
    },
    {
      name: 'no-http-framework-inside',
      severity: 'error',
      comment:
        'Only src/http/ knows express, openapi-backend or the HTTP server; the domain, the store and the fixtures never do.',
      from: { path: '^src/(domain|store|fixtures)/', pathNot: TESTS },
      to: { path: ['^(node:)?https?$', '(^|/)node_modules/(express|openapi-backend|cors|busboy)/'] },
    },
    {
      name: 'conformance-speaks-http-only',
      severity: 'error',
      comment: 'conformance/ checks any server over HTTP: it imports nothing from src/.',
      from: { path: '^conformance/' },
      to: { path: '^src/' },
    },
    {
      name: 'bench-through-public-api',
      severity: 'error',
      comment: 'bench/ measures the package as a user gets it: only src/index.ts (the public API).',
      from: { path: '^bench/' },
      to: { path: '^src/', pathNot: '^src/index\\.ts$' },
    },
    {
      name: 'no-test-imports-outside-tests',
      severity: 'error',
      comment: 'Only tests import test files and the test-only helpers.',
      from: { path: '^(src|bench|conformance|scripts)/', pathNot: [TESTS, '^src/test-support/'] },
      to: { path: '\\.test\\.ts$' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve: the rules above could not see where it leads.',
      from: {},
      to: { couldNotResolve: true, pathNot: '^\\.\\./dist/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { conditionNames: ['import', 'require', 'node', 'default'], exportsFields: ['exports'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
