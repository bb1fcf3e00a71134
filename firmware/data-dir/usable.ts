// Can this device keep its database where the config says? The directory exists and is
// writable, or it can be created. Checked by really writing (a probe file, removed at
// once): permission bits say nothing about a read-only mount or root on a full card.
import { mkdtemp, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface DataDirFs {
  stat(path: string): Promise<{ isDirectory(): boolean }>;
  writeFile(path: string, data: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdtemp(prefix: string): Promise<string>;
  rmdir(path: string): Promise<void>;
}

const nodeFs: DataDirFs = { stat, writeFile, unlink, mkdtemp, rmdir };

const REASONS: Record<string, string> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file',
  ENOENT: 'a part of the path does not exist',
};

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code !== undefined ? REASONS[code] : undefined) ?? (code ? `${code}` : (err as Error).message);
}

/** Undefined when the directory is usable, else one sentence saying why not. */
export async function dataDirProblem(dir: string, fs: DataDirFs = nodeFs): Promise<string | undefined> {
  let info: { isDirectory(): boolean } | undefined;
  try {
    info = await fs.stat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return `cannot use ${dir}: ${reason(err)}`;
  }
  if (info) {
    if (!info.isDirectory()) return `cannot use ${dir}: it is a file, not a directory`;
    const probe = join(dir, `.halld-write-test-${process.pid}`);
    try {
      await fs.writeFile(probe, '');
      await fs.unlink(probe);
      return undefined;
    } catch (err) {
      return `cannot write in ${dir}: ${reason(err)}`;
    }
  }
  // Missing: it will be created, so the nearest existing folder above must take a new folder.
  let parent = dirname(dir);
  for (;;) {
    try {
      const p = await fs.stat(parent);
      if (!p.isDirectory()) return `cannot create ${dir}: ${parent} is a file, not a directory`;
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return `cannot create ${dir}: ${reason(err)}`;
      if (dirname(parent) === parent) break;
      parent = dirname(parent);
    }
  }
  try {
    await fs.rmdir(await fs.mkdtemp(join(parent, '.halld-mkdir-test-')));
    return undefined;
  } catch (err) {
    return `cannot create ${dir} (it does not exist and ${parent} does not take new folders: ${reason(err)})`;
  }
}
