// The reference server's side of a hall day, for the demo: tickets the kiosk issues wait in one
// queue; whenever a window with an evaluator is free it calls the next ticket of its matters
// (green-channel tickets first) on the caller, serves it for `serveMs`, then asks that window's
// evaluator for a rating of the ticket's own matter; the rating frees the window. Each step is
// one log line naming the ticket, so a person can follow a ticket from taking to rating. Time
// is the injected timers', so a test can run a hall day on simulated time.
import type { HallClient } from '../../protocol/hall-client.js';
import type { StaffCommand } from '../../protocol/evaluator.js';
import type { TimerHandle, Timers } from '../../drivers/clock/timers.js';
import type { TicketDesk } from './ticket-desk.js';

export interface DirectorWindow {
  /** The window as the caller reads it ("1"). */
  window: string;
  /** The evaluator device facing it. */
  evaluator: string;
  staff: StaffCommand;
}

export interface StoryTicket {
  number: string;
  category: string;
  matter: string;
  priority: boolean;
  takenAt: number;
  window?: string;
  calledAt?: number;
  /** Waiting tickets left right after this one was called. */
  waitingAfterCall?: number;
  ratingRequestedAt?: number;
}

export interface HallDirectorOptions {
  client: HallClient;
  desk: TicketDesk;
  caller: string;
  windows: readonly DirectorWindow[];
  /** Category id → the matter's name (社保医保). */
  matters: Record<string, string>;
  contentVersion: string;
  timers: Timers;
  now: () => number;
  /** How long a window serves a ticket before asking for its rating. */
  serveMs: number;
  say: (line: string) => void;
}

export class HallDirector {
  /** Every ticket of the day, by number, in the order taken. */
  readonly story = new Map<string, StoryTicket>();
  private readonly waiting: StoryTicket[] = [];
  private readonly busy = new Map<string, StoryTicket>();
  private readonly offs: (() => void)[] = [];
  private readonly pending = new Set<TimerHandle>();
  private stopped = false;

  constructor(private readonly options: HallDirectorOptions) {
    this.offs.push(
      options.client.onEventOf('ticket-printer', 'ticket.issued', (data) => {
        if (data.reissue === true || this.story.has(data.number)) return;
        const t: StoryTicket = { number: data.number, category: data.category, matter: options.matters[data.category] ?? data.category, priority: data.priority, takenAt: options.now() };
        this.story.set(t.number, t);
        this.waiting.push(t);
        options.say(`${t.number} taken: ${t.matter}${t.priority ? ' (绿色通道)' : ''}, ${this.waiting.length} waiting`);
        this.callNext();
      }),
      options.client.onEventOf('evaluator', 'rating.submitted', (data, e) => {
        const w = options.windows.find((x) => x.evaluator === e.device);
        options.say(`${data.ticket ?? data.caseId} rated at window ${w?.window ?? '?'}: ${data.level} ${data.levelName}${data.items.length ? ` [${data.items.join(', ')}]` : ''} (matter ${data.matterCode ?? '-'})`);
        if (w && this.busy.get(w.window)?.number === data.ticket) this.free(w);
      }),
      options.client.onEventOf('evaluator', 'rating.expired', (data, e) => {
        const w = options.windows.find((x) => x.evaluator === e.device);
        options.say(`${data.caseId}: no rating at window ${w?.window ?? '?'} (expired)`);
        if (w) this.free(w);
      }),
    );
  }

  /** Tickets waiting to be called. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  stop(): void {
    this.stopped = true;
    for (const off of this.offs.splice(0)) off();
    for (const h of this.pending) this.options.timers.clearTimeout(h);
  }

  private free(w: DirectorWindow): void {
    this.busy.delete(w.window);
    this.callNext();
  }

  /** The next ticket for a window: its matters' green-channel tickets first, then the oldest of its matters. */
  private nextFor(w: DirectorWindow): StoryTicket | undefined {
    const mine = this.waiting.filter((t) => w.staff.matters.includes(t.matter));
    return mine.find((t) => t.priority) ?? mine[0];
  }

  private callNext(): void {
    if (this.stopped) return;
    for (const w of this.options.windows) {
      if (this.busy.has(w.window)) continue;
      const t = this.nextFor(w);
      if (!t) continue;
      this.waiting.splice(this.waiting.indexOf(t), 1);
      this.busy.set(w.window, t);
      this.options.desk.called(t.number);
      Object.assign(t, { window: w.window, calledAt: this.options.now(), waitingAfterCall: this.waiting.length });
      this.options.say(`${t.number} called to window ${w.window}${t.priority ? ' (绿色通道)' : ''}, ${this.waiting.length} waiting`);
      this.options.client
        .command(this.options.caller, 'caller/call', { ticket: t.number, window: w.window, priority: t.priority }, { timeoutMs: 5_000 })
        .then((ack) => this.options.say(`${t.number}: caller ${ack.ok ? `announces "${String(ack.data?.['text'])}"` : ack.error.message}`))
        .catch((err: unknown) => this.options.say(`${t.number}: call not sent: ${(err as Error).message}`));
      const served = this.options.timers.setTimeout(() => {
        this.pending.delete(served);
        this.requestRating(w, t);
      }, this.options.serveMs);
      this.pending.add(served);
    }
  }

  private requestRating(w: DirectorWindow, t: StoryTicket): void {
    if (this.stopped) return;
    t.ratingRequestedAt = this.options.now();
    const caseId = `case-${t.number}-${t.ratingRequestedAt.toString(36)}`;
    this.options.client
      .command(w.evaluator, 'evaluator/request', { caseId, matterCode: t.category, matterName: t.matter, ticket: t.number, staffId: w.staff.number, window: w.staff.window, contentVersion: this.options.contentVersion })
      .then((ack) => {
        this.options.say(`${t.number} served at window ${w.window}; rating of ${t.matter} requested: ${ack.ok ? 'ok' : ack.error.message}`);
        if (!ack.ok) this.free(w);
      })
      .catch((err: unknown) => {
        this.options.say(`${t.number}: rating request failed: ${(err as Error).message}`);
        this.free(w);
      });
  }
}
