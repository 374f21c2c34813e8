// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'deploy/', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**'], message: 'libs never import apps (STYLE.md, principle 8).' }] },
      ],
    },
  },
  {
    // Configuration is read once, in apps/*/main.ts, and passed down (issue 16.6): libraries take
    // their settings from config objects, never from the process. Specs, test helpers and benches may.
    files: ['libs/**/src/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/*.int.spec.ts',
      '**/*.esdb-spec.ts',
      'libs/*/src/**/testing/**',
      'libs/*/bench/**',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'libs never read process.env: take the setting from the config main.ts passes down.',
        },
      ],
    },
  },
  {
    // The domain core is pure: no frameworks, no I/O (STYLE.md, principle 1).
    files: ['libs/domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'node:fs', 'net', 'node:net', 'child_process', 'node:child_process', 'kafkajs', 'pg'],
          patterns: [{ group: ['@nestjs/*', '**/apps/**'], message: 'libs/domain is pure.' }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Time comes in on the command.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'No randomness in the domain.',
        },
      ],
    },
  },
);
