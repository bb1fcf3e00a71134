// The store snapshot's own record (<root>/store-snapshot.json): for the release being tried,
// where the store is (the boot guard is given only the install root), what the tried release
// said it would migrate, whether the copy was taken, and after a rollback what was restored
// and what the trial wrote that the restored store does not hold. The rolled-back event
// carries that report; the record goes once it was reported or the tried release committed.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readIfPresent, writeDurably } from '../../release/update/durable-file.js';

export const SNAPSHOT_RECORD = 'store-snapshot.json';
/** The copy, in the data dir (private, and the same file system, so the restore is a rename). */
export const SNAPSHOT_FILE = 'update-snapshot.db';

export type SchemaCounts = Record<string, number>;

/** What a rollback did to the store: in evt/sys/update.rolled-back as `store`. */
export interface StoreRestoreReport {
  /** true: the store was put back to the snapshot; false: the older release opens it as it is. */
  readonly restored: boolean;
  readonly detail: string;
  /** Migrations applied per owner: in the trial's store and in what the older release runs on. */
  readonly schema?: { readonly trial: SchemaCounts; readonly now: SchemaCounts };
  readonly snapshotAt?: number;
  /** Written during the trial and carried into the restored store. */
  readonly kept?: { readonly events: number; readonly eventSeqs?: readonly [number, number]; readonly commands: number; readonly audit: number };
  /** Written during the trial and not in the restored store: rows per table, events not carried. */
  readonly lost?: { readonly events: number; readonly tables: Readonly<Record<string, { readonly before: number; readonly after: number; readonly changed: boolean }>> };
  /** The trial's own database, kept beside the store for a technician (file name in the data dir). */
  readonly trialCopy?: string;
}

export interface StoreSnapshotRecord {
  readonly format: 1;
  /** The update attempt's id (the sys/update command's). */
  readonly attemptId: string;
  readonly from: string;
  readonly to: string;
  readonly dataDir: string;
  /** Owners the tried release's self-test said it would migrate: the snapshot is then required. */
  readonly migrates: Readonly<Record<string, { readonly from: number; readonly to: number }>>;
  /** planned → taken (or none: no database yet) → restored / kept after a rollback. */
  readonly phase: 'planned' | 'taken' | 'none' | 'restored' | 'kept';
  readonly takenAt?: number;
  /** Migrations applied per owner in the snapshot. */
  readonly applied?: SchemaCounts;
  readonly report?: StoreRestoreReport;
}

export async function readSnapshotRecord(root: string): Promise<StoreSnapshotRecord | undefined> {
  const text = await readIfPresent(join(root, SNAPSHOT_RECORD));
  if (text === undefined) return undefined;
  const value = JSON.parse(text) as Partial<StoreSnapshotRecord>;
  if (value.format !== 1 || typeof value.attemptId !== 'string' || typeof value.dataDir !== 'string') throw new Error(`${join(root, SNAPSHOT_RECORD)}: not a store snapshot record`);
  return value as StoreSnapshotRecord;
}

export function writeSnapshotRecord(root: string, record: StoreSnapshotRecord): Promise<void> {
  return writeDurably(join(root, SNAPSHOT_RECORD), `${JSON.stringify(record, null, 1)}\n`, root);
}

/** Forgets the record and deletes the copy (after a commit, or once a rollback was reported). */
export async function dropSnapshot(root: string, record: StoreSnapshotRecord | undefined): Promise<void> {
  if (record) await rm(join(record.dataDir, SNAPSHOT_FILE), { force: true });
  await rm(join(root, SNAPSHOT_RECORD), { force: true });
}
