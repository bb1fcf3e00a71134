#!/usr/bin/env node
// Runs every compiled test file with tap and ends with the one line CI reads:
// `tests: N passed, N failed`. Counts are assertions (tap's own summary is not read by CI).
import { spawn } from 'node:child_process';
import { Parser } from 'tap-parser';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
// The emulated board boots (test/boot/) take many minutes and cached roots: `npm run test:boot`
// runs them; a plain run leaves them out unless a filter names them.
const wanted = (f) => (filter.length === 0 ? !f.startsWith('dist/test/boot/') : filter.some((x) => f.includes(x)));
const files = find('dist/test').filter(wanted).sort();
if (files.length === 0) {
  console.log('no test files found under dist/test');
  console.log('tests: 0 passed, 1 failed');
  process.exit(1);
}

const tap = spawn('node_modules/.bin/tap', ['--reporter=tap', '--disable-coverage', '--allow-incomplete-coverage', '--jobs=2', `--timeout=${process.env.HALLD_TEST_TIMEOUT ?? 300}`, ...files], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const parser = new Parser();
let passed = 0;
let failed = 0;
const failures = [];
// Count leaf assertions: a subtest's own summary point is skipped, its assertions count.
// A failing subtest with no failing assertion inside (a timeout, a crash) still counts once.
function watch(p, path) {
  const children = new Map();
  p.on('child', (c) => {
    const info = { failedInside: false };
    children.set(c, info);
    watch(c, [...path, c.name]).onFail = () => (info.failedInside = true);
  });
  const self = { onFail: () => {} };
  p.on('assert', (a) => {
    if (a.skip || a.todo) return;
    const child = [...children.entries()].find(([c]) => c.name === a.name || `Subtest: ${a.name}` === c.name);
    if (child) {
      children.delete(child[0]);
      if (!a.ok && !child[1].failedInside) {
        failed += 1;
        failures.push([...path, a.name].join(' > '));
        self.onFail();
      }
      if (!a.ok) self.onFail();
      return;
    }
    if (a.ok) passed += 1;
    else {
      failed += 1;
      failures.push([...path, a.name].join(' > '));
      self.onFail();
    }
  });
  return self;
}
watch(parser, []);
tap.stdout.on('data', (d) => process.stdout.write(d));
tap.stdout.pipe(parser);
tap.on('exit', (code) => {
  parser.end();
  setImmediate(() => {
    if (failures.length > 0) console.log(`\nfailed: ${failures.slice(0, 30).join(' | ')}`);
    if (code !== 0 && failed === 0) failed = 1; // a crashed runner must not read as green
    console.log(`tests: ${passed} passed, ${failed} failed`);
    process.exit(failed > 0 ? 1 : 0);
  });
});
