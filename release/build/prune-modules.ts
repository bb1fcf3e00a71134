// The production node_modules cut down to what runs on a board. Build-time packages (node-gyp,
// prebuild-install, the C++ header packages) and everything only they need are dropped by
// walking the dependency graph from the app's own dependencies; inside the packages that stay,
// files no running program reads (type declarations, source maps, docs, tests, C/C++ sources of
// the native modules already built) go too.
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Needed only to build native modules, never loaded at run time. */
export const BUILD_ONLY_PACKAGES = ['node-gyp', 'prebuild-install', 'nan', 'node-addon-api'];

interface PackageJson {
  readonly name?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

async function readPackage(dir: string): Promise<PackageJson | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

/** Node's lookup: node_modules/<name> beside `from`, then in each folder above, up to the app. */
function resolvePackage(appDir: string, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === appDir) return undefined;
    const up = dirname(dir);
    // From node_modules/a/node_modules/b the next place to look is node_modules/a.
    dir = up.endsWith('/node_modules') ? dirname(up) : up;
  }
}

async function allPackages(modulesDir: string): Promise<string[]> {
  if (!existsSync(modulesDir)) return [];
  const out: string[] = [];
  for (const name of await readdir(modulesDir)) {
    if (name.startsWith('.')) continue;
    const dirs = name.startsWith('@') ? (await readdir(join(modulesDir, name))).map((n) => join(modulesDir, name, n)) : [join(modulesDir, name)];
    for (const dir of dirs) {
      out.push(dir);
      out.push(...(await allPackages(join(dir, 'node_modules'))));
    }
  }
  return out;
}

/** Removes packages nothing at run time can reach; returns how many went. */
export async function dropUnreachablePackages(appDir: string): Promise<number> {
  const reachable = new Set<string>();
  const queue: string[] = [appDir];
  while (queue.length > 0) {
    const dir = queue.pop()!;
    const pkg = await readPackage(dir);
    const deps = Object.keys({ ...pkg?.dependencies, ...pkg?.optionalDependencies });
    for (const name of deps) {
      if (BUILD_ONLY_PACKAGES.includes(name)) continue;
      const found = resolvePackage(appDir, dir, name);
      if (found && !reachable.has(found)) {
        reachable.add(found);
        queue.push(found);
      }
    }
  }
  let dropped = 0;
  // Deepest first, so a nested package is judged before its parent folder goes.
  for (const dir of (await allPackages(join(appDir, 'node_modules'))).sort((a, b) => b.length - a.length)) {
    if (reachable.has(dir) || !existsSync(dir)) continue;
    await rm(dir, { recursive: true, force: true });
    dropped += 1;
  }
  return dropped;
}

const DROP_DIRS = new Set(['test', 'tests', '__tests__', 'example', 'examples', 'docs', 'doc', '.github', 'benchmark', 'benchmarks', 'man']);
const DROP_FILE = /(\.d\.[cm]?ts|\.map|\.md|\.markdown|\.ts|\.tsbuildinfo|\.gyp|\.gypi|\.cc|\.cpp|\.c|\.h|\.hpp|\.o|\.a|\.mk|Makefile|\.eslintrc.*|\.npmignore|\.travis\.yml|\.editorconfig|\.prettierrc.*|tsconfig\.json)$/;
/** In packages with native code: their sources, already compiled into build/Release/*.node. */
const NATIVE_SOURCE_DIRS = ['src', 'deps', 'vendor'];

/** Drops files no running program reads; returns the bytes saved. Licence files always stay. */
export async function dropUnusedFiles(appDir: string): Promise<number> {
  let saved = 0;
  const sizeOf = async (p: string): Promise<number> => {
    const st = await lstat(p);
    if (!st.isDirectory()) return st.size;
    let n = 0;
    for (const e of await readdir(p)) n += await sizeOf(join(p, e));
    return n;
  };
  const drop = async (p: string): Promise<void> => {
    saved += await sizeOf(p);
    await rm(p, { recursive: true, force: true });
  };
  for (const pkgDir of await allPackages(join(appDir, 'node_modules'))) {
    if (!existsSync(pkgDir)) continue;
    if (existsSync(join(pkgDir, 'binding.gyp'))) for (const d of NATIVE_SOURCE_DIRS) if (existsSync(join(pkgDir, d))) await drop(join(pkgDir, d));
  }
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isSymbolicLink()) await drop(p);
      else if (entry.isDirectory()) {
        if (entry.name === '.bin' || DROP_DIRS.has(entry.name)) await drop(p);
        else await visit(p);
      } else if (DROP_FILE.test(entry.name) && !/^licen[cs]e/i.test(entry.name)) await drop(p);
    }
  };
  await visit(join(appDir, 'node_modules'));
  return saved;
}
