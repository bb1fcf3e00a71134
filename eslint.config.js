// Lint: typescript-eslint's recommended rules, warnings fail CI, and roles may not import
// concrete drivers (only the HAL interfaces).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'protocol/schema/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', performance: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['firmware/roles/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        // The printer's interface files (its types, its errors, the template contract) do no I/O.
        {
          patterns: [
            {
              regex: 'drivers/(?!hal/types\\.js$|clock/timers\\.js$|printer/(types|errors|ticket-template)\\.js$)',
              message: 'a role sees HAL interfaces only (drivers/hal/types.js, drivers/clock/timers.js, drivers/printer/{types,errors,ticket-template}.js), never a concrete driver',
            },
          ],
        },
      ],
    },
  },
);
