// The boot guard's part for the store (docs/update.md, "The store across a rollback"). The
// guard runs before every start of halld, from the committed release, while no halld runs:
// - before the tried release's first start, it copies the store (the tried release has not
//   opened it yet); a release that would migrate the store is not started without the copy;
// - once the attempt has ended in a rollback, it gives the committed release back a store it
//   can open (store-snapshot.ts); once it ended in a commit, the copy goes.
import { CURRENT_LINK } from '../../release/install.js';
import { rollBack } from '../../release/update/boot-guard.js';
import { COMMITTED_LINK, linkTarget } from '../../release/update/slots.js';
import { readUpdateState } from '../../release/update/update-state.js';
import { dropSnapshot, readSnapshotRecord, writeSnapshotRecord } from './snapshot-record.js';

// SQLite (a native module) and every role's migrations load only when the store is touched:
// the guard runs before every start, and almost every start has nothing to copy or restore.
const storeSnapshot = () => import('./store-snapshot.js');

/** Before the boot count: the copy for a first start of the tried release. A line for the journal, or undefined. */
export async function snapshotBeforeTrial(root: string, now: number): Promise<string | undefined> {
  const record = await readSnapshotRecord(root);
  const state = await readUpdateState(root);
  const attempt = state.attempt;
  if (!record || !attempt || record.attemptId !== attempt.id || record.phase !== 'planned') return undefined;
  if (attempt.phase !== 'trying' || (await linkTarget(root, CURRENT_LINK)) !== attempt.to) return undefined;
  try {
    const taken = await (await storeSnapshot()).takeStoreSnapshot(record.dataDir);
    await writeSnapshotRecord(root, { ...record, phase: taken.file ? 'taken' : 'none', takenAt: now, ...(taken.applied ? { applied: taken.applied } : {}) });
    return taken.file ? `store copied before the trial of ${attempt.to} (${taken.bytes ?? 0} bytes)` : 'no store yet: nothing to copy';
  } catch (err) {
    const why = (err as Error).message;
    const migrates = Object.entries(record.migrates).map(([o, m]) => `${o} ${m.from}→${m.to}`);
    if (migrates.length === 0) {
      await writeSnapshotRecord(root, { ...record, phase: 'none', takenAt: now });
      return `store not copied (${why}); ${attempt.to} does not migrate it, so it is tried anyway`;
    }
    const reason = `the store could not be copied before the trial (${why}); ${attempt.to} migrates it (${migrates.join(', ')}), so it was not started`;
    await rollBack(root, state, attempt, reason, now);
    return reason;
  }
}

/** After the boot count: once the attempt has ended, restore (rollback) or drop (commit) the copy. */
export async function settleStoreAfterTrial(root: string): Promise<string | undefined> {
  const record = await readSnapshotRecord(root);
  if (!record || record.phase === 'restored' || record.phase === 'kept') return undefined;
  const state = await readUpdateState(root);
  if (state.attempt?.id === record.attemptId) return undefined;
  const current = await linkTarget(root, CURRENT_LINK);
  if (current === record.to) {
    await dropSnapshot(root, record);
    return `the store copy from before ${record.to} was dropped (committed)`;
  }
  // Only the committed release knows what it can open: the one running this guard.
  if (current !== record.from || (await linkTarget(root, COMMITTED_LINK)) !== current) return undefined;
  const { knownSchema } = await import('./schema-gate.js');
  const report = await (await storeSnapshot()).restoreStore(record, knownSchema());
  await writeSnapshotRecord(root, { ...record, phase: report.restored ? 'restored' : 'kept', report });
  return `store: ${report.detail}`;
}
