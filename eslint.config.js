// ESLint flat config (npm run lint): ESLint's and typescript-eslint's recommended rules. Formatting is Prettier's
// business (.prettierrc.json, npm run format:check), so no rule here is about layout.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'conformance/reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      // A leading underscore names a value dropped on purpose: a field taken out by rest destructuring, express's
      // four-argument error handler.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      // The regexes that strip terminal colours and characters XML cannot hold match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read JSON answers of any shape; `any` there is the answer under test, not a module boundary.
    files: ['**/*.test.ts', '**/*-test-helpers.ts', 'src/test-support/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The console is ES modules in the browser.
    files: ['src/pages/console/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    // The docs page is a classic script after Swagger UI's bundle, which defines SwaggerUIBundle.
    files: ['src/pages/docs/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, SwaggerUIBundle: 'readonly' } },
  },
);
