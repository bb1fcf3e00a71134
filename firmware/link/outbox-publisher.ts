// Drains the SQLite outbox to the broker in seq order and forgets events only when the server
// says it stored them (evt-ack), not when the broker PUBACKs: brokers drop queued messages
// silently at their queue limit (Mosquitto's max_queued_messages defaults to 1000).
//
// A pass walks the outbox from the oldest row; a new pass starts on every (re)connect and
// whenever the server's watermark has not moved for `resendMs` while events are waiting.
// Each event names `prev`, the event this connection sent before it (0 at the start of a
// pass: everything older is acknowledged or was dropped by the outbox bound), so the server
// can tell a gap to wait for from telemetry the device dropped on purpose.
//
// The server's watermark is believed only up to the highest seq this device may have sent:
// an evt-ack above it (forged, or from a server that lost its mind) would delete events nobody
// stored, tickets included, so it is refused whole (docs/protocol.md "What the device trusts").
import type { OutboxEvent, Store } from '../store/store.js';
import type { Timers, TimerHandle } from '../../drivers/clock/timers.js';

export interface PublisherOptions {
  /** Unacknowledged PUBLISHes in flight at once. */
  window: number;
  /** Wait this long for evt-ack progress before sending the unacknowledged events again. */
  resendMs: number;
  /** Rows read from SQLite per query. */
  batch: number;
}

export type PublishEvent = (event: OutboxEvent, prev: number, replay: boolean) => Promise<void>;

export type AckVerdict = { ok: true } | { ok: false; reason: string };

export class OutboxPublisher {
  private connected = false;
  private pass = 0;
  private cursor = 0;
  private prev = 0;
  private pumping = false;
  private inflight = 0;
  private waiters: (() => void)[] = [];
  private ackedUpTo = 0;
  /** Events up to this seq may have reached the server before: they go out with replay:true. */
  private replayUpTo: number;
  /**
   * Highest seq that may have reached the server: everything an earlier boot left (it may have
   * sent it), then every event this boot handed to the broker.
   */
  private highestSent: number;
  private refusedAcks = 0;
  private resendTimer: TimerHandle | undefined;
  private resendDelayMs: number;
  private sent = 0;

  constructor(
    private readonly store: Store,
    private readonly publish: PublishEvent,
    private readonly options: PublisherOptions,
    private readonly log: (msg: string, extra?: Record<string, unknown>) => void,
    private readonly timers: Timers,
  ) {
    this.replayUpTo = store.outboxStats().lastSeq;
    this.highestSent = this.replayUpTo;
    this.resendDelayMs = options.resendMs;
    store.onEvents(() => this.kick());
  }

  onConnect(): void {
    this.connected = true;
    this.startPass();
  }

  onDisconnect(): void {
    this.connected = false;
    this.pass += 1;
    this.clearResend();
    this.replayUpTo = Math.max(this.replayUpTo, this.cursor);
  }

  /** The server stored every event up to `upTo`; refused whole when it claims more than was sent. */
  async onAck(upTo: number): Promise<AckVerdict> {
    if (upTo > this.highestSent) {
      this.refusedAcks += 1;
      return { ok: false, reason: `evt-ack upTo ${upTo} is above the highest seq this device has published (${this.highestSent}); nothing deleted` };
    }
    if (upTo <= this.ackedUpTo) return { ok: true };
    this.ackedUpTo = upTo;
    this.resendDelayMs = this.options.resendMs;
    await this.store.acknowledgeUpTo(upTo);
    this.armResend();
    return { ok: true };
  }

  stats(): { connected: boolean; cursor: number; ackedUpTo: number; highestSent: number; refusedAcks: number; inflight: number; sent: number } {
    return {
      connected: this.connected,
      cursor: this.cursor,
      ackedUpTo: this.ackedUpTo,
      highestSent: this.highestSent,
      refusedAcks: this.refusedAcks,
      inflight: this.inflight,
      sent: this.sent,
    };
  }

  stop(): void {
    this.connected = false;
    this.pass += 1;
    this.clearResend();
  }

  private startPass(): void {
    this.pass += 1;
    this.replayUpTo = Math.max(this.replayUpTo, this.cursor);
    this.cursor = this.ackedUpTo;
    this.prev = 0;
    this.kick();
  }

  private kick(): void {
    if (!this.connected || this.pumping) return;
    this.pumping = true;
    void this.pump(this.pass).finally(() => {
      this.pumping = false;
      if (this.connected && this.cursor < this.store.outboxStats().lastSeq) this.kick();
    });
  }

  private async pump(pass: number): Promise<void> {
    try {
      while (this.connected && pass === this.pass) {
        const rows = await this.store.outboxAfter(this.cursor, this.options.batch);
        if (rows.length === 0 || pass !== this.pass) break;
        for (const row of rows) {
          if (!this.connected || pass !== this.pass) return;
          while (this.inflight >= this.options.window) await new Promise<void>((r) => this.waiters.push(r));
          if (!this.connected || pass !== this.pass) return;
          const prev = this.prev;
          this.prev = row.seq;
          this.cursor = row.seq;
          if (row.seq > this.highestSent) this.highestSent = row.seq;
          this.inflight += 1;
          this.sent += 1;
          this.publish(row, prev, row.seq <= this.replayUpTo)
            .catch((err: unknown) => this.log('event publish failed', { seq: row.seq, err: (err as Error).message }))
            .finally(() => {
              this.inflight -= 1;
              this.waiters.shift()?.();
            });
        }
      }
    } finally {
      // Arm only if idle: a steady trickle of new events must not keep postponing a resend.
      if (!this.resendTimer) this.armResend();
    }
  }

  private armResend(): void {
    this.clearResend();
    if (!this.connected) return;
    if (this.store.outboxStats().pending === 0) return;
    this.resendTimer = this.timers.setTimeout(() => {
      this.resendTimer = undefined;
      if (!this.connected || this.store.outboxStats().pending === 0) return;
      this.log('no evt-ack progress; sending unacknowledged events again', { ackedUpTo: this.ackedUpTo, pending: this.store.outboxStats().pending });
      // Back off while the server stays silent (it may be down for days); reset on any ack.
      this.resendDelayMs = Math.min(this.resendDelayMs * 2, 300_000);
      this.startPass();
    }, this.resendDelayMs);
    this.resendTimer.unref();
  }

  private clearResend(): void {
    this.timers.clearTimeout(this.resendTimer);
    this.resendTimer = undefined;
  }
}
