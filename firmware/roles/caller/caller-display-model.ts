// What the caller shows, in one place: the current call, the last calls, the calls waiting to
// be announced, the notice, the pause flag and the mode. The panels, the TV page and the
// retained state all draw from it, and are told of every change; a notice with an end time is
// taken down on the injected timers. The screens follow the voice: a call waits in `next` while
// an earlier one is announced, and becomes the current call (and the newest of the last calls)
// when its own announcement starts, so what is shown is what is heard.
import type { TimerHandle, Timers } from '../../../drivers/clock/timers.js';
import type { CallerMode } from '../../../protocol/caller.js';
import type { TrustedClock } from '../../link/trusted-clock.js';
import type { CallRecord, CallerSettings, NoticeRecord } from './caller-store.js';

export interface DisplayView {
  current: (CallRecord & { sinceMs: number }) | null;
  history: CallRecord[];
  /** Calls waiting for their announcement, in the order they will be announced. */
  next: CallRecord[];
  notice: (NoticeRecord & { sinceMs: number }) | null;
  paused: boolean;
  mode: CallerMode;
  /** Key-press acknowledgement on the window panel, while it lasts. */
  feedback: string | null;
}

export class CallerDisplayModel {
  private current: DisplayView['current'];
  private history: CallRecord[];
  private next: CallRecord[] = [];
  private notice: DisplayView['notice'];
  private paused: boolean;
  private mode: CallerMode;
  private feedback: string | null = null;
  private noticeTimer: TimerHandle | undefined;
  private feedbackTimer: TimerHandle | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    settings: CallerSettings,
    private readonly clock: TrustedClock,
    private readonly timers: Timers,
    private lastN: number,
  ) {
    const now = clock.monotonicMs();
    this.current = settings.current ? { ...settings.current, sinceMs: now } : null;
    this.history = settings.history.slice(0, lastN);
    this.paused = settings.paused;
    this.mode = settings.mode;
    this.notice = null;
    if (settings.notice) this.setNotice(settings.notice);
  }

  view(): DisplayView {
    return { current: this.current, history: this.history, next: this.next, notice: this.notice, paused: this.paused, mode: this.mode, feedback: this.feedback };
  }

  private withCall(history: CallRecord[], call: CallRecord): CallRecord[] {
    return [call, ...history.filter((c) => c.ticket !== call.ticket || c.window !== call.window)].slice(0, this.lastN);
  }

  /** The history once every waiting call and `call` are announced (what the command records: a restart announces nothing). */
  historyWith(call: CallRecord): CallRecord[] {
    return [...this.next, call].reduce((h, c) => this.withCall(h, c), this.history);
  }

  /** A call is made: it waits in `next` until its announcement starts (present()). */
  call(call: CallRecord): void {
    this.next = [...this.next, call];
    this.changed();
  }

  /** The call's announcement starts: it is the current call and the newest of the last calls. */
  present(call: CallRecord): void {
    const i = this.next.findIndex((c) => c.ticket === call.ticket && c.window === call.window && c.at === call.at);
    if (i >= 0) this.next = [...this.next.slice(0, i), ...this.next.slice(i + 1)];
    this.history = this.withCall(this.history, call);
    this.current = { ...call, sinceMs: this.clock.monotonicMs() };
    this.changed();
  }

  setNotice(notice: NoticeRecord | null): void {
    this.timers.clearTimeout(this.noticeTimer);
    this.noticeTimer = undefined;
    this.notice = notice ? { ...notice, sinceMs: this.clock.monotonicMs() } : null;
    if (notice?.untilMs !== undefined) {
      const left = notice.untilMs - this.clock.bestGuess();
      if (left <= 0) this.notice = null;
      else this.noticeTimer = this.timers.setTimeout(() => this.setNotice(null), left);
    }
    this.changed();
  }

  clear(what: 'call' | 'notice' | 'history' | 'all'): void {
    if (what === 'call' || what === 'all') {
      this.current = null;
      this.next = [];
    }
    if (what === 'history' || what === 'all') this.history = [];
    if (what === 'notice' || what === 'all') {
      this.setNotice(null);
      return;
    }
    this.changed();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.changed();
  }

  setMode(mode: CallerMode): void {
    this.mode = mode;
    this.changed();
  }

  get currentMode(): CallerMode {
    return this.mode;
  }

  setLastN(n: number): void {
    this.lastN = n;
    this.history = this.history.slice(0, n);
    this.changed();
  }

  /** Shows `text` on the window panel's bottom line for `ms`. */
  showFeedback(text: string, ms: number): void {
    this.timers.clearTimeout(this.feedbackTimer);
    this.feedback = text;
    this.feedbackTimer = this.timers.setTimeout(() => {
      this.feedback = null;
      this.changed();
    }, ms);
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.timers.clearTimeout(this.noticeTimer);
    this.timers.clearTimeout(this.feedbackTimer);
    this.listeners.clear();
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
