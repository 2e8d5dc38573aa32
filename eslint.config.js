import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * One lint configuration for the whole repository, type-aware (typescript-eslint's project
 * service reads tsconfig.json). `npm run lint` runs it with `prettier --check`.
 */
export default defineConfig(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', 'test/e2e/fixtures/', 'test/browser/screenshots/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `_name` marks a value left out on purpose (destructuring a field away, an unused parameter).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Async methods implement Promise-returning ports (in-memory fakes, stubs); an await-free body is fine there.
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // Files and functions a reader can hold in mind (issue 9): blank lines and comments are not
    // counted. The message catalogues are data tables (one line per message), exempt as the issue allows.
    files: ['functions/**/*.ts', 'local/**/*.ts'],
    ignores: ['functions/i18n/*/{es,en,fr}.ts'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Lambda code takes zod from functions/domain/zod.ts only: zod/mini with the English messages, as a
    // namespace import esbuild can tree-shake (classic zod, or `{ z }`, put the whole library in a bundle).
    files: ['functions/**/*.ts'],
    ignores: ['functions/domain/zod.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'zod', message: 'Import * as z from functions/domain/zod.ts (zod/mini): classic zod costs every cold start.' },
            { name: 'zod/mini', message: 'Import * as z from functions/domain/zod.ts, which sets the English messages.' },
          ],
          patterns: [{ group: ['zod/*', '!zod/mini'], message: 'Import * as z from functions/domain/zod.ts.' }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportDeclaration[source.value=/(^|\\/)zod\\.js$/] > :matches(ImportSpecifier, ImportDefaultSpecifier)',
          message: 'Import * as z from zod.js: a named import of its namespace keeps the whole library in the bundle.',
        },
      ],
    },
  },
  {
    // Tests read JSON responses and CloudFormation templates as untyped data on purpose.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // Plain JavaScript (config files) is linted without types. The dashboard's browser code is TypeScript
    // under functions/pages/admin-app/, whose own tsconfig (DOM types) the project service picks up.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
