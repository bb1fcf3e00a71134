// Lint: typescript-eslint's recommended rules, warnings fail CI, and roles may not import
// concrete drivers (only the HAL interfaces).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Time is injected (ARCHITECTURE "Rules of the house"): firmware gets its Clock and Timers
// from whoever constructs it, so tests drive time instead of sleeping. Only the entry point
// (firmware/cli.ts) picks the real ones. Kept as its own block, last, so it merges cleanly.
const INJECTED_TIME = 'firmware takes time from the injected Clock (now/monotonicMs) and Timers (drivers/clock/timers.ts), never from the globals';
const TIME_PENDING = [
  // Being converted on other branches at the time of writing; drop each line once it is.
  'firmware/link/**', // trust: injected timers in the link
  'firmware/store/store.ts', // limits: store faults
  'firmware/roles/ticket-printer/kiosk/kiosk-server.ts', // pages: replaced by the shared page server
];
// `new Date(text)` parses and is fine; `new Date()` and `Date()` read the wall clock.
const WALL_CLOCK_SYNTAX = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: INJECTED_TIME },
  { selector: "CallExpression[callee.name='Date']", message: INJECTED_TIME },
];
const injectedTime = {
  files: ['firmware/**/*.ts'],
  ignores: ['firmware/cli.ts', ...TIME_PENDING],
  rules: {
    'no-restricted-globals': ['error', ...['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'].map((name) => ({ name, message: INJECTED_TIME }))],
    'no-restricted-properties': [
      'error',
      ...['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'].map((property) => ({ object: 'globalThis', property, message: INJECTED_TIME })),
      { object: 'Date', property: 'now', message: INJECTED_TIME },
      { object: 'performance', property: 'now', message: INJECTED_TIME },
    ],
    'no-restricted-syntax': ['error', ...WALL_CLOCK_SYNTAX, { selector: "ImportSpecifier[imported.name=/^(globalTimers|systemClock)$/]", message: `${INJECTED_TIME}; only the runtime defaults to the real ones` }],
  },
};
// The runtime holds the defaults (globalTimers) that the entry points rely on.
const runtimeDefaultsTime = { files: ['firmware/runtime.ts'], rules: { 'no-restricted-syntax': ['error', ...WALL_CLOCK_SYNTAX] } };

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
        // The printer's interface files (its types, its errors, the template contract) and the
        // Timers interface (injected time) do no I/O.
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
  injectedTime,
  runtimeDefaultsTime,
);
