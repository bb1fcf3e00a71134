// Writes one device into a root file system (`--target DIR`: a board's / or a staging tree):
// etc/halld/device.json (0600: it holds the broker password), etc/halld/server-key.pub, the
// systemd unit, and its enablement as the symlink `systemctl enable` would make.
import { chown, lstat, mkdir, readFile, rename, symlink, unlink, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProvisionError } from './mosquitto-passwd.js';
import { TLS_FILES } from './device-certificate.js';

export const CONFIG_PATH = 'etc/halld/device.json';
export const KEY_PATH = 'etc/halld/server-key.pub';
export const UNIT_PATH = 'etc/systemd/system/halld.service';
export const WANTS_LINK = 'etc/systemd/system/multi-user.target.wants/halld.service';
export const SERVICE_USER = 'halld';

/** The unit shipped in provisioning/systemd/, found from this module up (source tree, dist/ or an npm install). */
export function shippedUnitPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    const p = join(dir, 'provisioning', 'systemd', 'halld.service');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new ProvisionError('UNIT_MISSING', 'provisioning/systemd/halld.service not found next to this halld');
}

/** Write atomically (temp + rename) with the mode set before the content is visible. */
export async function writeFileSafe(file: string, content: string, mode: number): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, content, { mode });
  await chmod(tmp, mode);
  await rename(tmp, file);
}

/** uid/gid of the service user in the target's own etc/passwd (not the host's), if it is there. */
export async function serviceUserIds(root: string, user = SERVICE_USER): Promise<{ uid: number; gid: number } | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, 'etc/passwd'), 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === user && f[2] !== undefined && f[3] !== undefined) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  return undefined;
}

/** The device config already in the target, if any (to keep its password and refuse to overwrite another device). */
export async function readExistingConfig(root: string): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(root, CONFIG_PATH), 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ProvisionError('TARGET_CONFIG_UNREADABLE', `${join(root, CONFIG_PATH)}: cannot read the existing config: ${(err as Error).message}`, { cause: err });
  }
}

export interface TargetFiles {
  config: string;
  serverKey?: string;
  unit: string;
  /** The device's TLS files, written beside the config (the key 0600, owned by the service user). */
  tls?: Partial<Record<keyof typeof TLS_FILES, string>>;
}

/** The TLS files already beside the target's config. */
export async function readTlsFiles(root: string): Promise<Partial<Record<keyof typeof TLS_FILES, string>>> {
  const found: Partial<Record<keyof typeof TLS_FILES, string>> = {};
  for (const [k, name] of Object.entries(TLS_FILES) as [keyof typeof TLS_FILES, string][]) {
    try {
      found[k] = await readFile(join(root, dirname(CONFIG_PATH), name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return found;
}

export async function writeTarget(root: string, files: TargetFiles): Promise<string[]> {
  const abs = resolve(root);
  const written: string[] = [];
  await writeFileSafe(join(abs, CONFIG_PATH), files.config, 0o600);
  written.push(CONFIG_PATH);
  if (files.serverKey !== undefined) {
    await writeFileSafe(join(abs, KEY_PATH), files.serverKey, 0o644);
    written.push(KEY_PATH);
  }
  const tlsWritten: string[] = [];
  for (const [k, content] of Object.entries(files.tls ?? {}) as [keyof typeof TLS_FILES, string][]) {
    const rel = join(dirname(CONFIG_PATH), TLS_FILES[k]);
    await writeFileSafe(join(abs, rel), content, k === 'key' ? 0o600 : 0o644);
    written.push(rel);
    tlsWritten.push(rel);
  }
  await writeFileSafe(join(abs, UNIT_PATH), files.unit, 0o644);
  written.push(UNIT_PATH);
  const link = join(abs, WANTS_LINK);
  await mkdir(dirname(link), { recursive: true });
  try {
    await lstat(link);
    await unlink(link);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Absolute, as `systemctl enable` makes it: it resolves inside the board's own root.
  await symlink(`/${UNIT_PATH}`, link);
  written.push(WANTS_LINK);
  // Only root can give files away; the config must be readable by the service user (User=halld).
  const ids = process.getuid?.() === 0 ? await serviceUserIds(abs) : undefined;
  if (ids) {
    await chown(join(abs, CONFIG_PATH), ids.uid, ids.gid);
    for (const rel of tlsWritten) await chown(join(abs, rel), ids.uid, ids.gid);
    await chown(dirname(join(abs, CONFIG_PATH)), ids.uid, ids.gid);
  }
  return written;
}
