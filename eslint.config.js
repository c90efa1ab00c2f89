import js from '@eslint/js';
import pluginQuery from '@tanstack/eslint-plugin-query';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The four modules only depend in one direction: mesos <- cluster, mesos <- bff, mesos <- ui (+ bff types). */
const boundary = (patterns, message) => [
  'error',
  { patterns: patterns.map((group) => ({ group: [group], message })) },
];

const UI_BOUNDARY = [
  {
    group: ['**/cluster/**', '**/bff/!(schemas)/**', '**/bff/*.ts', 'node:*'],
    message:
      'The UI talks to the BFF over HTTP; it may only import the contract in bff/schemas and code from mesos.',
  },
];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'e2e-artifacts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y, '@tanstack/query': pluginQuery },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.recommended.rules,
      '@tanstack/query/exhaustive-deps': 'error',
      '@tanstack/query/no-rest-destructuring': 'error',
      'no-restricted-imports': ['error', { patterns: UI_BOUNDARY }],
    },
  },
  {
    // A feature uses another feature only through its api/ (the data hooks); pages that need two features'
    // components are composed in app/routes. Shared pieces live in components/.
    files: ['src/ui/features/*/*/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...UI_BOUNDARY,
            {
              regex: '^\\.\\./\\.\\./[a-z][a-z-]*/(components|hooks|utils)/',
              message:
                'A feature imports another feature only from its api/: move what both need to components/, or compose the two in app/routes.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/mesos/**/*.ts'],
    rules: {
      'no-restricted-imports': boundary(
        ['**/cluster/**', '**/bff/**', '**/ui/**', 'node:*'],
        'src/mesos is the pure Mesos contract: no I/O and no project imports.',
      ),
    },
  },
  {
    files: ['src/cluster/**/*.ts'],
    rules: {
      'no-restricted-imports': boundary(
        ['**/bff/**', '**/ui/**'],
        'The local cluster is reached only over HTTP, like a real Mesos.',
      ),
    },
  },
  {
    files: ['src/bff/**/*.ts'],
    ignores: ['src/bff/**/*.test.ts', 'src/bff/server.ts'],
    rules: {
      'no-restricted-imports': boundary(
        ['**/cluster/**', '**/ui/**'],
        'The BFF reaches the local cluster only over HTTP (server.ts may start it).',
      ),
    },
  },
);
