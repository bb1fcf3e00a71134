#!/usr/bin/env node
// Bundles the compiled bin into dist/halld.mjs and its chunks: Node 20 spends ~150 ms
// resolving and linking the hundreds of small ESM files of our code and typebox at every
// start; a bundle loads in a fraction of that (bench/startup.ts).
// Two bundles, each split at its dynamic imports: the device (dist/halld.mjs from
// firmware/bin.js, chunks in dist/chunks/) and the commander CLI (dist/halld-cli.mjs, chunks in
// dist/cli-chunks/), which the bin imports for anything but a plain `run` line. Apart, the
// device's start loads ~40 chunks; in one bundle with the CLI's ~100 dynamic imports its code
// was cut into ~60, and each chunk costs its resolve and link (docs/performance.md).
// Native and optional packages stay external and load from node_modules as before.
// `npm run build` runs it after every tsc; it rebuilds only when a file it bundled last time
// (or this script) is newer than the bundle, or with --force.
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const OUTPUTS = ['dist/halld.mjs', 'dist/halld-cli.mjs', 'dist/panel-host-child.mjs'];
// The files the last bundle was built from (esbuild's metafile inputs), to decide whether it is stale.
const INPUTS_FILE = 'dist/.bundle-inputs.json';

async function mtimeMs(path) {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function bundleIsCurrent() {
  let inputs;
  try {
    inputs = JSON.parse(await readFile(INPUTS_FILE, 'utf8')).inputs;
  } catch {
    return false;
  }
  const built = await Promise.all(OUTPUTS.map(mtimeMs));
  if (built.some((t) => t === undefined)) return false;
  const oldest = Math.min(...built);
  for (const input of [...inputs, 'scripts/bundle.mjs']) {
    const t = await mtimeMs(input);
    if (t === undefined || t > oldest) return false;
  }
  return true;
}

if (!process.argv.includes('--force') && (await bundleIsCurrent())) process.exit(0);

const external = [
  'sqlite3', 'serialport', '@serialport/*', 'onoff', 'epoll', 'i2c-bus', 'johnny-five', 'firmata-io', 'mock-firmata',
  'rpi-led-matrix', 'aedes', 'node-thermal-printer', 'iconv-lite', 'pngjs', 'playwright-core',
];

// The config file's schema check, generated here once instead of compiled at every start
// (firmware/config/strict-check.ts says why; docs/performance.md by how much).
const STRICT_CHECK = resolve('dist/firmware/config/strict-check.js');
const precompiledConfigCheck = {
  name: 'precompiled-config-check',
  setup(b) {
    b.onLoad({ filter: /[\\/]firmware[\\/]config[\\/]strict-check\.js$/ }, async (args) => {
      if (resolve(args.path) !== STRICT_CHECK) return undefined;
      const { strictCheckModule } = await import(pathToFileURL(resolve('dist/firmware/config/strict-check-code.js')).href);
      return { contents: strictCheckModule('./file-schema.js'), loader: 'js', resolveDir: dirname(STRICT_CHECK) };
    });
  },
};

// The bin's `import('./cli.js')` is the CLI bundle, not a chunk of the device's.
const BIN = resolve('dist/firmware/bin.js');
const cliInItsOwnBundle = {
  name: 'cli-in-its-own-bundle',
  setup(b) {
    b.onResolve({ filter: /^\.\/cli\.js$/ }, (args) => (resolve(args.importer) === BIN ? { path: './halld-cli.mjs', external: true } : undefined));
  },
};

const common = {
  outdir: 'dist',
  // Split at dynamic imports: drivers, the printer stack and the demo's broker load only when used.
  splitting: true,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
  // CommonJS packages inside the bundle (mqtt) call require(): give them one.
  banner: { js: "import { createRequire as __halldCreateRequire } from 'node:module';\nconst require = __halldCreateRequire(import.meta.url);" },
};

// Chunk names carry a content hash: clear the old ones so dist/ does not pile them up.
await Promise.all(['dist/chunks', 'dist/cli-chunks'].map((dir) => rm(dir, { recursive: true, force: true })));

const results = await Promise.all([
  build({ ...common, entryPoints: { halld: 'dist/firmware/bin.js' }, chunkNames: 'chunks/[name]-[hash]', plugins: [precompiledConfigCheck, cliInItsOwnBundle] }),
  build({
    ...common,
    entryPoints: { 'halld-cli': 'dist/firmware/cli.js', 'panel-host-child': 'dist/drivers/matrix/panel-host-child.js' },
    chunkNames: 'cli-chunks/[name]-[hash]',
    plugins: [precompiledConfigCheck],
  }),
]);
const inputs = new Set(results.flatMap((r) => Object.keys(r.metafile.inputs)));
await writeFile(INPUTS_FILE, JSON.stringify({ inputs: [...inputs] }));
