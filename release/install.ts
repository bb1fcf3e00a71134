// Installing a release under a prefix (/opt/halld on a board): each release in a folder of its
// own named by its version, `current` a symlink to the one that runs. Nothing is switched until
// the new folder is complete and verified, and the switch is one rename of a symlink, so a
// power cut at any moment leaves `current` on the old release or the new one, never on half of
// one. Used by the first boot (after the install script unpacked the tarball), by
// `halld provision --target`, and by a technician with `halld release install`.
import { mkdir, open, readFile, readlink, rename, rm, statfs, symlink, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { ARCH_NAMES, type ReleaseArch } from './arch.js';
import { MANIFEST_FILE, ReleaseError, verifyManifestSignature, type ReleaseManifest } from './manifest.js';
import { verifyReleaseTree } from './release-tree.js';
import { extractInto, listMembers, readMember } from './tarball.js';

export const CURRENT_LINK = 'current';
export const INCOMING_PREFIX = '.incoming-';

export interface InstallOptions {
  /** Where releases live: /opt/halld on a board. */
  readonly prefix: string;
  readonly publicKey: string | KeyObject;
  /** The board's architecture (default: this process's). */
  readonly arch?: string;
  readonly log?: (line: string) => void;
}

export interface InstalledRelease {
  readonly version: string;
  readonly arch: ReleaseArch;
  readonly dir: string;
  /** The release `current` pointed at before, if another one. */
  readonly previous?: string;
  /** The folder was there already, complete and the same (a re-run after a power cut). */
  readonly reused: boolean;
}

export function checkArch(manifest: ReleaseManifest, boardArch: string, where: string): void {
  if (manifest.arch === boardArch) return;
  const names = ARCH_NAMES[manifest.arch];
  throw new ReleaseError('ARCH', `${where}: a release for ${manifest.arch} (${names.uname}) cannot run on this ${boardArch} board; use halld-${manifest.version}-linux-${boardArch}.tar.gz`);
}

/** Free bytes for an unprivileged writer on the file system that holds `dir` (or its nearest existing parent). */
async function freeBytes(dir: string): Promise<number> {
  let at = resolve(dir);
  for (;;) {
    try {
      const st = await statfs(at);
      return st.bavail * st.bsize;
    } catch (err) {
      const parent = dirname(at);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === at) throw err;
      at = parent;
    }
  }
}

/** Room for the unpacked release plus a tenth: file system blocks round every file up. */
export async function checkSpace(prefix: string, manifest: ReleaseManifest, where: string): Promise<void> {
  const needed = Math.ceil(manifest.unpackedBytes * 1.1);
  const free = await freeBytes(prefix);
  if (free < needed) {
    const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
    throw new ReleaseError('NO_SPACE', `${where}: release ${manifest.version} needs ${mb(needed)} under ${prefix}, only ${mb(free)} free; free some space (or use a larger card) and run the install again`);
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function currentRelease(prefix: string): Promise<string | undefined> {
  try {
    return await readlink(join(prefix, CURRENT_LINK));
  } catch {
    return undefined;
  }
}

/** Points `current` at `version` with one rename: readers see the old link or the new one. */
export async function switchCurrent(prefix: string, version: string): Promise<void> {
  await switchLink(prefix, CURRENT_LINK, version);
}

/** Points the symlink <prefix>/<name> at `version` with one rename (current, committed). */
export async function switchLink(prefix: string, name: string, version: string): Promise<void> {
  const tmp = join(prefix, `.${name}-${process.pid}`);
  await rm(tmp, { force: true });
  await symlink(version, tmp);
  await rename(tmp, join(prefix, name));
  await fsyncDir(prefix);
}

async function sameManifest(a: string, b: string): Promise<boolean> {
  try {
    return (await readFile(join(a, MANIFEST_FILE))).equals(await readFile(join(b, MANIFEST_FILE)));
  } catch {
    return false;
  }
}

/**
 * Verifies an unpacked release folder (signature, every file, architecture), moves it to
 * <prefix>/<version> and switches `current` to it. The folder must be on the prefix's file
 * system (the install script unpacks into <prefix>/.incoming-<version>).
 */
export async function activateRelease(dir: string, opts: InstallOptions): Promise<InstalledRelease> {
  const placed = await placeRelease(dir, opts);
  const log = opts.log ?? (() => {});
  await switchCurrent(opts.prefix, placed.version);
  log(`${join(opts.prefix, CURRENT_LINK)} -> ${placed.version}${placed.previous ? ` (was ${placed.previous})` : ''}`);
  return placed;
}

/**
 * The first half of activateRelease: verifies the unpacked folder and moves it to
 * <prefix>/<version>, without switching `current` (an update tests it there first).
 */
export async function placeRelease(dir: string, opts: InstallOptions): Promise<InstalledRelease> {
  const log = opts.log ?? (() => {});
  const manifest = await verifyReleaseTree(dir, opts.publicKey);
  checkArch(manifest, opts.arch ?? process.arch, dir);
  log(`verified release ${manifest.version} (${manifest.arch}, ${Object.keys(manifest.files).length} files, signed by ${manifest.signedBy})`);
  const target = join(opts.prefix, manifest.version);
  const previous = await currentRelease(opts.prefix);
  let reused = false;
  if (resolve(dir) !== resolve(target)) {
    if (await sameManifest(dir, target)) {
      // Unpacked and moved before a power cut: the folder there is this release already.
      await verifyReleaseTree(target, opts.publicKey);
      await rm(dir, { recursive: true, force: true });
      reused = true;
    } else {
      const existing = await readdir(target).then(() => true, () => false);
      if (existing && previous === manifest.version) {
        throw new ReleaseError('INSTALL', `${target}: release ${manifest.version} is running with other content; a rebuilt release needs a new version number`);
      }
      if (existing) await rm(target, { recursive: true, force: true });
      await rename(dir, target);
      await fsyncDir(opts.prefix);
    }
  }
  return { version: manifest.version, arch: manifest.arch, dir: target, reused, ...(previous && previous !== manifest.version ? { previous } : {}) };
}

/** What the tarball is, checked before a byte of it is unpacked: signature, member list, architecture. */
export async function inspectTarball(tarball: string, publicKey: string | KeyObject): Promise<{ manifest: ReleaseManifest; top: string }> {
  let members;
  try {
    members = await listMembers(tarball);
  } catch (err) {
    throw new ReleaseError('TARBALL', `${(err as Error).message} (truncated or damaged? get the release again)`, { cause: err });
  }
  const top = members[0]?.path.split('/')[0];
  if (top === undefined || top === '' || top === '.' || top === '..') throw new ReleaseError('NOT_A_RELEASE', `${tarball}: not a halld release (empty, or no top folder)`);
  const manifestPath = `${top}/${MANIFEST_FILE}`;
  if (!members.some((m) => m.path === manifestPath)) throw new ReleaseError('NOT_A_RELEASE', `${tarball}: not a halld release (no ${manifestPath}); make one with \`npm run release\``);
  const bytes = await readMember(tarball, manifestPath);
  const signature = (await readMember(tarball, `${top}/manifest.sig`).catch(() => Buffer.alloc(0))).toString('utf8');
  const manifest = verifyManifestSignature(bytes, signature, publicKey, tarball);
  for (const m of members) {
    const inner = m.path === top ? '' : m.path.startsWith(`${top}/`) ? m.path.slice(top.length + 1) : undefined;
    const ok = inner !== undefined && (m.type === 'dir' || (m.type === 'file' && (inner in manifest.files || inner === MANIFEST_FILE || inner === 'manifest.sig')));
    if (!ok) throw new ReleaseError('FILES', `${tarball}: member ${JSON.stringify(m.path)} is not a file of the signed release`);
  }
  return { manifest, top };
}

/** The whole install from a tarball: inspect, check space, unpack beside the others, activate. */
export async function installReleaseTarball(tarball: string, opts: InstallOptions): Promise<InstalledRelease> {
  const { manifest } = await inspectTarball(tarball, opts.publicKey);
  checkArch(manifest, opts.arch ?? process.arch, tarball);
  await mkdir(opts.prefix, { recursive: true });
  await removeIncoming(opts.prefix);
  await checkSpace(opts.prefix, manifest, tarball);
  const incoming = join(opts.prefix, `${INCOMING_PREFIX}${manifest.version}`);
  await mkdir(incoming);
  try {
    await extractInto(tarball, incoming);
  } catch (err) {
    await rm(incoming, { recursive: true, force: true });
    throw new ReleaseError('TARBALL', (err as Error).message, { cause: err });
  }
  return activateRelease(incoming, opts);
}

/** Half-unpacked folders a power cut left behind. */
export async function removeIncoming(prefix: string): Promise<void> {
  for (const name of await readdir(prefix)) if (name.startsWith(INCOMING_PREFIX)) await rm(join(prefix, name), { recursive: true, force: true });
}
