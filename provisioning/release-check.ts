// The release tarball an installer hands to `halld provision`, checked here on the laptop, where
// a mistake can still be fixed: signed by the hall's release key, every file as signed, for the
// board's architecture. The board checks the same again before it switches to it.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ReleaseError, type ReleaseManifest } from '../release/manifest.js';
import { inspectTarball } from '../release/install.js';
import { sha256File, verifyReleaseTree } from '../release/release-tree.js';
import { extractInto } from '../release/tarball.js';
import { ProvisionError } from './mosquitto-passwd.js';

export interface CheckedRelease {
  readonly file: string;
  readonly name: string;
  readonly manifest: ReleaseManifest;
  readonly sha256: string;
  readonly size: number;
}

export async function checkedRelease(tarball: string, releaseKey: string): Promise<CheckedRelease> {
  const scratch = await mkdtemp(join(tmpdir(), 'halld-release-check-'));
  try {
    const { manifest } = await inspectTarball(tarball, releaseKey);
    await extractInto(tarball, scratch);
    await verifyReleaseTree(scratch, releaseKey, tarball);
    const name = basename(tarball);
    if (!/^[A-Za-z0-9._+-]+$/.test(name)) throw new ProvisionError('RELEASE_NAME', `${tarball}: rename the file to letters, digits and . _ + - only (it goes onto a FAT partition and into a shell script)`);
    return { file: tarball, name, manifest, sha256: await sha256File(tarball), size: (await stat(tarball)).size };
  } catch (err) {
    if (err instanceof ReleaseError) throw new ProvisionError(`RELEASE_${err.code}`, err.message, { cause: err });
    throw err;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
