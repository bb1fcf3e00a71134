// The data dir holds the command journal, pickup-code hashes, the outbox and the screen token:
// halld's alone. Under systemd the unit's UMask=0077 and StateDirectoryMode=0700 see to that;
// `halld run` from a shell inherits whatever umask it has (022 makes 0755 and 0644), so the dir
// and the database files are given their modes explicitly, and tightened if an earlier run left
// them looser. A dir halld does not own (chmod refused) is left as it is.
import { chmod, mkdir, open, stat } from 'node:fs/promises';

export const DATA_DIR_MODE = 0o700;
export const DATABASE_FILE_MODE = 0o600;

async function tighten(path: string, mode: number): Promise<void> {
  try {
    if (((await stat(path)).mode & 0o777) === mode) return;
    await chmod(path, mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOENT') throw err;
  }
}

/** Creates the data dir 0700 (parents it creates too) and tightens an existing one to 0700. */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DATA_DIR_MODE });
  await tighten(dir, DATA_DIR_MODE);
}

/**
 * The database file exists 0600 before SQLite opens it: SQLite gives its -wal and -shm files the
 * database's mode, whatever the umask. Files an earlier run left looser are tightened.
 */
export async function makePrivateDatabase(file: string): Promise<void> {
  const handle = await open(file, 'a', DATABASE_FILE_MODE);
  await handle.close();
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) await tighten(f, DATABASE_FILE_MODE);
}
