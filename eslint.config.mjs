// Lint rules, including the layer boundaries of ARCHITECTURE.md:
// lib/ is pure (no Node, React, Next or server/), components/ reach the
// backend over HTTP only (no server/).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const serverImports = ['@/server', '@/server/*', '**/server', '**/server/*'];

export default tseslint.config(
  { ignores: ['scratch/**', 'node_modules/**', '.next/**', '.kura/**', 'dist/**', 'next-env.d.ts', 'e2e/.artifacts/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
  {
    files: ['components/**/*.{ts,tsx}', 'app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['lib/**/*.ts', 'lib/**/*.tsx'],
    ignores: ['lib/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'fs/*', 'path', 'child_process', 'os', 'net', 'http', 'https', 'crypto', 'stream'], message: 'lib/ is pure: no Node built-ins. Put I/O in server/.' },
          { group: ['react', 'react-dom', 'react/*', 'react-dom/*', 'next', 'next/*'], message: 'lib/ is pure: no React or Next. Put UI in components/.' },
          { group: serverImports, message: 'lib/ may not import server/.' },
          { group: ['@/components', '@/components/*', '@/app', '@/app/*', '**/components/*', '**/app/*'], message: 'lib/ may import lib/ only.' },
        ],
      }],
    },
  },
  {
    files: ['components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: serverImports, message: 'components/ talk to the backend over HTTP only; do not import server/.' }],
      }],
    },
  },
  {
    files: ['e2e/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@/*', '**/lib/*', '**/server/*', '**/components/*', '**/app/*'], message: 'e2e tests are black box: no imports from the source tree.' }],
      }],
    },
  },
);
