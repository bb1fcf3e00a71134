// A stand-in for a Raspberry Pi OS (64-bit) SD card image, for booting under qemu-system-aarch64:
// an MBR with a FAT32 partition labelled `bootfs` (the files Raspberry Pi OS puts there:
// config.txt with arm_64bit=1, cmdline.txt naming the root by PARTUUID, issue.txt, and on Trixie
// cloud-init's user-data, meta-data and network-config as pi-gen writes them) and an ext4 root
// labelled `rootfs` made from a Debian arm64 root (scripts/board-image/build-root.sh, cached).
// Made without mounting anything: mkfs.ext4 -d, mkfs.vfat and mtools, sfdisk for the table.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MTOOLS_ENV = { ...process.env, MTOOLS_SKIP_CHECK: '1' };
const SECTOR = 512;
/** Where Raspberry Pi OS images start their boot partition (4 MiB) and its size. */
const BOOT_START_SECTORS = 8192;
const BOOT_MIB = 512;
/** The disk identifier; partition n's PARTUUID is `<id>-0n`, as on a Pi. */
export const DISK_ID = '4c7e1a2b';

export type StandInOs = 'trixie' | 'bookworm';

export interface CachedRoot {
  readonly dir: string;
  readonly kernel: string;
  readonly initrd: string;
}

export function cacheDir(): string {
  return process.env['HALLD_BOOT_CACHE'] ?? '/var/cache/halld-boot';
}

/** The root built by scripts/board-image/build-root.sh, if it is there. */
export function cachedRoot(os: StandInOs, cache = cacheDir()): CachedRoot | undefined {
  const dir = join(cache, `${os}-arm64`);
  if (!existsSync(join(dir, 'done'))) return undefined;
  return { dir: join(dir, 'root'), kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img') };
}

/** config.txt of pi-gen's arm64 branch, cut to what matters here. */
const CONFIG_TXT = `# For more options and information see
# http://rptl.io/configtxt
dtparam=audio=on
camera_auto_detect=1
display_auto_detect=1
auto_initramfs=1
dtoverlay=vc4-kms-v3d
max_framebuffers=2
disable_fw_kms_setup=1
# Run in 64-bit mode
arm_64bit=1
disable_overscan=1
arm_boost=1
`;

/** The seed files Raspberry Pi OS Trixie ships on bootfs (all settings commented out). */
const TRIXIE_SEED: Record<string, string> = {
  'user-data': '#cloud-config\n\n# This is the user-data configuration file for cloud-init.\n#hostname: raspberrypi\n',
  'meta-data': '# This is the meta-data configuration file for cloud-init.\ndsmode: local\ninstance_id: rpios-image\n',
  'network-config': '# This file contains a netplan-compatible configuration which cloud-init will\n# apply on first-boot.\n#network:\n#  version: 2\n',
};

export interface StandInImage {
  readonly file: string;
  readonly bootOffset: number;
}

/** Writes the image: boot partition from the OS's files, root from the cached Debian arm64 root. */
export async function makeStandInImage(dir: string, os: StandInOs, root: CachedRoot, rootMib = 3072): Promise<StandInImage> {
  await mkdir(dir, { recursive: true });
  const boot = join(dir, 'boot.part');
  const rootPart = join(dir, 'root.part');
  const file = join(dir, `raspios-${os}-arm64.img`);
  // The boot partition.
  await run('truncate', ['-s', `${BOOT_MIB}M`, boot]);
  await run('mkfs.vfat', ['-F', '32', '-n', 'bootfs', boot]);
  const files: Record<string, string> = {
    'config.txt': CONFIG_TXT,
    'cmdline.txt': `console=serial0,115200 console=tty1 root=PARTUUID=${DISK_ID}-02 rootfstype=ext4 fsck.repair=yes rootwait resize\n`,
    'issue.txt': `Raspberry Pi reference (halld stand-in, ${os} arm64)\n`,
    // The Pi's firmware loads this; qemu is given the same kernel with -kernel.
    'kernel8.img': 'see the stand-in: qemu boots the kernel of the root with -kernel\n',
    ...(os === 'trixie' ? TRIXIE_SEED : {}),
  };
  for (const [name, text] of Object.entries(files)) {
    const local = join(dir, `boot-${name}`);
    await writeFile(local, text);
    await run('mcopy', ['-i', boot, local, `::/${name}`], { env: MTOOLS_ENV });
  }
  // The root partition, filled from the cached root without mounting it.
  await run('mkfs.ext4', ['-q', '-F', '-L', 'rootfs', '-d', root.dir, rootPart, `${rootMib}M`], { maxBuffer: 16 << 20 });
  // The disk: MBR, then both partitions at their offsets (sparse).
  const rootStart = BOOT_START_SECTORS + BOOT_MIB * 2048;
  await run('truncate', ['-s', `${(rootStart * SECTOR) / (1 << 20) + rootMib}M`, file]);
  const table = `label: dos\nlabel-id: 0x${DISK_ID}\nstart=${BOOT_START_SECTORS}, size=${BOOT_MIB * 2048}, type=c\nstart=${rootStart}, size=${rootMib * 2048}, type=83\n`;
  await new Promise<void>((resolve, reject) => {
    const child = execFile('sfdisk', ['--no-reread', '--no-tell-kernel', file], (err) => (err ? reject(err) : resolve()));
    child.stdin?.end(table);
  });
  await run('dd', [`if=${boot}`, `of=${file}`, `bs=1M`, `seek=${(BOOT_START_SECTORS * SECTOR) >> 20}`, 'conv=notrunc,sparse', 'status=none']);
  await run('dd', [`if=${rootPart}`, `of=${file}`, `bs=1M`, `seek=${(rootStart * SECTOR) >> 20}`, 'conv=notrunc,sparse', 'status=none']);
  await run('rm', ['-f', boot, rootPart]);
  return { file, bootOffset: BOOT_START_SECTORS * SECTOR };
}

/** A file of the image's boot partition (mtools), or undefined when it is not there. */
export async function bootFile(image: StandInImage, path: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('mcopy', ['-n', '-i', `${image.file}@@${image.bootOffset}`, `::/${path}`, '-'], { env: MTOOLS_ENV, maxBuffer: 64 << 20 });
    return stdout;
  } catch {
    return undefined;
  }
}

/**
 * The kernel command line the Pi's firmware would pass, from the card's cmdline.txt, for qemu's
 * `virt` machine: the Pi's serial alias is the PL011 ttyAMA0 there (and the last console= is
 * /dev/console), the wired port keeps the name eth0 as on a Pi, and `resize` (a Raspberry Pi OS
 * initramfs hook) has nothing to do.
 */
export async function kernelCommandLine(image: StandInImage): Promise<string> {
  const text = (await bootFile(image, 'cmdline.txt')) ?? '';
  const words = text.trim().split(/\s+/).filter((w) => w !== '' && w !== 'resize' && !w.startsWith('console='));
  return [...words, 'console=tty1', 'console=ttyAMA0,115200', 'net.ifnames=0'].join(' ');
}
