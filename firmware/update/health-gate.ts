// The tried release proves itself or goes: "good" means it published its birth on the broker,
// answered the server's sys/ping and passed its self-tests (failures that were there before
// the update do not count) within the deadline after it started. Then `committed` moves to it;
// otherwise the board switches back to the committed release and restarts into it. Crashes
// and hangs that never reach this code are the boot guard's (release/update/boot-guard.ts).
import { switchLink } from '../../release/install.js';
import { rollBack } from '../../release/update/boot-guard.js';
import { COMMITTED_LINK, pruneReleases } from '../../release/update/slots.js';
import { committedHistory, readUpdateState, updateState, withOutcome, type UpdateAttempt } from '../../release/update/update-state.js';
import type { Timers, TimerHandle } from '../../drivers/clock/timers.js';
import type { Logger } from '../log.js';
import { dropSnapshot, readSnapshotRecord } from './snapshot-record.js';

export interface HealthGateDeps {
  readonly root: string;
  readonly deadlineMs: number;
  readonly timers: Timers;
  readonly now: () => number;
  readonly log: Logger;
  /** Publishes the birth and resolves true on the broker's PUBACK (false when not connected). */
  readonly birth: () => Promise<boolean>;
  /** Names of the self-tests failing now. */
  readonly failingSelfTests: () => Promise<string[]>;
  readonly progress: (data: Record<string, unknown>) => void;
  /** After the commit: report it (outcome-reporter). */
  readonly committed: () => Promise<void>;
  /** After a rollback: restart into the committed release. */
  readonly restart: (reason: string) => void;
}

const CHECK_EVERY_MS = 1_000;

export class HealthGate {
  private birthSeen = false;
  private pinged = false;
  private lastFailing: string[] = [];
  private done = false;
  private deadline: TimerHandle | undefined;
  private poll: TimerHandle | undefined;
  private checking = false;

  constructor(
    private readonly attempt: UpdateAttempt,
    private readonly d: HealthGateDeps,
  ) {}

  start(): void {
    this.d.log.info({ from: this.attempt.from, to: this.attempt.to, deadlineMs: this.d.deadlineMs }, 'update: trying this release; it must become healthy before the deadline');
    this.d.progress({ phase: 'trying', from: this.attempt.from, to: this.attempt.to, deadlineMs: this.d.deadlineMs });
    this.deadline = this.d.timers.setTimeout(() => void this.fail(), this.d.deadlineMs);
    this.schedule();
  }

  notePing(): void {
    this.pinged = true;
    this.schedule(0);
  }

  stop(): void {
    this.done = true;
    this.d.timers.clearTimeout(this.deadline);
    this.d.timers.clearTimeout(this.poll);
  }

  private schedule(ms = CHECK_EVERY_MS): void {
    if (this.done) return;
    this.d.timers.clearTimeout(this.poll);
    this.poll = this.d.timers.setTimeout(() => void this.check(), ms);
  }

  private async check(): Promise<void> {
    if (this.done || this.checking) return;
    this.checking = true;
    try {
      if (!this.birthSeen) this.birthSeen = await this.d.birth().catch(() => false);
      if (this.birthSeen && this.pinged) {
        const before = new Set(this.attempt.faultsBefore);
        this.lastFailing = (await this.d.failingSelfTests()).filter((n) => !before.has(n));
        if (this.lastFailing.length === 0 && !this.done) return await this.commit();
      }
    } catch (err) {
      this.d.log.warn({ err: (err as Error).message }, 'update: health check failed; trying again');
    } finally {
      this.checking = false;
    }
    this.schedule();
  }

  private missing(): string {
    if (!this.birthSeen) return 'no birth on the broker';
    if (!this.pinged) return "no sys/ping from the server";
    return `self-tests failing: ${this.lastFailing.join(', ')}`;
  }

  private async commit(): Promise<void> {
    this.stop();
    const a = this.attempt;
    // committed first: a power cut after it is finished by the boot guard as a commit.
    await switchLink(this.d.root, COMMITTED_LINK, a.to);
    await updateState(this.d.root, (s) => ({ ...withOutcome(s, { id: a.id, kind: 'committed', from: a.from, to: a.to, at: this.d.now() }), history: committedHistory(s.history, a.from, a.to) }));
    // The store copy taken before the trial is not needed any more (the guard drops it too).
    await readSnapshotRecord(this.d.root)
      .then((r) => (r?.attemptId === a.id ? dropSnapshot(this.d.root, r) : undefined))
      .catch((err: unknown) => this.d.log.warn({ err: (err as Error).message }, 'update: store copy not dropped'));
    // Now the release before `from` may go: at most two kept.
    await pruneReleases(this.d.root, await readUpdateState(this.d.root)).catch((err: unknown) => this.d.log.warn({ err: (err as Error).message }, 'update: old releases not pruned'));
    this.d.log.info({ from: a.from, to: a.to }, 'update: committed');
    this.d.progress({ phase: 'committed', from: a.from, to: a.to });
    await this.d.committed();
  }

  private async fail(): Promise<void> {
    if (this.done) return;
    this.stop();
    const reason = `not healthy within ${Math.round(this.d.deadlineMs / 1000)} s: ${this.missing()}`;
    this.d.log.error({ from: this.attempt.from, to: this.attempt.to, reason }, 'update: rolling back');
    this.d.progress({ phase: 'rolling-back', from: this.attempt.to, to: this.attempt.from, reason });
    try {
      await rollBack(this.d.root, await readUpdateState(this.d.root), this.attempt, reason, this.d.now());
    } catch (err) {
      // The boot guard finishes it at the next start (the decision is recorded first).
      this.d.log.error({ err: (err as Error).message }, 'update: rollback incomplete; the boot guard finishes it');
    }
    this.d.restart(`update rolled back: ${reason}`);
  }
}
