// `halld provision --target <root> --tarball …`: the release installed into the root file system
// as the first boot installs it on a card (<root>/opt/halld/<version>, `current`, the `halld`
// command on PATH, the release key for later updates). On a running board (`--target /`, as
// root) the service user is created too, so `systemctl restart halld` starts it.
import { execFile } from 'node:child_process';
import { lstat, mkdir, symlink, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { installReleaseTarball } from '../release/install.js';
import { ReleaseError } from '../release/manifest.js';
import { INSTALL_PREFIX, RELEASE_KEY_FILE } from './first-boot-files.js';
import { ProvisionError } from './mosquitto-passwd.js';
import type { CheckedRelease } from './release-check.js';
import { SERVICE_USER, serviceUserIds, writeFileSafe } from './target-root.js';

const run = promisify(execFile);
export const COMMAND_LINK = 'usr/local/bin/halld';
/** The groups halld.service runs with (SupplementaryGroups=), as the install script creates them. */
export const SERVICE_GROUPS = ['gpio', 'dialout', 'i2c', 'spi', 'video'];

export async function installIntoTarget(target: string, release: CheckedRelease, releaseKey: string): Promise<string[]> {
  const root = resolve(target);
  const live = root === '/';
  const prefix = join(root, INSTALL_PREFIX);
  try {
    // A staging folder may be for any board; the board itself must match the release.
    await installReleaseTarball(release.file, { prefix, publicKey: releaseKey, arch: live ? process.arch : release.manifest.arch });
  } catch (err) {
    if (err instanceof ReleaseError) throw new ProvisionError(`RELEASE_${err.code}`, err.message, { cause: err });
    throw err;
  }
  const keyPath = join('etc/halld', RELEASE_KEY_FILE);
  await writeFileSafe(join(root, keyPath), releaseKey, 0o644);
  const link = join(root, COMMAND_LINK);
  await mkdir(join(link, '..'), { recursive: true });
  await unlink(link).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  // Absolute: it resolves inside the board's own root.
  await symlink(`${INSTALL_PREFIX}/current/bin/halld`, link);
  if (live && process.getuid?.() === 0 && (await serviceUserIds(root)) === undefined) await createServiceUser();
  await lstat(link);
  return [`${INSTALL_PREFIX.slice(1)}/${release.manifest.version}`, `${INSTALL_PREFIX.slice(1)}/current`, keyPath, COMMAND_LINK];
}

async function createServiceUser(): Promise<void> {
  await run('useradd', ['--system', '--home-dir', '/var/lib/halld', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVICE_USER]);
  for (const group of SERVICE_GROUPS) {
    await run('sh', ['-c', `getent group ${group} >/dev/null || groupadd --system ${group}`]);
    await run('usermod', ['-aG', group, SERVICE_USER]);
  }
}
