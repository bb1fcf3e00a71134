// Raspberry Pi OS boot partitions made by the provisioning tests (MBR written here, FAT by
// mkfs.vfat at the partition's offset), read back with mcopy, and a signed test release.
import { execFileSync } from 'node:child_process';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../../testkit/temp.js';
import { makeTestRelease } from '../../testkit/test-release.js';
import { skipWithout } from '../../testkit/required-tools.js';

export const CLI_KILL_MS = 90_000;
export const PART_START = 2048;
const has = (bin: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
export const toolsSkip = () => skipWithout('mtools', has('mcopy') && has('mkfs.vfat'), 'apt-get install mtools dosfstools');

/** A 48 MiB image: an MBR with one FAT32-LBA partition at sector 2048, or (bare) FAT from byte 0. */
export async function makeImage(file: string, markers: Record<string, string>, bare = false): Promise<number> {
  const size = 48 * 1024 * 1024;
  const fh = await open(file, 'w');
  await fh.truncate(size);
  if (!bare) {
    const mbr = Buffer.alloc(512);
    const e = 446;
    mbr[e + 4] = 0x0c;
    mbr.writeUInt32LE(PART_START, e + 8);
    mbr.writeUInt32LE(size / 512 - PART_START, e + 12);
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
    await fh.write(mbr, 0, 512, 0);
  }
  await fh.close();
  const offset = bare ? 0 : PART_START * 512;
  execFileSync('mkfs.vfat', ['-n', 'bootfs', ...(bare ? [] : [`--offset=${PART_START}`]), file, ...(bare ? [] : [String((size - offset) / 1024)])], { stdio: 'ignore' });
  for (const [name, text] of Object.entries(markers)) {
    const local = `${file}.${name}`;
    await writeFile(local, text);
    execFileSync('mcopy', ['-i', `${file}@@${offset}`, local, `::/${name}`], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
  }
  return offset;
}

export const readBackBytes = (image: string, offset: number, path: string) =>
  execFileSync('mcopy', ['-n', '-i', `${image}@@${offset}`, `::/${path}`, '-'], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' }, maxBuffer: 64 << 20 });
export const readBack = (image: string, offset: number, path: string) => readBackBytes(image, offset, path).toString();

export async function setup(t: { teardown(fn: () => unknown): void }) {
  const dir = await tempDir(t);
  const release = await makeTestRelease(join(dir, 'release'));
  return { dir, release, tarball: release.tarball, releaseArgs: ['--tarball', release.tarball, '--release-key-pub', release.keyFile] };
}

/** A 64-bit image's config.txt, as pi-gen's arm64 branch writes it. */
export const CONFIG_64 = '# Run in 64-bit mode\narm_64bit=1\n';

export const CMDLINE = 'console=serial0,115200 console=tty1 root=PARTUUID=1234-02 rootfstype=ext4 fsck.repair=yes rootwait\n';

