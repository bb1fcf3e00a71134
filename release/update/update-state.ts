// The update's own record on the board, beside the releases (<root>/update-state.json): the
// attempt in progress (which release is being tried, from which, how many starts it has had)
// and the outcomes not yet reported to the server. Written whole to a temporary file, fsynced,
// renamed over the old one and the folder fsynced, so a power cut leaves the old record or the
// new one. The boot guard (boot-guard.ts) and the running halld both read and write it; the
// boot counter in it is what survives a crash loop or a power cut.
import { join } from 'node:path';
import { readIfPresent, writeDurably } from './durable-file.js';

export const STATE_FILE = 'update-state.json';

export interface UpdateAttempt {
  /** The sys/update command's id: the outcome's id, so it is reported once. */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** Wall-clock ms when `current` was switched. */
  readonly switchedAt: number;
  /** Starts of `to` counted by the boot guard; past maxBoots it is rolled back. */
  readonly boots: number;
  readonly maxBoots: number;
  /** 'rolling-back' once the decision is taken (a power cut in the middle finishes it). */
  readonly phase: 'trying' | 'rolling-back';
  readonly reason?: string;
  /** Self-tests that failed before the update: a printer out of paper is not the release's fault. */
  readonly faultsBefore: readonly string[];
}

export interface PendingUpdate {
  readonly id: string;
  /** The command's data as it arrived (firmware/update checks its shape). */
  readonly request: Readonly<Record<string, unknown>>;
  readonly acceptedAt: number;
  /** Not switched before this (ms since epoch): the quiet window's start. */
  readonly notBefore?: number;
}

export type OutcomeKind = 'committed' | 'rolled-back' | 'failed';

export interface UpdateOutcome {
  readonly id: string;
  readonly kind: OutcomeKind;
  readonly from: string;
  readonly to: string;
  readonly reason?: string;
  readonly at: number;
}

export interface UpdateState {
  readonly format: 1;
  readonly attempt?: UpdateAttempt;
  /** Told to the server (as durable events) by the next halld that runs, then removed. */
  readonly outcomes: readonly UpdateOutcome[];
  /** An accepted sys/update not yet switched to: resumed after a restart (its download too). */
  readonly pending?: PendingUpdate;
  /** Releases that were committed, oldest first: the one before the running one is kept for a rollback. */
  readonly history?: readonly string[];
}

export const EMPTY_STATE: UpdateState = { format: 1, outcomes: [] };

/** Outcomes kept at most (a board that never reaches the server must not grow this forever). */
const MAX_OUTCOMES = 20;

export async function readUpdateState(root: string): Promise<UpdateState> {
  const text = await readIfPresent(join(root, STATE_FILE));
  if (text === undefined) return EMPTY_STATE;
  try {
    const value = JSON.parse(text) as Partial<UpdateState>;
    if (value.format !== 1 || !Array.isArray(value.outcomes)) throw new Error('not an update state');
    return value as UpdateState;
  } catch (err) {
    // The rename makes a torn file impossible; a damaged one must not stop the board starting.
    throw new Error(`${join(root, STATE_FILE)}: unreadable (${(err as Error).message})`, { cause: err });
  }
}

export async function writeUpdateState(root: string, state: UpdateState): Promise<void> {
  const trimmed: UpdateState = { ...state, outcomes: state.outcomes.slice(-MAX_OUTCOMES) };
  await writeDurably(join(root, STATE_FILE), `${JSON.stringify(trimmed, null, 1)}\n`, root, 0o644);
}

export async function updateState(root: string, change: (state: UpdateState) => UpdateState): Promise<UpdateState> {
  const next = change(await readUpdateState(root));
  await writeUpdateState(root, next);
  return next;
}

export function withOutcome(state: UpdateState, outcome: UpdateOutcome): UpdateState {
  const { attempt: _attempt, ...rest } = state;
  return { ...rest, outcomes: [...state.outcomes.filter((o) => o.id !== outcome.id), outcome] };
}

/**
 * The history after `to` was committed over `from`: both at the end, `from` before `to`, so the
 * release that ran before (the first one a board was installed with, too) is the one kept.
 */
export function committedHistory(history: readonly string[] | undefined, from: string, to: string): string[] {
  return [...(history ?? []).filter((v) => v !== from && v !== to), from, to];
}
