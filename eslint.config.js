// House rules: `npm run lint` runs this, prettier --check and the import-cycle check (docs/architecture.md).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'addon/dist/', '.tmp/', 'data/', 'bench/results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unsafe-function-type': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Functions stay small: past 120 lines a function is a sequence of named steps waiting to be named.
    files: ['core/**/*.ts', 'server/**/*.ts', 'addon/src/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 120, skipBlankLines: true, skipComments: true, IIFEs: true }] },
  },
  {
    // The composition root is the only place that builds services (docs/architecture.md).
    files: ['server/**/*.ts'],
    ignores: ['server/root.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'NewExpression[callee.name=/(Service|Evaluator|Dispatcher|Scheduler)$/]',
          message: 'Services are built in server/root.ts only: take this one as a constructor parameter.',
        },
      ],
    },
  },
  {
    // SQLite/PostgreSQL differences live in server/db/ (docs/architecture.md).
    files: ['server/modules/**/*.ts', 'server/graphql/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "BinaryExpression > MemberExpression[property.name='dialect']",
          message: 'Branching on the SQL dialect belongs in server/db/: add a helper to Db.',
        },
      ],
    },
  },
  {
    // Tests read GraphQL JSON answers whose shape the assertions check.
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['addon/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
