import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Layering (STYLE.md §1): shared imports nothing of ours and no runtime; core and the CLI are
// plain Node and never see Electron or React; only the shell and preload touch Electron; the
// renderer talks to core only through the contract. Each layer is one entry below.
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

// Errors (STYLE.md §3): every failure is a DockError subclass named for its kind, so a code is
// written once, in the class, never at a throw site; core and shared throw nothing else. ESLint
// replaces a rule's options per block rather than merging them, so each block that restricts
// syntax repeats the ones before it.
const exportAll = { selector: 'ExportAllDeclaration', message: 'Name every export (STYLE.md §1).' };
const rawDockError = {
  selector: "NewExpression[callee.name='DockError']",
  message:
    'Throw a DockError subclass (an *-errors.ts module, or src/main/core/errors.ts): the code belongs to the class.',
};
const BUILTIN_ERROR = '/^(Aggregate|Eval|Range|Reference|Syntax|Type|URI)?Error$/';
const plainErrors = [
  {
    selector: `NewExpression[callee.name=${BUILTIN_ERROR}], CallExpression[callee.name=${BUILTIN_ERROR}]`,
    message:
      'core and shared throw DockError subclasses only: add one (with a code from src/shared/errors.ts).',
  },
  {
    selector: `:matches(ClassDeclaration, ClassExpression)[superClass.name=${BUILTIN_ERROR}]`,
    message: 'An error class extends DockError (or one of its subclasses), so it carries a code.',
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'playwright-report/**', 'test-results/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', exportAll],
    },
  },
  {
    // CommonJS helpers shared with plain-Node scripts (npm start) are CommonJS on purpose.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(
      [...nodeBuiltins, 'electron', 'react', 'react-dom', 'dockerode', 'ws', '**/main/**', '**/renderer/**'],
      'src/shared is the contract: TypeScript and zod only, no runtime and no other layer.',
    ),
  },
  {
    files: ['src/main/core/**/*.ts'],
    rules: restrict(
      ['electron', 'react', 'react-dom', '**/renderer/**', '**/shell/**', '**/cli/**', '**/preload*'],
      'core runs under plain Node (tests, CLI, headless): it never imports Electron, the shell, the CLI or the UI.',
    ),
  },
  {
    files: ['src/main/cli/**/*.ts'],
    rules: restrict(
      ['electron', 'react', 'react-dom', '**/renderer/**', '**/shell/**', '**/preload*'],
      'the CLI is plain Node over core: no Electron, no shell, no UI.',
    ),
  },
  {
    files: ['src/main/shell/**/*.ts', 'src/main/index.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(
      ['react', 'react-dom', '**/renderer/**', '**/cli/**', 'dockerode', 'ws'],
      'the shell hosts core; Docker and sockets belong to core.',
    ),
  },
  {
    files: ['src/main/preload.ts'],
    rules: restrict(
      [
        ...nodeBuiltins,
        'dockerode',
        'ws',
        'react',
        '**/core/**',
        '**/shell/**',
        '**/cli/**',
        '**/renderer/**',
      ],
      'the sandboxed preload sees only electron and the shared contract.',
    ),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        [
          ...nodeBuiltins,
          'electron',
          'dockerode',
          'ws',
          '**/main/**',
          '**/features/*/lib/*',
          '**/features/*/components/*',
        ],
        "the renderer reaches core only through the contract, and features only through each other's index.",
      ),
    },
  },
  {
    // Inside a feature, its own lib/ and components/ are fair game.
    files: ['src/renderer/src/features/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nodeBuiltins, 'electron', 'dockerode', 'ws', '**/main/**'],
              message: 'the renderer reaches core only through the contract.',
            },
            {
              regex: '^\\.\\./\\.\\./[\\w-]+/(lib|components)/',
              message: "features use each other only through the feature's index.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-syntax': ['error', exportAll, rawDockError] },
  },
  {
    files: ['src/main/core/**/*.ts', 'src/shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', exportAll, rawDockError, ...plainErrors] },
  },
);
