// What a failed write means for the device's health (docs/protocol.md "Limits": a full disk never
// costs an answer, and the store's fault shows in status and diag). Only faults of the
// storage itself count; a constraint violation in one unit is that unit's problem.

export type StorageFault = 'storage full' | 'storage read-only' | 'storage I/O error' | 'storage unavailable';

export type StoreHealth = { ok: true } | { ok: false; reason: StorageFault; code: string; detail: string; since: number };

const BY_CODE: Record<string, StorageFault> = {
  SQLITE_FULL: 'storage full',
  ENOSPC: 'storage full',
  SQLITE_READONLY: 'storage read-only',
  SQLITE_IOERR: 'storage I/O error',
  SQLITE_CANTOPEN: 'storage unavailable',
  SQLITE_NOTADB: 'storage unavailable',
  SQLITE_CORRUPT: 'storage unavailable',
};

/** The storage fault behind an error, or undefined when it is not one (a bug, a constraint). */
export function storageFault(err: unknown): { reason: StorageFault; code: string } | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  const reason = BY_CODE[code] ?? BY_CODE[code.split('_').slice(0, 2).join('_')];
  return reason ? { reason, code } : undefined;
}
