// One device into a Raspberry Pi OS image file or SD card (`--image`), through its FAT boot
// partition and mtools: the release tarball, the device config, the unit, the install script,
// and the first-boot hook of the image's OS generation.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BootPartition, bootPartitionOffset } from './boot-partition.js';
import { bookwormFirstrun, hookedCmdline, IMAGE_DIR, installScript, mergedUserData, metaData, NETWORK_CONFIG, type PiOs } from './first-boot-files.js';
import { ProvisionError } from './mosquitto-passwd.js';
import { provisionDevice, type ProvisionOptions, type ProvisionResult } from './provision-device.js';
import { CONFIG_PATH, UNIT_PATH } from './target-root.js';
import { TLS_FILES } from './device-certificate.js';
import { existsSync } from 'node:fs';

export interface ImageOptions extends Omit<ProvisionOptions, 'target'> {
  image: string;
  tarball: string;
  offset?: number;
  os?: PiOs;
}

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
    // Everything that can refuse the image is checked before the device (and its broker account) is made.
    const userData = os === 'trixie' ? mergedUserData(names.includes('user-data') ? await boot.read('user-data') : undefined, opts.spec.device) : undefined;
    if (userData && 'conflict' in userData) throw new ProvisionError('IMAGE_USER_DATA', `${opts.image}: ${userData.conflict}`);
    const cmdline = os === 'bookworm' ? await readIfPresent(boot, 'cmdline.txt') : undefined;
    if (os === 'bookworm' && cmdline === undefined) throw new ProvisionError('IMAGE_NO_CMDLINE', `${opts.image}: no cmdline.txt on the boot partition to hook firstrun.sh into`);
    const result = await provisionDevice({ ...opts, target: staging });
    const local = async (name: string, text: string) => {
      const f = join(staging, name);
      await writeFile(f, text);
      return f;
    };
    await boot.mkdir(IMAGE_DIR);
    await boot.put(join(staging, CONFIG_PATH), `${IMAGE_DIR}/device.json`);
    await boot.put(join(staging, UNIT_PATH), `${IMAGE_DIR}/halld.service`);
    await boot.put(await local('install-halld.sh', installScript()), `${IMAGE_DIR}/install-halld.sh`);
    const tgz = join(staging, 'halld.tgz');
    await copyFile(opts.tarball, tgz);
    await boot.put(tgz, `${IMAGE_DIR}/halld.tgz`);
    const files = [`${IMAGE_DIR}/device.json`, `${IMAGE_DIR}/halld.service`, `${IMAGE_DIR}/install-halld.sh`, `${IMAGE_DIR}/halld.tgz`];
    for (const name of Object.values(TLS_FILES)) {
      const staged = join(staging, dirname(CONFIG_PATH), name);
      if (!existsSync(staged)) continue;
      await boot.put(staged, `${IMAGE_DIR}/${name}`);
      files.push(`${IMAGE_DIR}/${name}`);
    }
    if (userData) {
      await boot.put(await local('user-data', userData.text), 'user-data');
      files.push('user-data');
      for (const [name, text] of [['meta-data', metaData(opts.spec.hall, opts.spec.device)], ['network-config', NETWORK_CONFIG]] as const) {
        // Someone's Wi-Fi or instance settings stay as they are.
        if (names.includes(name)) continue;
        await boot.put(await local(name, text), name);
        files.push(name);
      }
    } else {
      const current = await readIfPresent(boot, 'firstrun.sh');
      const ours = current?.includes('halld-install.service') === true;
      const chain = (current !== undefined && !ours) || names.includes('firstrun-imager.sh');
      if (current !== undefined && !ours) await boot.rename('firstrun.sh', 'firstrun-imager.sh');
      await boot.put(await local('firstrun.sh', bookwormFirstrun(chain)), 'firstrun.sh');
      await boot.put(await local('cmdline.txt', hookedCmdline(cmdline ?? '')), 'cmdline.txt');
      files.push('firstrun.sh', 'cmdline.txt');
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

