// The Node.js runtime a release carries, from the npm registry (node-linux-<arch>: the official
// binaries with their headers), checked against the integrity pinned in release/node-runtime.json
// before anything of it is used, and kept in the build cache for the next release.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReleaseArch } from '../arch.js';
import { runCommand, StepError } from './run-command.js';

export interface NodePin {
  readonly version: string;
  readonly packages: Record<ReleaseArch, { readonly name: string; readonly integrity: string }>;
}

export async function readNodePin(file: string): Promise<NodePin> {
  return JSON.parse(await readFile(file, 'utf8')) as NodePin;
}

async function integrityOf(file: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha512-${hash.digest('base64')}`;
}

export interface NodeRuntime {
  readonly version: string;
  /** Folder with bin/node and include/node (node-gyp's --nodedir). */
  readonly dir: string;
}

/** Fetches (or finds in the cache) and unpacks the pinned Node.js for `arch`. */
export async function nodeRuntime(pin: NodePin, arch: ReleaseArch, cacheDir: string): Promise<NodeRuntime> {
  const pkg = pin.packages[arch];
  const dir = join(cacheDir, `node-${pin.version}-${arch}`);
  if (existsSync(join(dir, 'bin', 'node'))) return { version: pin.version, dir };
  await mkdir(cacheDir, { recursive: true });
  const tgz = join(cacheDir, `${pkg.name}-${pin.version}.tgz`);
  if (!existsSync(tgz)) await runCommand('npm', ['pack', `${pkg.name}@${pin.version}`, '--pack-destination', cacheDir, '--silent'], { cwd: cacheDir });
  const actual = await integrityOf(tgz);
  if (actual !== pkg.integrity) {
    await rm(tgz, { force: true });
    throw new StepError(`${pkg.name}@${pin.version}: integrity ${actual} is not the pinned ${pkg.integrity} (release/node-runtime.json)`);
  }
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await runCommand('tar', ['-xzf', tgz, '-C', tmp, '--strip-components=1', '--no-same-owner', 'package/bin/node', 'package/include', 'package/LICENSE']);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return { version: pin.version, dir };
}
