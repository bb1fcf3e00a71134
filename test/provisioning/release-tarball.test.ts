// The release tarball (`npm pack`): what it holds, and that the halld inside it runs from
// outside the source tree and finds its own boards, page assets and unit. The installed copy
// gets its dependencies from the source tree's node_modules (a symlink), not from a registry:
// docs/installer.md has the `npm install -g` a board runs.
import t from 'tap';
import { execFile } from 'node:child_process';
import { symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from '../../testkit/temp.js';

const run = promisify(execFile);
const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const env = (() => {
  const e = { ...process.env };
  delete e['HALLD_BOARDS_DIR'];
  return e;
})();

t.test('npm pack gives a tarball whose halld runs from anywhere', async (t) => {
  const dir = await tempDir(t);
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: REPO, env, maxBuffer: 32 << 20 });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  if (!packed) throw new Error('npm pack printed no package');
  const files = new Set(packed.files.map((f) => f.path));
  for (const f of ['package.json', 'dist/halld.mjs', 'boards/sim.json', 'boards/rpi-4b.json', 'firmware/roles/ticket-printer/kiosk/public/index.html', 'firmware/pages/public/hall.css', 'firmware/pages/public/fonts/halld-sans-sc-regular.woff2', 'firmware/pages/public/fonts/halld-sans-sc-bold.woff2', 'firmware/pages/public/fonts/OFL.txt', 'fonts/wqy-12.bdf', 'provisioning/systemd/halld.service']) {
    t.ok(files.has(f), `holds ${f}`);
  }
  t.ok([...files].some((f) => f.startsWith('dist/chunks/')), 'holds the bundle chunks');
  t.same([...files].filter((f) => /^dist\/(test|bench|testkit)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts'))), [], 'no tests, benches or TypeScript sources');

  await run('tar', ['-xzf', join(dir, packed.filename), '-C', dir]);
  const pkg = join(dir, 'package');
  await symlink(join(REPO, 'node_modules'), join(pkg, 'node_modules'));
  const bin = join(pkg, 'dist/halld.mjs');
  const version = await run(process.execPath, [bin, '--version'], { cwd: dir, env });
  t.match(version.stdout, /^\d+\.\d+\.\d+/);
  t.not(version.stdout.trim(), '0.0.0-unknown', 'found its own package.json');

  const cfg = join(dir, 'device.json');
  await writeFile(cfg, JSON.stringify({ hall: 'hall-1', device: 'kiosk-1', board: 'sim', dataDir: './data', roles: { sys: {} } }));
  const check = await run(process.execPath, [bin, 'config', 'check', cfg], { cwd: dir, env });
  t.match(check.stdout, /ok \(hall hall-1, device kiosk-1, board sim/);
  const bad = join(dir, 'bad.json');
  await writeFile(bad, JSON.stringify({ hall: 'hall-1', device: 'kiosk-1', board: 'nope', dataDir: './data' }));
  const err = await run(process.execPath, [bin, 'config', 'check', bad], { cwd: dir, env }).catch((e: { stderr: string }) => e);
  t.match(err.stderr, new RegExp(`no board "nope" in ${join(pkg, 'boards').replaceAll('/', '\\/')}`), 'reads the boards/ of the package, not of the source tree');

  const root = join(dir, 'root');
  const prov = await run(process.execPath, [bin, 'provision', '--hall', 'hall-1', '--device', 'kiosk-1', '--target', root], { cwd: dir, env });
  t.match(prov.stdout, /hall-1\/kiosk-1: ok/, 'provision finds the unit shipped in the package');
});
