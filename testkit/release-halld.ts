// Running halld from a built release (npm run release) the way a board runs it: the release's
// own bin/node and dist/halld.mjs. An arm64 release on this x86 machine runs under qemu-user:
// through binfmt_misc when it is registered (then halld's own child processes run too),
// else by calling qemu-aarch64-static with the arm64 libraries of Debian's cross packages.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReleaseArch } from '../release/arch.js';
import { CLI } from './device-process.js';

/** What to run for `halld …`: a program, the arguments before halld's own, extra environment. */
export interface HalldCommand {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly label: string;
}

export const hostHalld: HalldCommand = { file: process.execPath, args: [CLI], env: {}, label: "this checkout" };

const QEMU_LD_PREFIX = '/usr/aarch64-linux-gnu';
const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

function binfmtAarch64(): boolean {
  try {
    return readFileSync('/proc/sys/fs/binfmt_misc/qemu-aarch64', 'utf8').startsWith('enabled');
  } catch {
    return false;
  }
}

/**
 * Registers qemu-aarch64 with binfmt_misc when it is not (as root: mount binfmt_misc, then
 * update-binfmts). A board's supervisor starts `<root>/current/bin/node` itself and halld starts
 * its own children (an update's self-test), so these need the kernel to run arm64 files; calling
 * qemu by name is not enough. Returns why it cannot, or undefined when arm64 files run.
 */
export function binfmtArm64Missing(): string | undefined {
  const missing = qemuMissing();
  if (missing !== undefined) return missing;
  if (binfmtAarch64()) return undefined;
  try {
    if (!existsSync('/proc/sys/fs/binfmt_misc/register')) execFileSync('mount', ['-t', 'binfmt_misc', 'binfmt_misc', '/proc/sys/fs/binfmt_misc'], { stdio: 'ignore' });
    execFileSync('update-binfmts', ['--enable', 'qemu-aarch64'], { stdio: 'ignore' });
  } catch (err) {
    return `qemu-aarch64 is not registered with binfmt_misc and could not be (${(err as Error).message.split('\n')[0] ?? ''}); as root: mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; update-binfmts --enable qemu-aarch64`;
  }
  return binfmtAarch64() ? undefined : 'qemu-aarch64 is not enabled in binfmt_misc (update-binfmts --enable qemu-aarch64)';
}

/** Why an arm64 binary cannot run here, or undefined when it can. */
export function qemuMissing(): string | undefined {
  if (!existsSync('/usr/bin/qemu-aarch64-static')) return 'qemu-user-static is not installed (apt-get install qemu-user-static)';
  if (!existsSync(join(QEMU_LD_PREFIX, 'lib', 'ld-linux-aarch64.so.1'))) return 'the arm64 C libraries are missing (apt-get install libc6-arm64-cross libstdc++6-arm64-cross)';
  return undefined;
}

export const hostArch = process.arch as ReleaseArch;

/** The program a node of `arch` is started with here (for the floor beside halld's figures too). */
export function nodeCommand(node: string, arch: ReleaseArch): { file: string; args: string[]; env: Record<string, string> } {
  if (arch === hostArch) return { file: node, args: [], env: {} };
  if (binfmtAarch64()) return { file: node, args: [], env: { QEMU_LD_PREFIX } };
  return { file: '/usr/bin/qemu-aarch64-static', args: ['-L', QEMU_LD_PREFIX, node], env: {} };
}

export function releaseHalld(releaseDir: string, arch: ReleaseArch): HalldCommand {
  const node = nodeCommand(join(releaseDir, 'bin', 'node'), arch);
  return { file: node.file, args: [...node.args, join(releaseDir, 'dist', 'halld.mjs')], env: node.env, label: `the ${arch} release${arch === hostArch ? '' : ' under qemu-user'}` };
}

export interface BuiltRelease {
  readonly tarball: string;
  readonly keyFile: string;
}

/** A release `npm run release -- --arch <arch>` left in build/release (or HALLD_RELEASE_DIR), with its key. */
export function builtRelease(arch: ReleaseArch, version: string): BuiltRelease | undefined {
  const dir = process.env['HALLD_RELEASE_DIR'] ?? join(REPO, 'build', 'release');
  const tarball = join(dir, `halld-${version}-linux-${arch}.tar.gz`);
  const keyFile = process.env['HALLD_RELEASE_KEY_PUB'] ?? join(dir, 'dev-release-key.pub');
  return existsSync(tarball) && existsSync(keyFile) ? { tarball, keyFile } : undefined;
}
