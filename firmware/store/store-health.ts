// Whether the disk under the store takes writes: ok, or the storage fault the last write hit
// (full, read-only, I/O), ok again after a write succeeds. A unit's own failure (a constraint)
// says nothing about the disk and changes nothing here.
import { statfs } from 'node:fs/promises';
import { storageFault, type StoreHealth } from './storage-fault.js';

/** Below this much free space a commit (pages, WAL frames, their headers) may fail with SQLITE_FULL. */
export const MIN_FREE_BYTES = 64 * 1024;

export class StoreHealthMonitor {
  private current: StoreHealth = { ok: true };
  private readonly listeners = new Set<(health: StoreHealth) => void>();

  constructor(private readonly now: () => number) {}

  get health(): StoreHealth {
    return this.current;
  }

  onChange(listener: (health: StoreHealth) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After a write: `undefined` when it succeeded, else its error. */
  noteWrite(err: unknown): void {
    const fault = err === undefined ? undefined : storageFault(err);
    if (err !== undefined && !fault) return; // a unit's own failure (a constraint), not the disk's
    const was = this.current;
    if (fault) {
      if (!was.ok && was.reason === fault.reason) return;
      this.current = { ok: false, reason: fault.reason, code: fault.code, detail: (err as Error).message, since: this.now() };
    } else {
      if (was.ok) return;
      this.current = { ok: true };
    }
    for (const l of this.listeners) l(this.current);
  }
}

/** Bytes an unprivileged process may still write on the data dir's file system; undefined when it cannot be read. */
export async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const fs = await statfs(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return undefined;
  }
}
