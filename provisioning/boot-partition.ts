// The FAT boot partition of a Raspberry Pi OS image file or SD card, read and written with
// mtools (`-i image@@offset`), never mounted: no root, no loop devices, works on a laptop.
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { ProvisionError } from './mosquitto-passwd.js';

const run = promisify(execFile);
const FAT_TYPES = new Set([0x01, 0x04, 0x06, 0x0b, 0x0c, 0x0e]);
// mtools refuses some images made by other tools over geometry details it does not need.
const ENV = { ...process.env, MTOOLS_SKIP_CHECK: '1' };

/** Byte offset of the first FAT partition in the MBR, or 0 for a bare FAT file system. */
export async function bootPartitionOffset(image: string): Promise<number> {
  const fh = await open(image, 'r');
  const sector = Buffer.alloc(512);
  try {
    await fh.read(sector, 0, 512, 0);
  } finally {
    await fh.close();
  }
  if (sector[510] !== 0x55 || sector[511] !== 0xaa) throw new ProvisionError('IMAGE_UNKNOWN', `${image}: no MBR or FAT boot sector (no 55 AA signature)`);
  // A FAT boot sector carries the same signature; its file-system type string tells it apart.
  if (sector.toString('latin1', 54, 57) === 'FAT' || sector.toString('latin1', 82, 85) === 'FAT') return 0;
  for (let i = 0; i < 4; i++) {
    const entry = 446 + i * 16;
    const type = sector[entry + 4] ?? 0;
    if (FAT_TYPES.has(type)) return sector.readUInt32LE(entry + 8) * 512;
  }
  throw new ProvisionError('IMAGE_NO_BOOT', `${image}: the MBR has no FAT partition (a GPT disk, or not a Raspberry Pi OS image?)`);
}

export class BootPartition {
  constructor(
    readonly image: string,
    readonly offset: number,
  ) {}

  private get drive(): string {
    return `${this.image}@@${this.offset}`;
  }

  /** Names in the partition's root folder (or in `folder`); folders end in '/'. */
  async list(folder = ''): Promise<string[]> {
    const prefix = folder === '' ? '::/' : `::/${folder}/`;
    try {
      const { stdout } = await run('mdir', ['-i', this.drive, '-b', prefix], { env: ENV });
      return stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '').map((l) => (l.startsWith(prefix) ? l.slice(prefix.length) : l.replace(/^::\//, '')));
    } catch (err) {
      const e = err as { code?: string | number; stderr?: string };
      if (e.code === 'ENOENT') throw new ProvisionError('MTOOLS_MISSING', 'mtools is not installed (apt-get install mtools)', { cause: err });
      // An empty root folder makes `mdir -b` exit 1 with nothing on stdout.
      if (e.stderr?.includes('No files') || e.stderr === '') return [];
      throw new ProvisionError('IMAGE_UNREADABLE', `${this.image} at offset ${this.offset}: ${e.stderr?.trim() ?? String(err)}`, { cause: err });
    }
  }

  /** Free space on the partition, as mdir reports it. */
  async freeBytes(): Promise<number> {
    const { stdout } = await run('mdir', ['-i', this.drive, '::/'], { env: ENV });
    const m = /([\d ]+) bytes free/.exec(stdout);
    if (!m?.[1]) throw new ProvisionError('IMAGE_UNREADABLE', `${this.image}: mdir did not report the free space`);
    return Number(m[1].replace(/ /g, ''));
  }

  /** Size of a file on the partition, or undefined when it is not there. */
  async size(path: string): Promise<number | undefined> {
    try {
      const { stdout } = await run('mdir', ['-i', this.drive, '-a', `::/${path}`], { env: ENV });
      const m = /\s([\d ]+) bytes?\s*$/m.exec(stdout.split('\n').find((l) => /^\s*1 file/.test(l)) ?? '');
      return m?.[1] ? Number(m[1].replace(/ /g, '')) : undefined;
    } catch {
      return undefined;
    }
  }

  async remove(path: string): Promise<void> {
    await run('mdel', ['-i', this.drive, `::/${path}`], { env: ENV });
  }

  async read(path: string): Promise<string> {
    const { stdout } = await run('mcopy', ['-n', '-i', this.drive, `::/${path}`, '-'], { env: ENV, maxBuffer: 64 << 20 });
    return stdout;
  }

  async mkdir(path: string): Promise<void> {
    if ((await this.list()).includes(`${path}/`)) return;
    await run('mmd', ['-i', this.drive, `::/${path}`], { env: ENV });
  }

  /** Copies a local file in, replacing any file of that name. */
  async put(localFile: string, path: string): Promise<void> {
    await run('mcopy', ['-o', '-i', this.drive, localFile, `::/${path}`], { env: ENV });
  }

  async rename(from: string, to: string): Promise<void> {
    await run('mren', ['-D', 'o', '-i', this.drive, `::/${from}`, `::/${to}`], { env: ENV });
  }
}
