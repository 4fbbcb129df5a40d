// House rules: `npm run lint` runs this, prettier --check and the import-cycle check (docs/architecture.md).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Schema lint (issue 16): @graphql-eslint's Relay rules and require-description over the emitted SDL
 * (`npm run schema:emit` writes schema/schema.graphql). Loaded only when @graphql-eslint/eslint-plugin
 * is installed, so `npm run lint` still runs the TypeScript rules on a machine without it.
 */
async function graphqlSchemaConfig() {
  let graphql;
  try {
    graphql = (await import('@graphql-eslint/eslint-plugin')).default;
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    console.warn('eslint.config.js: @graphql-eslint/eslint-plugin is not installed; the schema lint (schema/schema.graphql) is skipped.');
    return [];
  }
  return [
    {
      files: ['schema/schema.graphql'],
      languageOptions: { parser: graphql.parser, parserOptions: { graphQLConfig: { schema: 'schema/schema.graphql' } } },
      plugins: { '@graphql-eslint': graphql },
      rules: {
        '@graphql-eslint/relay-connection-types': 'error',
        '@graphql-eslint/relay-page-info': 'error',
        // Every connection pages both ways (docs/api.md, "Paging").
        '@graphql-eslint/relay-arguments': ['error', { includeBoth: true }],
        // Edge nodes that are not Node (Deal, Snapshot, ledger rows, webhook deliveries) have no refetchable
        // id of their own (docs/api.md, "Node ids"); plain lists (explanation steps, curve points) are bounded
        // value lists, not connections.
        '@graphql-eslint/relay-edge-types': ['error', { shouldImplementNode: false, listTypeCanWrapOnlyEdgeType: false }],
        '@graphql-eslint/require-description': [
          'error',
          {
            types: true,
            rootField: true,
            FieldDefinition: true,
            InputValueDefinition: true,
            EnumValueDefinition: true,
            DirectiveDefinition: true,
          },
        ],
      },
    },
  ];
}

export default tseslint.config(
  { ignores: ['node_modules/', 'addon/dist/', '.tmp/', 'data/', 'bench/results/', 'coverage/'] },
  { files: ['**/*.{js,mjs,cjs,ts}'], extends: [js.configs.recommended, ...tseslint.configs.recommended] },
  {
    files: ['**/*.{js,mjs,cjs,ts}'],
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
  ...(await graphqlSchemaConfig()),
);
