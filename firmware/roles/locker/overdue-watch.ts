// 超期存放预警: one item.overdue per deposit still in its door at its overdueAt. The timers are
// rebuilt from the deposits table at start, so a restart neither loses nor repeats one (the
// deposit row's overdue_reported flag is written with the event).
import type { Timers, TimerHandle } from '../../../drivers/clock/timers.js';

/** setTimeout takes at most 2^31-1 ms (~24.8 days); longer waits re-arm. */
const MAX_TIMER_MS = 2_147_483_647;

export interface OverdueItem {
  depositId: string;
  door: number;
  overdueAt: number;
}

export class OverdueWatch {
  private readonly timers = new Map<string, TimerHandle>();

  constructor(
    private readonly t: Timers,
    private readonly now: () => number,
    private readonly fire: (item: OverdueItem) => void,
  ) {}

  schedule(item: OverdueItem): void {
    this.cancel(item.depositId);
    const wait = Math.max(0, item.overdueAt - this.now());
    const step = Math.min(wait, MAX_TIMER_MS);
    this.timers.set(
      item.depositId,
      this.t.setTimeout(() => {
        this.timers.delete(item.depositId);
        if (item.overdueAt - this.now() > 0) this.schedule(item);
        else this.fire(item);
      }, step),
    );
  }

  cancel(depositId: string): void {
    this.t.clearTimeout(this.timers.get(depositId));
    this.timers.delete(depositId);
  }

  stop(): void {
    for (const h of this.timers.values()) this.t.clearTimeout(h);
    this.timers.clear();
  }
}
