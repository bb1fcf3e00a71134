// One RS485 line shared by every lock board wired to it: one transaction in flight, in call
// order, whatever board it is for (half duplex: two requests on the wire would collide, and a
// reply carries no transaction id). Replies are framed by the family's decoder, by length and
// checksum where the length is fixed and by the inter-byte quiet gap where it is not, the way
// Open-Locker frames them (ADR-0035/0061) and serialport's InterByteTimeoutParser would.
// Bytes that arrive while no request is waiting (a late reply, line noise) are dropped and
// counted. After anything but a clean reply (a timeout, a bad frame, stray bytes) the next
// request waits for FRAME_GAP_MS of silence before it goes out, so the tail of a late reply
// cannot be read as the answer to it; after a clean reply it goes out at once.
// A line that goes away (the USB adapter pulled out) is reopened by the next request when the
// bus was given `reopen`: until then requests end CLOSED, and nothing refused meanwhile is
// sent later (an unlock is never queued behind a missing line).
import { HalError, type Clock, type SerialLink } from '../hal/types.js';
import { globalTimers, type TimerHandle, type Timers } from '../clock/timers.js';
import { hex, type Decoded, type Exchange } from './codec.js';

/** Silence that ends a reply of unknown length: ~29 characters at 9600 baud, above a USB adapter's 16 ms latency timer. */
export const FRAME_GAP_MS = 30;
/** Default reply deadline per request; Kerong states a reaction time under 1 s. */
export const REPLY_TIMEOUT_MS = 1000;

export type BusFailureCode = 'TIMEOUT' | 'CHECKSUM' | 'BAD_REPLY' | 'IO' | 'CLOSED';

export type BusOutcome<T> = { ok: true; value: T } | { ok: false; code: BusFailureCode; message: string; sent: boolean; cause?: unknown };

export interface LockBusOptions {
  link: SerialLink;
  /** Opens the line again after it went away (the HAL's serial(part)); without it a lost line stays closed. */
  reopen?: () => Promise<SerialLink>;
  clock: Pick<Clock, 'monotonicMs'>;
  timers?: Timers;
  frameGapMs?: number;
}

interface Pending {
  exchange: Exchange<unknown>;
  rx: Buffer;
  sent: boolean;
  gap?: TimerHandle;
  deadline?: TimerHandle;
  finish(outcome: BusOutcome<unknown>): void;
}

export class LockBus {
  private currentLink: SerialLink;
  private readonly reopen: (() => Promise<SerialLink>) | undefined;
  private readonly clock: Pick<Clock, 'monotonicMs'>;
  private readonly timers: Timers;
  private readonly gapMs: number;
  private tail: Promise<unknown> = Promise.resolve();
  private current: Pending | undefined;
  private lastRxMs = Number.NEGATIVE_INFINITY;
  /** The line may still carry bytes nobody asked for: wait for the gap before the next request. */
  private unsettled = false;
  /** The line is gone (unplugged, or never open): reopened by the next request when `reopen` is given. */
  private closed = false;
  /** close() was called: nothing reopens the line. */
  private released = false;
  private readonly detach: Array<() => void> = [];
  /** Bytes received while no request was waiting for them. */
  discardedBytes = 0;
  /** Requests written. */
  requests = 0;

  constructor(options: LockBusOptions) {
    this.currentLink = options.link;
    this.reopen = options.reopen;
    this.clock = options.clock;
    this.timers = options.timers ?? globalTimers;
    this.gapMs = options.frameGapMs ?? FRAME_GAP_MS;
    this.attach(options.link);
  }

  get link(): SerialLink {
    return this.currentLink;
  }

  isClosed(): boolean {
    return this.closed;
  }

  private attach(link: SerialLink): void {
    for (const off of this.detach.splice(0)) off();
    this.currentLink = link;
    this.closed = !link.isOpen();
    this.detach.push(
      link.onData((chunk) => this.received(chunk)),
      link.onClose((err) => this.lineClosed(err)),
    );
  }

  /** Opens a lost line again: undefined when it is back, else the CLOSED outcome saying why. Runs inside exclusive(). */
  private async reopenLine(what: string): Promise<BusOutcome<never> | undefined> {
    if (!this.reopen || this.released) return { ok: false, code: 'CLOSED', message: `cannot send ${what}: ${this.link.name} is closed`, sent: false };
    try {
      const link = await this.reopen();
      if (this.released) return { ok: false, code: 'CLOSED', message: `cannot send ${what}: ${this.link.name} is closed`, sent: false };
      this.attach(link);
      // Whatever the line held before it went away is not an answer to anything now.
      this.unsettled = false;
      if (this.closed) return { ok: false, code: 'CLOSED', message: `cannot send ${what}: ${link.name} reopened but is not open`, sent: false };
      return undefined;
    } catch (err) {
      return { ok: false, code: 'CLOSED', message: `cannot send ${what}: ${this.link.name} is gone (${err instanceof Error ? err.message : String(err)})`, sent: false, cause: err };
    }
  }

  /**
   * Runs `job` with the bus to itself; jobs run one after another in call order. A job that
   * rejects does not stop the queue (the rejection goes to its caller).
   */
  exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.tail.then(job);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** One request and its reply. Call inside exclusive(). Never rejects. */
  async transact<T>(exchange: Exchange<T>, timeoutMs: number): Promise<BusOutcome<T>> {
    if (this.closed) {
      const refused = await this.reopenLine(exchange.what);
      if (refused) return refused;
    }
    await this.quiet();
    // A second transaction at once would take the first one's reply: exclusive() prevents it.
    if (this.current) return { ok: false, code: 'IO', message: `cannot send ${exchange.what}: ${this.link.name} is busy (transact() called outside exclusive())`, sent: false };
    if (this.closed) return { ok: false, code: 'CLOSED', message: `cannot send ${exchange.what}: ${this.link.name} is closed`, sent: false };
    return new Promise<BusOutcome<T>>((resolve) => {
      const pending: Pending = {
        exchange,
        rx: Buffer.alloc(0),
        sent: false,
        finish: (outcome) => {
          if (this.current !== pending) return;
          this.current = undefined;
          this.timers.clearTimeout(pending.gap);
          this.timers.clearTimeout(pending.deadline);
          if (!outcome.ok) this.unsettled = true;
          resolve(outcome as BusOutcome<T>);
        },
      };
      // The waiter is in place before the bytes leave: a reply faster than write() is not lost.
      this.current = pending;
      pending.deadline = this.timers.setTimeout(() => this.settle(pending, 'deadline', timeoutMs), timeoutMs);
      // Counted as sent from here: a write that fails half way may have put the frame on the wire.
      pending.sent = true;
      this.requests += 1;
      this.link.write(exchange.request).then(
        () => undefined,
        (err: unknown) => {
          const code = err instanceof HalError && err.code === 'CLOSED' ? 'CLOSED' : 'IO';
          pending.finish({ ok: false, code, message: `writing ${exchange.what} to ${this.link.name} failed: ${err instanceof Error ? err.message : String(err)}`, sent: true, cause: err });
        },
      );
    });
  }

  /** Closes the serial line; waiting and later requests end CLOSED. */
  async close(): Promise<void> {
    this.released = true;
    this.lineClosed();
    for (const off of this.detach.splice(0)) off();
    await this.link.close();
  }

  private received(chunk: Buffer): void {
    this.lastRxMs = this.clock.monotonicMs();
    const pending = this.current;
    if (!pending) {
      this.discardedBytes += chunk.length;
      this.unsettled = true;
      return;
    }
    pending.rx = Buffer.concat([pending.rx, chunk]);
    if (this.settle(pending, 'data')) return;
    this.timers.clearTimeout(pending.gap);
    pending.gap = this.timers.setTimeout(() => void this.settle(pending, 'quiet'), this.gapMs);
  }

  /** Asks the decoder; finishes the transaction when it has an answer. Returns whether it did. */
  private settle(pending: Pending, phase: 'data' | 'quiet' | 'deadline', timeoutMs = 0): boolean {
    if (this.current !== pending) return true;
    let decoded: Decoded<unknown>;
    try {
      decoded = pending.exchange.decode(pending.rx, phase);
    } catch (err) {
      decoded = { kind: 'invalid', code: 'BAD_REPLY', detail: `decoder failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    const what = pending.exchange.what;
    switch (decoded.kind) {
      case 'frame':
        pending.finish({ ok: true, value: decoded.value });
        return true;
      case 'invalid':
        pending.finish({ ok: false, code: decoded.code, message: `${this.link.name}: bad reply to ${what}: ${decoded.detail} [${hex(pending.rx)}]`, sent: true });
        return true;
      case 'incomplete':
        if (phase !== 'deadline') return false;
        pending.finish({
          ok: false,
          code: 'TIMEOUT',
          message: `${this.link.name}: no reply to ${what} within ${timeoutMs} ms${pending.rx.length ? ` (${pending.rx.length} bytes that are no reply: ${hex(pending.rx)})` : ''}`,
          sent: true,
        });
        return true;
    }
  }

  private lineClosed(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    const pending = this.current;
    pending?.finish({ ok: false, code: 'CLOSED', message: `${this.link.name} closed while waiting for the reply to ${pending.exchange.what}${err ? ` (${err.message})` : ''}`, sent: pending.sent, ...(err ? { cause: err } : {}) });
  }

  /** After an unclean exchange, waits until nothing has arrived for the frame gap (late replies, noise). */
  private async quiet(): Promise<void> {
    if (!this.unsettled) return;
    for (;;) {
      const waitMs = this.lastRxMs + this.gapMs - this.clock.monotonicMs();
      if (waitMs <= 0 || this.closed) break;
      await new Promise<void>((resolve) => this.timers.setTimeout(resolve, waitMs));
    }
    this.unsettled = false;
  }
}
