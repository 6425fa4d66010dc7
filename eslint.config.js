// Lint: the recommended rules of ESLint and typescript-eslint, with Node's and the browser's
// globals (the page in public/ runs in a browser).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tools/', '.netlify/', 'test-output/', 'bench/tmp/', 'public/vendor/', 'public/smtp-egress.mjs', 'public/*.bundle.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['public/**/*.js', 'public/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
