#!/usr/bin/env node
// Bundles the compiled CLI (dist/firmware/cli.js) into one file, dist/halld.mjs: Node 20
// spends ~150 ms resolving and linking the hundreds of small ESM files of our code and
// typebox at every start; one file loads in a fraction of that (bench/startup.ts).
// Native and optional packages stay external and load from node_modules as before.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

const external = [
  'sqlite3', 'serialport', '@serialport/*', 'onoff', 'epoll', 'i2c-bus', 'johnny-five', 'firmata-io', 'mock-firmata',
  'rpi-led-matrix', 'aedes', 'node-thermal-printer', 'iconv-lite', 'pngjs', 'playwright-core',
];

// Chunk names carry a content hash: clear the old ones so dist/ does not pile them up.
await rm('dist/chunks', { recursive: true, force: true });

await build({
  // Split at dynamic imports: drivers, the printer stack and the demo's broker load only when used.
  entryPoints: { halld: 'dist/firmware/cli.js', 'panel-host-child': 'dist/drivers/matrix/panel-host-child.js' },
  outdir: 'dist',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: true,
  logLevel: 'warning',
  // CommonJS packages inside the bundle (mqtt) call require(): give them one.
  banner: { js: "import { createRequire as __halldCreateRequire } from 'node:module';\nconst require = __halldCreateRequire(import.meta.url);" },
});
