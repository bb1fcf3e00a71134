// Native modules for the release's architecture and Node: every package of the production tree
// that has a binding.gyp is built from its source with node-gyp against the release's own Node
// headers (--nodedir), with Debian's cross compiler for arm64 (g++-aarch64-linux-gnu). Prebuilt
// binaries some packages carry are removed, so the only native code in a release is what was
// built here. Results are cached by package, version, architecture and Node version: sqlite3
// alone takes minutes to build.
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ARCH_NAMES, type ReleaseArch } from '../arch.js';
import type { NodeRuntime } from './node-runtime.js';
import { runCommand, StepError } from './run-command.js';

/** Package folders (under node_modules, at any depth) that hold a binding.gyp. */
export async function nativePackages(appDir: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (modulesDir: string): Promise<void> => {
    if (!existsSync(modulesDir)) return;
    for (const name of await readdir(modulesDir)) {
      if (name.startsWith('.')) continue;
      const dirs = name.startsWith('@') ? (await readdir(join(modulesDir, name))).map((n) => join(modulesDir, name, n)) : [join(modulesDir, name)];
      for (const dir of dirs) {
        if (existsSync(join(dir, 'binding.gyp'))) found.push(dir);
        await visit(join(dir, 'node_modules'));
      }
    }
  };
  await visit(join(appDir, 'node_modules'));
  return found.sort();
}

/** node-gyp as npm ships it (npm sets npm_config_node_gyp for the scripts it runs). */
async function nodeGypScript(): Promise<string> {
  const fromNpm = process.env['npm_config_node_gyp'];
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  const root = (await runCommand('npm', ['root', '-g'])).trim();
  const p = join(root, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (!existsSync(p)) throw new StepError(`node-gyp not found (looked at ${p}); run the build through \`npm run release\``);
  return p;
}

function toolchainEnv(arch: ReleaseArch): NodeJS.ProcessEnv {
  const prefix = ARCH_NAMES[arch].crossPrefix;
  if (prefix === '') return { ...process.env };
  return { ...process.env, CC: `${prefix}gcc`, CXX: `${prefix}g++`, LINK: `${prefix}g++`, AR: `${prefix}ar`, RANLIB: `${prefix}ranlib` };
}

async function nodeFiles(dir: string): Promise<string[]> {
  return existsSync(dir) ? (await readdir(dir)).filter((n) => n.endsWith('.node')) : [];
}

export interface BuiltModule {
  readonly name: string;
  readonly version: string;
  /** .node files, relative to the app folder. */
  readonly files: readonly string[];
  readonly cached: boolean;
  readonly seconds: number;
}

export async function buildNativeModules(appDir: string, arch: ReleaseArch, node: NodeRuntime, cacheDir: string, log: (line: string) => void): Promise<BuiltModule[]> {
  const gyp = await nodeGypScript();
  const env = toolchainEnv(arch);
  const strip = `${ARCH_NAMES[arch].crossPrefix}strip`;
  const built: BuiltModule[] = [];
  for (const dir of await nativePackages(appDir)) {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
    const started = Date.now();
    const release = join(dir, 'build', 'Release');
    const cache = join(cacheDir, 'native', `${pkg.name.replace('/', '+')}@${pkg.version}-${arch}-node${node.version}`);
    // Binaries shipped inside the package (prebuilds/ for other platforms) never reach a board.
    await rm(join(dir, 'prebuilds'), { recursive: true, force: true });
    const cached = (await nodeFiles(cache)).length > 0;
    if (cached) {
      await rm(join(dir, 'build'), { recursive: true, force: true });
      await mkdir(release, { recursive: true });
      await cp(cache, release, { recursive: true });
    } else {
      await runCommand(process.execPath, [gyp, 'rebuild', `--arch=${arch}`, `--nodedir=${node.dir}`, '--jobs=2', '--release'], { cwd: dir, env }).catch((err: unknown) => {
        throw new StepError(`${pkg.name}@${pkg.version} for ${arch}: ${(err as Error).message}`);
      });
      const outputs = await nodeFiles(release);
      if (outputs.length === 0) throw new StepError(`${pkg.name}@${pkg.version}: node-gyp made no .node file`);
      // Keep only the loadable modules: object files and build scripts are not for the board.
      for (const entry of await readdir(release)) if (!entry.endsWith('.node')) await rm(join(release, entry), { recursive: true, force: true });
      for (const file of outputs) await runCommand(strip, ['--strip-unneeded', join(release, file)]);
      await mkdir(cache, { recursive: true });
      await cp(release, cache, { recursive: true });
    }
    // Only build/Release/*.node is loaded at run time (bindings / node-gyp-build look there).
    for (const entry of await readdir(join(dir, 'build'))) if (entry !== 'Release') await rm(join(dir, 'build', entry), { recursive: true, force: true });
    const files = (await nodeFiles(release)).map((f) => relative(appDir, join(release, f)));
    built.push({ name: pkg.name, version: pkg.version, files, cached, seconds: (Date.now() - started) / 1000 });
    log(`  ${pkg.name}@${pkg.version}: ${cached ? 'from cache' : `built in ${((Date.now() - started) / 1000).toFixed(0)} s`}`);
  }
  return built;
}
