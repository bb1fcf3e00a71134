// A lock board's health as the driver sees it from its own calls: 'unknown' until the first
// outcome, 'fault' after a call that got no valid reply, 'ok' again at the next valid reply.
// Listeners hear each change of state once; one that throws is reported, never propagated.
import type { LockBoardFaultCode, LockBoardHealth } from '../hal/lock-board.js';
import type { Clock } from '../hal/types.js';
import { warnListenerError } from '../listener-error.js';

export class BoardHealth {
  private current: LockBoardHealth;
  private readonly listeners = new Set<(health: LockBoardHealth) => void>();

  constructor(
    private readonly part: string,
    private readonly clock: Pick<Clock, 'monotonicMs'>,
    private readonly onListenerError: (part: string, err: unknown) => void = warnListenerError,
  ) {
    this.current = { ok: true, state: 'unknown', sinceMs: clock.monotonicMs(), consecutiveFailures: 0 };
  }

  get(): LockBoardHealth {
    return { ...this.current };
  }

  onChange(listener: (health: LockBoardHealth) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  good(): void {
    if (this.current.state === 'ok') {
      this.current.consecutiveFailures = 0;
      return;
    }
    this.change({ ok: true, state: 'ok', sinceMs: this.clock.monotonicMs(), consecutiveFailures: 0 });
  }

  failed(code: LockBoardFaultCode, detail: string): void {
    const failures = this.current.consecutiveFailures + 1;
    if (this.current.state === 'fault') {
      this.current = { ...this.current, code, detail, consecutiveFailures: failures };
      return;
    }
    this.change({ ok: false, state: 'fault', code, detail, sinceMs: this.clock.monotonicMs(), consecutiveFailures: failures });
  }

  private change(next: LockBoardHealth): void {
    this.current = next;
    for (const listener of [...this.listeners]) {
      try {
        listener({ ...next });
      } catch (err) {
        this.onListenerError(this.part, err);
      }
    }
  }
}
