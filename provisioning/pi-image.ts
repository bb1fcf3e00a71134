// One device into a Raspberry Pi OS image file or SD card (`--image`), through its FAT boot
// partition and mtools: the signed release, the device config, the units, the install script,
// and the first-boot hook of the image's OS generation. Everything that can refuse the image
// (OS, architecture, release, room on the partition) is checked before anything is written.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BootPartition, bootPartitionOffset } from './boot-partition.js';
import {
  bookwormFirstrun,
  hookedCmdline,
  IMAGE_DIR,
  INSTALL_SCRIPT,
  INSTALL_UNIT,
  installScript,
  installUnit,
  mergedUserData,
  metaData,
  NETWORK_CONFIG,
  RELEASE_ENV,
  RELEASE_KEY_FILE,
  releaseEnv,
  type PiOs,
} from './first-boot-files.js';
import { imageArch } from './image-arch.js';
import { ProvisionError } from './mosquitto-passwd.js';
import { provisionDevice, type ProvisionOptions, type ProvisionResult } from './provision-device.js';
import { checkedRelease, type CheckedRelease } from './release-check.js';
import { CONFIG_PATH, UNIT_PATH } from './target-root.js';
import { TLS_FILES } from './device-certificate.js';

export interface ImageOptions extends Omit<ProvisionOptions, 'target'> {
  image: string;
  /** The signed release tarball (npm run release), or one checked already for a batch. */
  release: string | CheckedRelease;
  /** The release key's public half (PEM text): the tarball must be signed by it. */
  releaseKey: string;
  offset?: number;
  os?: PiOs;
  /** A cloud-config merged into user-data (Trixie): the installer's own user, time zone, SSH. */
  userData?: string;
}

/** Room left on the boot partition besides the files, so the OS can still write there. */
const BOOT_SLACK_BYTES = 1 << 20;

export function detectOs(names: readonly string[]): PiOs {
  if (names.some((n) => n === 'user-data' || n === 'meta-data' || n === 'network-config')) return 'trixie';
  if (names.includes('cmdline.txt')) return 'bookworm';
  throw new ProvisionError('IMAGE_OS_UNKNOWN', 'the boot partition has neither cloud-init files (Trixie) nor cmdline.txt (Bookworm); pass --os');
}

export async function provisionImage(opts: ImageOptions): Promise<ProvisionResult & { os: PiOs; offset: number }> {
  const offset = opts.offset ?? (await bootPartitionOffset(opts.image));
  const boot = new BootPartition(opts.image, offset);
  const names = await boot.list();
  const os = opts.os ?? detectOs(names);
  const arch = imageArch(names, await readIfPresent(boot, 'config.txt'));
  if (arch === 'armhf') throw new ProvisionError('IMAGE_32BIT', `${opts.image}: this is 32-bit Raspberry Pi OS (armhf); halld runs on the 64-bit image: write Raspberry Pi OS (64-bit) and provision that`);
  const release = typeof opts.release === 'string' ? await checkedRelease(opts.release, opts.releaseKey) : opts.release;
  if (release.manifest.arch !== 'arm64') throw new ProvisionError('RELEASE_ARCH', `${release.file}: a release for ${release.manifest.arch}; a Raspberry Pi image needs halld-${release.manifest.version}-linux-arm64.tar.gz`);
  if (opts.userData !== undefined && os !== 'trixie') throw new ProvisionError('USAGE', `--user-data is cloud-init's: ${opts.image} is ${os}, which has no cloud-init (use Raspberry Pi Imager's settings there)`);
  const staging = await mkdtemp(join(tmpdir(), 'halld-image-'));
  try {
    // The config already on the card (a re-run) is staged as the target's, so its identity and
    // password are judged exactly as for --target.
    const existing = names.includes(`${IMAGE_DIR}/`) ? await readIfPresent(boot, `${IMAGE_DIR}/device.json`) : undefined;
    if (existing !== undefined) {
      await mkdir(dirname(join(staging, CONFIG_PATH)), { recursive: true });
      await writeFile(join(staging, CONFIG_PATH), existing, { mode: 0o600 });
      // So is its TLS key and certificate: a re-run keeps them as on a root file system.
      for (const name of Object.values(TLS_FILES)) {
        const text = await readIfPresent(boot, `${IMAGE_DIR}/${name}`);
        if (text !== undefined) await writeFile(join(staging, dirname(CONFIG_PATH), name), text, { mode: 0o600 });
      }
    }
    const userData = os === 'trixie' ? mergedUserData(names.includes('user-data') ? await boot.read('user-data') : undefined, opts.spec.device, opts.userData) : undefined;
    if (userData && 'conflict' in userData) throw new ProvisionError('IMAGE_USER_DATA', `${opts.image}: ${userData.conflict}`);
    const cmdline = os === 'bookworm' ? await readIfPresent(boot, 'cmdline.txt') : undefined;
    if (os === 'bookworm' && cmdline === undefined) throw new ProvisionError('IMAGE_NO_CMDLINE', `${opts.image}: no cmdline.txt on the boot partition to hook firstrun.sh into`);
    const oldReleases = names.includes(`${IMAGE_DIR}/`) ? (await boot.list(IMAGE_DIR)).filter((n) => n.endsWith('.tar.gz')) : [];
    let reclaimable = 0;
    for (const name of oldReleases) reclaimable += (await boot.size(`${IMAGE_DIR}/${name}`)) ?? 0;
    const free = (await boot.freeBytes()) + reclaimable;
    if (free < release.size + BOOT_SLACK_BYTES) {
      throw new ProvisionError('IMAGE_BOOT_FULL', `${opts.image}: the boot partition has ${(free / 1e6).toFixed(1)} MB free, the release needs ${((release.size + BOOT_SLACK_BYTES) / 1e6).toFixed(1)} MB; remove files from it or use an image with a larger boot partition`);
    }

    const result = await provisionDevice({ ...opts, target: staging });
    const local = async (name: string, text: string) => {
      const f = join(staging, name);
      await writeFile(f, text);
      return f;
    };
    await boot.mkdir(IMAGE_DIR);
    for (const name of oldReleases) if (name !== release.name) await boot.remove(`${IMAGE_DIR}/${name}`);
    const files: string[] = [];
    const put = async (localFile: string, name: string) => {
      await boot.put(localFile, name);
      files.push(name);
    };
    await put(release.file, `${IMAGE_DIR}/${release.name}`);
    const facts = { tarball: release.name, sha256: release.sha256, version: release.manifest.version, arch: release.manifest.arch, unpackedBytes: release.manifest.unpackedBytes, signedBy: release.manifest.signedBy };
    await put(await local(RELEASE_ENV, releaseEnv(facts)), `${IMAGE_DIR}/${RELEASE_ENV}`);
    await put(await local(RELEASE_KEY_FILE, opts.releaseKey), `${IMAGE_DIR}/${RELEASE_KEY_FILE}`);
    await put(join(staging, UNIT_PATH), `${IMAGE_DIR}/halld.service`);
    await put(await local(INSTALL_UNIT, installUnit()), `${IMAGE_DIR}/${INSTALL_UNIT}`);
    await put(await local(INSTALL_SCRIPT, installScript()), `${IMAGE_DIR}/${INSTALL_SCRIPT}`);
    for (const name of Object.values(TLS_FILES)) {
      const staged = join(staging, dirname(CONFIG_PATH), name);
      if (existsSync(staged)) await put(staged, `${IMAGE_DIR}/${name}`);
    }
    // The config last: a card whose writing was cut short has no device.json, and the install refuses it.
    await put(join(staging, CONFIG_PATH), `${IMAGE_DIR}/device.json`);
    if (userData) {
      await put(await local('user-data', userData.text), 'user-data');
      for (const [name, text] of [['meta-data', metaData(opts.spec.hall, opts.spec.device)], ['network-config', NETWORK_CONFIG]] as const) {
        // Someone's Wi-Fi or instance settings stay as they are.
        if (names.includes(name)) continue;
        await put(await local(name, text), name);
      }
    } else {
      const current = await readIfPresent(boot, 'firstrun.sh');
      const ours = current?.includes(INSTALL_UNIT) === true;
      const chain = (current !== undefined && !ours) || names.includes('firstrun-imager.sh');
      if (current !== undefined && !ours) await boot.rename('firstrun.sh', 'firstrun-imager.sh');
      await put(await local('firstrun.sh', bookwormFirstrun(chain)), 'firstrun.sh');
      await put(await local('cmdline.txt', hookedCmdline(cmdline ?? '')), 'cmdline.txt');
    }
    return { ...result, files, os, offset };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function readIfPresent(boot: BootPartition, path: string): Promise<string | undefined> {
  try {
    return await boot.read(path);
  } catch {
    return undefined;
  }
}
