// A small signed release in the real format (manifest.json with every file's SHA-256, manifest.sig
// by a key made for the test, packed as the builder packs), for tests of what handles releases:
// provisioning, the install script, `halld release`. Its bin/node is a stand-in that runs this
// checkout's halld with this machine's Node, so the install steps that run the release work
// here; the real releases (npm run release) are tested in test/release/.
import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ReleaseArch } from '../release/arch.js';
import { keyFingerprint, manifestBytes, MANIFEST_FILE, MANIFEST_FORMAT, SIGNATURE_FILE, signManifest, type ReleaseManifest } from '../release/manifest.js';
import { describeFile, walkTree } from '../release/release-tree.js';
import { packDir } from '../release/tarball.js';
import { CLI } from './device-process.js';

export interface TestKeys {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export function releaseKeys(): TestKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export interface TestReleaseOptions {
  readonly arch?: ReleaseArch;
  readonly version?: string;
  readonly keys?: TestKeys;
  /** Extra files (path → content) besides the stand-in runtime. */
  readonly files?: Readonly<Record<string, string>>;
  /** Changes the folder after signing and before packing (an altered release). */
  readonly tamper?: (dir: string) => Promise<void>;
}

export interface TestRelease {
  readonly tarball: string;
  readonly keys: TestKeys;
  /** The public key as a file, as an installer gets it. */
  readonly keyFile: string;
  readonly manifest: ReleaseManifest;
}

/** bin/node: `node dist/halld.mjs …` of the release runs this checkout's halld on this machine's Node. */
function standInNode(): string {
  return `#!/bin/sh\n# stand-in for the release's Node.js (tests only)\nshift\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`;
}

export async function makeTestRelease(dir: string, opts: TestReleaseOptions = {}): Promise<TestRelease> {
  const arch = opts.arch ?? 'arm64';
  const version = opts.version ?? '0.1.0';
  const keys = opts.keys ?? releaseKeys();
  const name = `halld-${version}-linux-${arch}`;
  const work = await mkdtemp(join(tmpdir(), 'halld-test-release-'));
  try {
    const root = join(work, name);
    const files: Record<string, string> = { 'bin/node': standInNode(), 'dist/halld.mjs': '// the stand-in node runs the checkout\'s halld\n', 'package.json': `${JSON.stringify({ name: 'halld', version })}\n`, ...opts.files };
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    }
    await chmod(join(root, 'bin/node'), 0o755);
    const listed: ReleaseManifest['files'] = {};
    let unpacked = 0;
    for (const entry of await walkTree(root)) {
      if (entry.kind !== 'file') continue;
      listed[entry.path] = await describeFile(root, entry);
      unpacked += entry.size;
    }
    const manifest: ReleaseManifest = {
      format: MANIFEST_FORMAT,
      name: 'halld',
      version,
      platform: 'linux',
      arch,
      node: { version: process.versions.node, modules: process.versions.modules, napi: process.versions.napi ?? '0' },
      signedBy: keyFingerprint(keys.publicKeyPem),
      builtAt: new Date(0).toISOString(),
      unpackedBytes: unpacked,
      files: listed,
    };
    const bytes = manifestBytes(manifest);
    await writeFile(join(root, MANIFEST_FILE), bytes);
    await writeFile(join(root, SIGNATURE_FILE), signManifest(bytes, keys.privateKeyPem));
    await opts.tamper?.(root);
    await mkdir(dir, { recursive: true });
    const tarball = join(dir, `${name}.tar.gz`);
    await packDir(work, name, tarball, 0);
    const keyFile = join(dir, `release-${manifest.signedBy}.pub`);
    await writeFile(keyFile, keys.publicKeyPem);
    return { tarball, keys, keyFile, manifest };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
