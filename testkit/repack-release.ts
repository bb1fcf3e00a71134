// A second release made from a real one, as a release builder would make it: unpacked, given
// another version (package.json and the manifest), optionally changed (a release that crashes
// at start), every file hashed again into a new manifest, signed with the given key and
// packed. Packed with gzip -1, not the builder's -9: the bytes inside are what a test is
// about, and -9 of 120 MB takes a shared CI core most of a minute. Kept in a cache folder
// by the source tarball, version and variant, so repeated runs reuse it.
import { spawn } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keyFingerprint, manifestBytes, MANIFEST_FILE, SIGNATURE_FILE, signManifest, type ReleaseManifest } from '../release/manifest.js';
import { describeFile, walkTree } from '../release/release-tree.js';

export interface RepackOptions {
  readonly version: string;
  readonly privateKeyPem: string;
  /** Names the variant in the cache ('good', 'crash'); required with `change`. */
  readonly variant: string;
  /** Changes the unpacked folder before it is signed. */
  readonly change?: (dir: string) => Promise<void>;
  /** Changes the folder after it was signed (an altered release); needs its own variant name. */
  readonly tamper?: (dir: string) => Promise<void>;
}

function tar(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar ${args[0] ?? ''}: ${err.trim() || code}`))));
  });
}

export async function repackRelease(source: string, cacheDir: string, o: RepackOptions): Promise<string> {
  const srcStat = await stat(source);
  const manifestOf = async (dir: string) => JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as ReleaseManifest;
  const key = `${Math.floor(srcStat.mtimeMs)}-${srcStat.size}-${o.variant}-${keyFingerprint(publicPem(o.privateKeyPem))}`;
  const arch = /-linux-(arm64|x64)\.tar\.gz$/.exec(source)?.[1];
  if (arch === undefined) throw new Error(`${source}: not named halld-<version>-linux-<arch>.tar.gz`);
  const name = `halld-${o.version}-linux-${arch}`;
  const out = join(cacheDir, `${name}-${key}.tar.gz`);
  if (existsSync(out)) return out;
  await mkdir(cacheDir, { recursive: true });
  const work = await mkdtemp(join(cacheDir, '.work-'));
  try {
    await tar(['--extract', '--gzip', '--file', source, '--directory', work]);
    const [srcTop] = (await readdir(work)).filter((n) => n.startsWith('halld-'));
    if (srcTop === undefined) throw new Error(`${source}: no top folder`);
    const old = await manifestOf(join(work, srcTop));
    const dir = join(work, name);
    if (name !== srcTop) await rename(join(work, srcTop), dir);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'package.json'), `${JSON.stringify({ ...pkg, version: o.version }, null, 2)}\n`);
    await o.change?.(dir);
    await rm(join(dir, MANIFEST_FILE));
    await rm(join(dir, SIGNATURE_FILE));
    const files: ReleaseManifest['files'] = {};
    let unpacked = 0;
    for (const entry of await walkTree(dir)) {
      if (entry.kind !== 'file') continue;
      files[entry.path] = await describeFile(dir, entry);
      unpacked += entry.size;
    }
    const manifest: ReleaseManifest = { ...old, version: o.version, signedBy: keyFingerprint(publicPem(o.privateKeyPem)), unpackedBytes: unpacked, files };
    const bytes = manifestBytes(manifest);
    await writeFile(join(dir, MANIFEST_FILE), bytes);
    await writeFile(join(dir, SIGNATURE_FILE), signManifest(bytes, o.privateKeyPem));
    await o.tamper?.(dir);
    // Its own temp name: two test files repacking the same release at once (they run in
    // parallel) would otherwise write one file together and rename it half-written. Fixed
    // times make both give the same bytes, so the later rename changes nothing another test
    // already computed an offer (size, sha256) from.
    const tmp = join(work, `${name}.tar.gz`);
    await tar(['--create', '--file', tmp, '--directory', work, '--sort=name', `--mtime=@${Math.floor(srcStat.mtimeMs / 1000)}`, '--owner=0', '--group=0', '--numeric-owner', '--use-compress-program=gzip -1n', name]);
    await rename(tmp, out);
    return out;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function publicPem(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}
