// One device, one process: `halld run` holds `halld.pid` in its data directory. A second
// run on the same data exits naming the pid that holds it, instead of both fighting over
// the MQTT session (same clientId) and the database.
//
// Own code rather than a lock library: proper-lockfile and friends find stale locks by an
// mtime that a timer keeps fresh, so a device restarted after a crash waits out the stale
// period, and a blocked event loop can lose a lock it still uses. On one board a pid is
// exact: the file appears atomically with its pid in it (written aside, then hard-linked
// into place, which fails if it exists), and a file whose pid is no longer a running
// halld (power cut, SIGKILL) is taken over at once.
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'halld.pid';

export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`data dir ${dir} is in use by halld pid ${pid}; one device runs one halld (stop it first, or give this config its own dataDir)`);
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/** Is `pid` a running halld? Checks /proc's command line where there is one, so a reused pid does not count. */
export function isRunningHalld(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('halld');
  } catch {
    return true; // no /proc (macOS): the pid is alive, take it as ours
  }
}

/** Takes the lock or throws DataDirLockedError. The directory must exist. */
export function lockDataDir(dir: string): DataDirLock {
  const file = join(dir, LOCK_FILE);
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`, { mode: 0o644 });
  try {
    return takeLock(dir, file, mine);
  } finally {
    unlinkSync(mine);
  }
}

function takeLock(dir: string, file: string, mine: string): DataDirLock {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      linkSync(mine, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readPid(file), 10);
      if (holder !== process.pid && isRunningHalld(holder)) throw new DataDirLockedError(dir, holder);
      // Stale: move it aside and try again. Two processes taking over the same stale file in
      // the same instant could both win (the second rename may move the first's new file);
      // that needs two halld started by hand at once after a crash (systemd starts one).
      try {
        renameSync(file, `${file}.stale-${process.pid}`);
        unlinkSync(`${file}.stale-${process.pid}`);
      } catch {
        // someone else took it over first
      }
      continue;
    }
    return {
      file,
      release: () => {
        if (Number.parseInt(readPid(file), 10) === process.pid) {
          try {
            unlinkSync(file);
          } catch {
            // already gone
          }
        }
      },
    };
  }
  throw new DataDirLockedError(dir, Number.parseInt(readPid(file), 10) || 0);
}

function readPid(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
