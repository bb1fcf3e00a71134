// The boot guard: what systemd runs before every start of halld (ExecStartPre), from the
// *committed* release, never from the one being tried, so a release that cannot even start
// its own code is still caught. It counts the tried release's starts in the update state
// (fsynced: a power cut does not reset it) and switches `current` back to the committed
// release once they pass the attempt's limit. It also finishes what a power cut interrupted:
// a rollback decided but not done, a commit done but not recorded, an attempt whose switch
// never happened.
import { CURRENT_LINK, switchCurrent } from '../install.js';
import { COMMITTED_LINK, linkTarget } from './slots.js';
import { committedHistory, readUpdateState, withOutcome, writeUpdateState, type UpdateAttempt, type UpdateState } from './update-state.js';
import { switchLink } from '../install.js';

export interface GuardResult {
  /** What the guard did, for the journal. */
  readonly action: 'none' | 'counted' | 'rolled-back' | 'finished-commit' | 'dropped-attempt' | 'linked-committed';
  readonly current?: string;
  readonly detail?: string;
}

/** Returns the state with the rollback recorded; `current` must already point at attempt.from. */
function rolledBack(state: UpdateState, attempt: UpdateAttempt, reason: string, now: number): UpdateState {
  return withOutcome(state, { id: attempt.id, kind: 'rolled-back', from: attempt.to, to: attempt.from, reason, at: now });
}

/**
 * Switches back to `attempt.from` in the order a power cut can interrupt at any point:
 * decision recorded, link switched, outcome recorded.
 */
export async function rollBack(root: string, state: UpdateState, attempt: UpdateAttempt, reason: string, now: number): Promise<UpdateState> {
  const deciding: UpdateState = { ...state, attempt: { ...attempt, phase: 'rolling-back', reason } };
  await writeUpdateState(root, deciding);
  await switchCurrent(root, attempt.from);
  const done = rolledBack(deciding, attempt, reason, now);
  await writeUpdateState(root, done);
  return done;
}

export async function runBootGuard(root: string, now: number): Promise<GuardResult> {
  const state = await readUpdateState(root);
  const current = await linkTarget(root, CURRENT_LINK);
  const committed = await linkTarget(root, COMMITTED_LINK);
  const attempt = state.attempt;
  if (!attempt) {
    // A board installed before updates existed: what runs is what has proven itself.
    if (current !== undefined && committed === undefined) {
      await switchLink(root, COMMITTED_LINK, current);
      return { action: 'linked-committed', current };
    }
    return { action: 'none', ...(current ? { current } : {}) };
  }
  if (attempt.phase === 'rolling-back') {
    const reason = attempt.reason ?? 'rollback interrupted';
    if (current !== attempt.from) await switchCurrent(root, attempt.from);
    await writeUpdateState(root, rolledBack(state, attempt, reason, now));
    return { action: 'rolled-back', current: attempt.from, detail: reason };
  }
  if (committed === attempt.to) {
    // The new release had switched `committed` when the power went: it was good.
    await writeUpdateState(root, { ...withOutcome(state, { id: attempt.id, kind: 'committed', from: attempt.from, to: attempt.to, at: now }), history: committedHistory(state.history, attempt.from, attempt.to) });
    return { action: 'finished-commit', current: attempt.to };
  }
  if (current !== attempt.to) {
    // Recorded, then cut before `current` moved: the old release still runs; the server retries.
    await writeUpdateState(root, withOutcome(state, { id: attempt.id, kind: 'failed', from: attempt.from, to: attempt.to, reason: 'interrupted before the switch (power cut or restart); the old release runs', at: now }));
    return { action: 'dropped-attempt', ...(current ? { current } : {}) };
  }
  const boots = attempt.boots + 1;
  if (boots > attempt.maxBoots) {
    const reason = `crash loop: ${attempt.maxBoots} start${attempt.maxBoots === 1 ? '' : 's'} of ${attempt.to} without passing the health check`;
    await rollBack(root, state, attempt, reason, now);
    return { action: 'rolled-back', current: attempt.from, detail: reason };
  }
  await writeUpdateState(root, { ...state, attempt: { ...attempt, boots } });
  return { action: 'counted', current: attempt.to, detail: `start ${boots} of at most ${attempt.maxBoots} for ${attempt.to}` };
}
