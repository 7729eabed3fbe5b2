import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

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
    // Which layer and capability may import which is declared in .dependency-cruiser.cjs
    // (`npm run lint:imports`), as allowlists with no cycles.
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
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
