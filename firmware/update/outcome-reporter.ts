// Telling the server how an update ended, whichever release runs afterwards: the outcomes in
// the update state become durable `evt/sys/update.*` events, each once. The event and the
// store's note that it was reported are one transaction; the state file is cleaned after, so
// a power cut in between re-reads the note and does not emit twice.
import { readUpdateState, updateState, type UpdateOutcome } from '../../release/update/update-state.js';
import type { Statement, Store } from '../store/store.js';
import { dropSnapshot, readSnapshotRecord, type StoreSnapshotRecord } from './snapshot-record.js';

export type UpdateEventName = 'update.committed' | 'update.rolled-back' | 'update.failed';

export type EmitUpdateEvent = (name: UpdateEventName, data: Record<string, unknown>, statements: Statement[]) => Promise<unknown>;

function eventOf(o: UpdateOutcome, record: StoreSnapshotRecord | undefined): { name: UpdateEventName; data: Record<string, unknown> } {
  switch (o.kind) {
    case 'committed':
      return { name: 'update.committed', data: { from: o.from, to: o.to } };
    case 'rolled-back':
      // What the rollback did to the store (store-snapshot.ts), when the guard has settled it.
      return { name: 'update.rolled-back', data: { from: o.from, to: o.to, reason: o.reason ?? 'rolled back', ...(record?.attemptId === o.id && record.report ? { store: record.report } : {}) } };
    case 'failed':
      return { name: 'update.failed', data: { version: o.to, phase: 'switch', reason: o.reason ?? 'failed' } };
  }
}

export async function reportOutcomes(root: string, store: Store, emit: EmitUpdateEvent): Promise<UpdateOutcome[]> {
  const state = await readUpdateState(root);
  const record = await readSnapshotRecord(root).catch(() => undefined);
  const reported: UpdateOutcome[] = [];
  for (const o of state.outcomes) {
    const key = `update.reported.${o.id}`;
    if ((await store.getMeta(key)) !== o.kind) {
      const { name, data } = eventOf(o, record);
      await emit(name, data, [store.setMetaStatement(key, o.kind)]);
    }
    reported.push(o);
  }
  // The record of an ended attempt goes once its outcome was told (the guard has settled it by then).
  if (record && record.phase !== 'planned' && record.phase !== 'taken' && reported.some((o) => o.id === record.attemptId)) await dropSnapshot(root, record);
  if (reported.length > 0) await updateState(root, (s) => ({ ...s, outcomes: s.outcomes.filter((o) => !reported.some((r) => r.id === o.id && r.kind === o.kind)) }));
  return reported;
}
