// A release folder on disk against its manifest: every file the manifest names is there with
// its size, hash and mode, and nothing else is (no extra file, no symlink, no device node),
// so what runs is exactly what was signed. Also the walk the builder uses to write the manifest.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, ReleaseError, SIGNATURE_FILE, verifyManifestSignature, type ReleaseFile, type ReleaseManifest } from './manifest.js';
import type { KeyObject } from 'node:crypto';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface TreeEntry {
  readonly path: string;
  readonly kind: 'file' | 'dir' | 'other';
  readonly size: number;
  readonly executable: boolean;
}

/** Every entry under `root`, depth first, paths '/'-separated and relative; symlinks are 'other'. */
export async function walkTree(root: string): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const visit = async (rel: string): Promise<void> => {
    const names = (await readdir(join(root, rel))).sort();
    for (const name of names) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const st = await lstat(join(root, path));
      if (st.isDirectory()) {
        out.push({ path, kind: 'dir', size: 0, executable: false });
        await visit(path);
      } else {
        out.push({ path, kind: st.isFile() ? 'file' : 'other', size: st.size, executable: (st.mode & 0o111) !== 0 });
      }
    }
  };
  await visit('');
  return out;
}

export async function describeFile(root: string, entry: TreeEntry): Promise<ReleaseFile> {
  return { sha256: await sha256File(join(root, entry.path)), size: entry.size, mode: entry.executable ? 0o755 : 0o644 };
}

const isManifestPart = (path: string) => path === MANIFEST_FILE || path === SIGNATURE_FILE;

/**
 * Checks the folder's signature and files. Returns the manifest; throws a ReleaseError whose
 * message names the first few files that differ (a damaged card shows where).
 */
export async function verifyReleaseTree(root: string, publicKey: string | KeyObject, where: string = root): Promise<ReleaseManifest> {
  let bytes: Buffer;
  let signature: string;
  try {
    bytes = await readFile(join(root, MANIFEST_FILE));
    signature = await readFile(join(root, SIGNATURE_FILE), 'utf8');
  } catch (err) {
    throw new ReleaseError('NOT_A_RELEASE', `${where}: not a halld release (no ${(err as NodeJS.ErrnoException).path?.endsWith(SIGNATURE_FILE) ? SIGNATURE_FILE : MANIFEST_FILE}); make one with \`npm run release\``, { cause: err });
  }
  const manifest = verifyManifestSignature(bytes, signature, publicKey, where);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of await walkTree(root)) {
    if (entry.kind === 'dir' || isManifestPart(entry.path)) continue;
    const listed = manifest.files[entry.path];
    if (entry.kind === 'other') problems.push(`${entry.path}: not a regular file`);
    else if (!listed) problems.push(`${entry.path}: not in the manifest`);
    else {
      seen.add(entry.path);
      if (listed.size !== entry.size) problems.push(`${entry.path}: ${entry.size} bytes, the manifest says ${listed.size}`);
      else if ((await sha256File(join(root, entry.path))) !== listed.sha256) problems.push(`${entry.path}: content differs from the manifest`);
      else if ((listed.mode === 0o755) !== entry.executable) problems.push(`${entry.path}: mode differs from the manifest`);
    }
  }
  for (const path of Object.keys(manifest.files)) if (!seen.has(path) && !problems.some((p) => p.startsWith(`${path}:`))) problems.push(`${path}: missing`);
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ');
    throw new ReleaseError('FILES', `${where}: ${problems.length} file${problems.length === 1 ? '' : 's'} do not match the signed manifest (${shown}${problems.length > 5 ? '; …' : ''})`);
  }
  return manifest;
}
