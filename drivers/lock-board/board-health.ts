// A serial device's health as the driver sees it from its own calls (a lock board, an ID-card
// reader): 'unknown' until the first outcome, 'fault' after a call that got no valid reply,
// 'ok' again at the next valid reply. Listeners hear each change of state once; one that
// throws is reported, never propagated.
import type { LockBoardFaultCode } from '../hal/lock-board.js';
import type { Clock } from '../hal/types.js';
import { warnListenerError } from '../listener-error.js';

/** The shape of LockBoardHealth and IdCardReaderHealth, by their fault codes. */
export interface HealthRecord<C extends string> {
  ok: boolean;
  state: 'unknown' | 'ok' | 'fault';
  code?: C;
  detail?: string;
  sinceMs: number;
  consecutiveFailures: number;
}

export class BoardHealth<C extends string = LockBoardFaultCode> {
  private current: HealthRecord<C>;
  private readonly listeners = new Set<(health: HealthRecord<C>) => void>();

  constructor(
    private readonly part: string,
    private readonly clock: Pick<Clock, 'monotonicMs'>,
    private readonly onListenerError: (part: string, err: unknown) => void = warnListenerError,
  ) {
    this.current = { ok: true, state: 'unknown', sinceMs: clock.monotonicMs(), consecutiveFailures: 0 };
  }

  get(): HealthRecord<C> {
    return { ...this.current };
  }

  onChange(listener: (health: HealthRecord<C>) => void): () => void {
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

  failed(code: C, detail: string): void {
    const failures = this.current.consecutiveFailures + 1;
    if (this.current.state === 'fault') {
      this.current = { ...this.current, code, detail, consecutiveFailures: failures };
      return;
    }
    this.change({ ok: false, state: 'fault', code, detail, sinceMs: this.clock.monotonicMs(), consecutiveFailures: failures });
  }

  private change(next: HealthRecord<C>): void {
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
