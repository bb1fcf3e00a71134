// Lint: typescript-eslint's recommended rules plus the type-checked promise and switch rules,
// warnings fail CI, and the "may import" column of docs/architecture.md ("Layers")
// as import restrictions per folder. Import cycles are checked by scripts/import-cycles.mjs
// (run by `npm run lint` after eslint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Top-level folders of ours. A relative import names one after its run of `../`; a subfolder
// with the same name as a top-level one exists only under test/, which may import anything.
const OURS = ['firmware', 'protocol', 'drivers', 'boards', 'assembly', 'simulators', 'provisioning', 'release', 'testkit', 'test', 'bench'];

/** An import of any of these top-level folders (or anything under them). */
function folders(names) {
  return `^(\\.\\./)+(${names.join('|')})(/|$)`;
}

/** An import of drivers/ other than the listed paths (relative to drivers/, without .js). */
function driversExcept(allowed) {
  return `^(\\.\\./)+drivers/(?!(${allowed.join('|')})\\.js$)`;
}

/**
 * The folder's import restrictions, one message per pattern: no-restricted-imports for
 * `import`/`export … from` (`types` patterns still allow `import type`), and the same
 * patterns for `await import()` (always a value import), which that rule does not see.
 */
function restrict(files, patterns, extraSyntax = []) {
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: patterns.map(({ regex, message, types }) => ({ regex, message, ...(types ? { allowTypeImports: true } : {}) })) },
      ],
      // esquery reads a regex up to the next '/', so the pattern spells '/' as \x2F.
      'no-restricted-syntax': ['error', ...patterns.map(({ regex, message }) => ({ selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`, message })), ...extraSyntax],
    },
  };
}

const others = (...allowed) => OURS.filter((f) => !allowed.includes(f));

// firmware/ outside the demo hall: never simulators/, never a concrete driver.
const FIRMWARE_IMPORTS = [
  { regex: folders(others('firmware', 'protocol', 'drivers', 'boards', 'assembly', 'release')), message: 'firmware/ never imports simulators/ (only the demo hall in firmware/hall/ does)' },
  { regex: '^(\\.\\./)+release/build/', message: 'release/build/ is the release builder of a checkout; a board never runs it' },
  { regex: driversExcept(['hal/[^/]+', 'clock/[^/]+', 'os/[^/]+']), message: 'firmware/ sees the HAL interfaces (drivers/hal), the clocks and the operating-system helpers (drivers/os), never a concrete driver: assembly/ wires drivers in' },
];

// Driver-independent helpers a simulator may run: the HAL interfaces, the clocks, the
// operating-system helpers (drivers/os: a private unix socket), and the
// GPIO debounce / line logic the real backends share (so the sim board debounces like a Pi).
const SIMULATOR_DRIVER_HELPERS = ['hal/.+', 'clock/.+', 'os/.+', 'gpio/gpio-backend', 'gpio/debounced-input', 'gpio/line-output'];
// Time is injected (docs/architecture.md, "Layers"): firmware gets its Clock and Timers
// from whoever constructs it, so tests drive time instead of sleeping. Only the entry points
// (firmware/cli.ts, and firmware/daemon.ts where a plain `halld run` starts) pick the real ones. Kept as its own block, last, so it merges cleanly.
const INJECTED_TIME = 'firmware takes time from the injected Clock (now/monotonicMs) and Timers (drivers/clock/timers.ts), never from the globals';
// `new Date(text)` parses and is fine; `new Date()` and `Date()` read the wall clock.
const WALL_CLOCK_SYNTAX = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: INJECTED_TIME },
  { selector: "CallExpression[callee.name='Date']", message: INJECTED_TIME },
];
// The globals and properties that read the wall clock or set timers. ESLint keeps one option
// list per rule per file, so the time selectors for no-restricted-syntax ride along with the
// import() boundaries in restrict() (a separate block would replace them).
const TIME_RULES = {
  'no-restricted-globals': ['error', ...['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'].map((name) => ({ name, message: INJECTED_TIME }))],
  'no-restricted-properties': [
    'error',
    ...['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'].map((property) => ({ object: 'globalThis', property, message: INJECTED_TIME })),
    { object: 'Date', property: 'now', message: INJECTED_TIME },
    { object: 'performance', property: 'now', message: INJECTED_TIME },
  ],
};
const TIME_SYNTAX = [...WALL_CLOCK_SYNTAX, { selector: "ImportSpecifier[imported.name=/^(globalTimers|systemClock)$/]", message: `${INJECTED_TIME}; only the runtime defaults to the real ones` }];

/** A restrict() block that also keeps the file off the wall clock and the global timers. */
function restrictWithTime(files, patterns, timeSyntax = TIME_SYNTAX) {
  const block = restrict(files, patterns, timeSyntax);
  return { ...block, rules: { ...block.rules, ...TIME_RULES } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'protocol/schema/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', performance: 'readonly', URL: 'readonly' },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // tap runs a top-level t.test() itself and reports its failure; awaiting it would only serialise the file.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', name: 'test', package: '@tapjs/test' }] }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  // Plain JS (this file, scripts/) is outside tsconfig.json: no type information there.
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },

  // --- Import boundaries: what each folder may import (docs/architecture.md, "Layers"; README's folder table).
  restrict(['protocol/**/*.ts'], [{ regex: folders(OURS), message: 'protocol/ imports nothing of ours' }]),
  restrict(['boards/**/*.ts'], [{ regex: folders(OURS), message: 'boards/ is data and its loader: it imports nothing of ours' }]),
  restrict(['drivers/**/*.ts'], [{ regex: folders(others('drivers')), message: 'drivers/ imports packages and drivers/ only (never simulators/, firmware/, assembly/, boards/ or protocol/)' }]),
  restrict(['drivers/hal/**/*.ts'], [
    { regex: folders(others('drivers')), message: 'drivers/hal/ is the interface package: it imports only itself' },
    { regex: '^\\.\\./(?!clock/timers\\.js$)', message: 'drivers/hal/ is the interface package: it imports only itself (and the Timers interface in drivers/clock/timers.ts)' },
  ]),
  restrict(['simulators/**/*.ts'], [
    { regex: folders(others('drivers', 'simulators', 'protocol')), message: 'simulators/ import the HAL interfaces, driver-independent helpers and protocol/, never firmware/, assembly/ or boards/' },
    {
      regex: driversExcept(SIMULATOR_DRIVER_HELPERS),
      types: true,
      message: `a simulator runs no driver code: values only from drivers/{${SIMULATOR_DRIVER_HELPERS.join(', ')}}; from other driver modules \`import type\` (an interface the simulator implements)`,
    },
  ]),
  restrict(['assembly/**/*.ts'], [{ regex: folders(others('drivers', 'simulators', 'boards', 'assembly')), message: 'assembly/ composes drivers/, simulators/ and boards/ into a Hal; it imports nothing else of ours' }]),
  restrict(['firmware/**/*.ts'], [
    { regex: folders(others('firmware', 'protocol', 'drivers', 'boards', 'assembly', 'simulators', 'release')), message: 'firmware/ imports protocol/, the HAL interfaces, boards/, assembly/ and release/ (installing a release)' },
    { regex: '^(\\.\\./)+release/build/', message: 'release/build/ is the release builder of a checkout; a board never runs it' },
    { regex: driversExcept(['hal/[^/]+', 'clock/[^/]+', 'os/[^/]+']), message: 'firmware/ sees the HAL interfaces (drivers/hal), the clocks and the operating-system helpers (drivers/os), never a concrete driver: assembly/ wires drivers in' },
  ]),
  // The demo hall composes the runtime with simulators (firmware/hall/), so only the rest of
  // firmware/ is kept off simulators/. The entry points (the CLI and the demo hall) choose the
  // real clock and timers; the runtime holds the defaults they rely on; everything else in
  // firmware/ takes time injected.
  { ...restrictWithTime(['firmware/**/*.ts'], FIRMWARE_IMPORTS), ignores: ['firmware/hall/**', 'firmware/cli.ts', 'firmware/daemon.ts', 'firmware/runtime.ts'] },
  // The CLI also starts `halld provision` (provisioning/, by one dynamic import).
  restrict(['firmware/cli.ts', 'firmware/daemon.ts'], [
    { regex: folders(others('firmware', 'protocol', 'drivers', 'boards', 'assembly', 'provisioning', 'release')), message: 'firmware/cli.ts imports what firmware/ may, plus provisioning/' },
    ...FIRMWARE_IMPORTS.slice(1),
  ]),
  restrictWithTime(['firmware/runtime.ts'], FIRMWARE_IMPORTS, WALL_CLOCK_SYNTAX),
  restrictWithTime(['firmware/roles/**/*.ts'], [
    { regex: folders(others('firmware', 'protocol', 'drivers')), message: 'a role sees the HAL interfaces, the link, the store and protocol/ only' },
    { regex: driversExcept(['hal/types', 'clock/timers']), message: 'a role sees HAL interfaces only (drivers/hal/types.js, drivers/clock/timers.js), never a concrete driver' },
    // firmware/'s runtime.ts and cli.ts are files, config/, hall/ and runtime/ (what runtime.ts delegates to) folders; a role's own config.ts is a file, so the two cannot be confused.
    { regex: '^(\\.\\./)+(runtime|cli)\\.js$|^(\\.\\./)+(config|hall|runtime)/', message: 'a role sees the link, the store, the log and its RoleContext, not the runtime, CLI, device config or demo hall around it' },
  ]),
  restrict(['provisioning/**/*.ts'], [
    { regex: folders(others('protocol', 'boards', 'provisioning', 'release')), message: 'provisioning/ imports protocol/, boards/ and release/ (checking and installing a release) only' },
    { regex: '^(\\.\\./)+release/build/', message: 'release/build/ is the release builder of a checkout, not part of halld' },
  ]),
  restrict(['release/**/*.ts'], [{ regex: folders(others('protocol', 'release')), message: 'release/ (the release format, its install and its builder) imports protocol/ only' }]),
  restrict(['testkit/**/*.ts'], [{ regex: folders(['test', 'bench']), message: 'testkit/ is shared by test/ and bench/ and imports neither' }]),
  restrict(['bench/**/*.ts'], [{ regex: folders(['test']), message: 'bench/ takes shared helpers from testkit/, never from test/' }]),
  restrict(['test/**/*.ts'], [{ regex: folders(['bench']), message: 'test/ never imports bench/; shared helpers live in testkit/' }]),
);
