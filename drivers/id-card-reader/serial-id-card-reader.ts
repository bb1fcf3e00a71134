// The IdCardReader (drivers/hal/id-card-reader.ts) over a serial part: a GA 467 SAM module
// (frames: sam-frames.ts; protocol source and section: docs/hardware.md, "ID-card reader
// (GA 467 SAM)"). The module answers requests and never speaks unasked, so the driver polls:
// status (11 FF) until the SAM says it is ready, then find card (20 01) every pollMs; a card
// found is selected (20 02) and read (30 01). Requests go one at a time over a LockBus, the
// same half-duplex request/reply discipline as a lock-board line (one request in flight,
// length-framed replies, a quiet gap after an unclean exchange, the port reopened when it
// went away).
//
// One read per placement: the card counts as lying on the reader from its read until finds
// have said "no card" ABSENT_FINDS_TO_LIFT times in a row. Modules differ here: some keep
// answering 0x9F for a card already read, others 0x80 until it is lifted; either way the card
// is read once, and a single missed find does not read it twice. The same difference means a
// failed read is not always retried: a module that executed the read but whose reply was
// garbled answers "no card" from then on. So a card found and not read is reported
// 'unreadable' after readAttempts tries, or as soon as it stops answering, whichever is first.
import type { IdCardEvent, IdCardReader, IdCardReaderFaultCode, IdCardReaderHealth, IdCardReaderResult, SamStatus } from '../hal/id-card-reader.js';
import type { Clock, SerialLink } from '../hal/types.js';
import { globalTimers, type TimerHandle, type Timers } from '../clock/timers.js';
import { warnListenerError } from '../listener-error.js';
import { BoardHealth } from '../lock-board/board-health.js';
import { LockBus, type BusOutcome } from '../lock-board/lock-bus.js';
import { CardDataError, parseBasicInfo } from './card-text.js';
import { DEFAULT_POLL_MS, DEFAULT_READ_ATTEMPTS, DEFAULT_REPLY_TIMEOUT_MS } from './config.js';
import { samExchange, SW3, sw3Meaning, type SamCommand, type SamReply } from './sam-frames.js';

/** Finds in a row that must say "no card" before a card read is taken to be lifted off. */
export const ABSENT_FINDS_TO_LIFT = 2;
/** While the port is gone, try to open it this often (not every poll). */
export const REOPEN_INTERVAL_MS = 2000;

export interface SerialIdCardReaderOptions {
  name: string;
  /** Opens the reader's serial part (the HAL's serial(part)); called again after the port went away. */
  openLink(): Promise<SerialLink>;
  clock: Pick<Clock, 'monotonicMs'>;
  timers?: Timers;
  pollMs?: number;
  replyTimeoutMs?: number;
  readAttempts?: number;
  onListenerError?: (part: string, err: unknown) => void;
}

type Unreadable = Extract<IdCardEvent, { kind: 'unreadable' }>;

export class SerialIdCardReader implements IdCardReader {
  readonly name: string;
  private readonly timers: Timers;
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly readAttempts: number;
  private readonly healthState: BoardHealth<IdCardReaderFaultCode>;
  private readonly listeners = new Set<(event: IdCardEvent) => void>();
  private bus: LockBus | undefined;
  private opening: Promise<LockBus | undefined> | undefined;
  private timer: TimerHandle | undefined;
  private closed = false;
  /** The SAM answered 0x90 to its status since the last fault. */
  private samReady = false;
  /** A reset was tried for the current fault (one per fault: a SAM that stays broken is not reset in a loop). */
  private resetTried = false;
  private cardOnReader = false;
  private absentFinds = 0;
  private failedAttempts = 0;
  /** Why the card found last could not be read, until it is reported or read. */
  private pendingFailure: Unreadable | undefined;

  private constructor(private readonly options: SerialIdCardReaderOptions) {
    this.name = options.name;
    this.timers = options.timers ?? globalTimers;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.timeoutMs = options.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
    this.readAttempts = options.readAttempts ?? DEFAULT_READ_ATTEMPTS;
    this.healthState = new BoardHealth<IdCardReaderFaultCode>(`id-card-reader:${options.name}`, options.clock, options.onListenerError);
  }

  /** Starts polling at once; resolves whether or not the port opens (health() says why it did not). */
  static open(options: SerialIdCardReaderOptions): SerialIdCardReader {
    const reader = new SerialIdCardReader(options);
    reader.schedule(0);
    return reader;
  }

  onCard(listener: (event: IdCardEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async samStatus(): Promise<IdCardReaderResult<SamStatus>> {
    const reply = await this.ask('status');
    if (!reply.ok) return reply;
    const sw3 = reply.value.sw3;
    this.noteSam(sw3 === SW3.OK, sw3);
    return { ok: true, value: { ready: sw3 === SW3.OK, sw3, meaning: sw3Meaning(sw3) } };
  }

  async resetSam(): Promise<IdCardReaderResult<void>> {
    const reply = await this.ask('reset');
    if (!reply.ok) return reply;
    this.samReady = false; // ask its status again before the next find
    const sw3 = reply.value.sw3;
    if (sw3 === SW3.OK) return { ok: true, value: undefined };
    return this.samRefused('reset SAM (10 FF)', sw3);
  }

  health(): IdCardReaderHealth {
    return this.healthState.get();
  }

  onHealth(listener: (health: IdCardReaderHealth) => void): () => void {
    return this.healthState.onChange(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
    const bus = this.bus ?? (await this.opening?.catch(() => undefined));
    await bus?.close();
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    const handle = this.timers.setTimeout(() => void this.poll(), ms);
    (handle as { unref?: () => void }).unref?.();
    this.timer = handle;
  }

  /** One round: make sure the SAM is ready, look for a card, read a new one. Schedules the next round. */
  private async poll(): Promise<void> {
    this.timer = undefined;
    if (this.closed) return;
    let next = this.pollMs;
    try {
      next = await this.round();
    } finally {
      this.schedule(next);
    }
  }

  /** Returns when to poll next. */
  private async round(): Promise<number> {
    if (!this.samReady) {
      const status = await this.samStatus();
      if (!status.ok) return this.afterFailure(status.code);
      if (!status.value.ready) {
        if (!this.resetTried) {
          this.resetTried = true;
          await this.resetSam();
        }
        return this.pollMs;
      }
    }
    const find = await this.ask('find');
    if (!find.ok) return this.afterFailure(find.code);
    switch (find.value.sw3) {
      case SW3.CARD_FOUND:
        this.absentFinds = 0;
        if (!this.cardOnReader) await this.readCard();
        return this.pollMs;
      case SW3.NO_CARD:
        this.absentFinds += 1;
        if (this.absentFinds >= ABSENT_FINDS_TO_LIFT) {
          this.cardOnReader = false;
          this.failedAttempts = 0;
          this.reportPendingFailure();
        }
        return this.pollMs;
      default:
        // Anything else from a find is the SAM refusing to work (self-test failed, not authorised, our frame refused).
        this.samRefused('find card (20 01)', find.value.sw3);
        return this.pollMs;
    }
  }

  private afterFailure(code: IdCardReaderFaultCode): number {
    this.samReady = false;
    return code === 'CLOSED' ? Math.max(this.pollMs, REOPEN_INTERVAL_MS) : this.pollMs;
  }

  /** Select and read the card just found; after readAttempts failures tell the listeners once. */
  private async readCard(): Promise<void> {
    const failure = await this.selectAndRead();
    if (failure === undefined) {
      this.pendingFailure = undefined;
      return;
    }
    this.failedAttempts += 1;
    this.pendingFailure = failure;
    if (this.failedAttempts < this.readAttempts) return; // the next find tries again
    this.cardOnReader = true; // not again until it is lifted and placed anew
    this.failedAttempts = 0;
    this.reportPendingFailure();
  }

  private reportPendingFailure(): void {
    const failure = this.pendingFailure;
    this.pendingFailure = undefined;
    if (failure) this.deliver(failure);
  }

  /** undefined when the card was read and delivered, else why not. */
  private async selectAndRead(): Promise<Unreadable | undefined> {
    const select = await this.ask('select');
    if (!select.ok) return this.unreadable(select.code, select.message);
    if (select.value.sw3 !== SW3.OK) return this.unreadable('SELECT_FAILED', `select card: ${sw3Meaning(select.value.sw3)}`);
    const read = await this.ask('readBasic');
    if (!read.ok) return this.unreadable(read.code, read.message);
    if (read.value.sw3 !== SW3.OK) return this.unreadable('READ_FAILED', `read basic info: ${sw3Meaning(read.value.sw3)}`);
    try {
      const card = parseBasicInfo(read.value.data);
      this.cardOnReader = true;
      this.failedAttempts = 0;
      this.deliver({ kind: 'read', card, atMs: this.options.clock.monotonicMs() });
      return undefined;
    } catch (err) {
      if (err instanceof CardDataError) return this.unreadable('BAD_DATA', `the card's data does not read right: ${err.message}`);
      throw err;
    }
  }

  private unreadable(code: Unreadable['code'], detail: string): Unreadable {
    return { kind: 'unreadable', code, detail, atMs: this.options.clock.monotonicMs() };
  }

  private deliver(event: IdCardEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        (this.options.onListenerError ?? warnListenerError)(`id-card-reader:${this.name}`, err);
      }
    }
  }

  private noteSam(ready: boolean, sw3: number): void {
    if (ready) {
      this.samReady = true;
      this.resetTried = false;
      this.healthState.good();
    } else this.samRefused('SAM status (11 FF)', sw3);
  }

  private samRefused(what: string, sw3: number): IdCardReaderResult<never> {
    this.samReady = false;
    const message = `${what}: the SAM answered 0x${sw3.toString(16).padStart(2, '0')} (${sw3Meaning(sw3)})`;
    this.healthState.failed('SAM', message);
    return { ok: false, code: 'SAM', message, sw3 };
  }

  /** One request and its reply, in turn with everything else on the line. Never rejects. */
  private async ask(command: SamCommand): Promise<IdCardReaderResult<SamReply>> {
    const exchange = samExchange(command);
    if (this.closed) return { ok: false, code: 'CLOSED', message: `cannot send ${exchange.what}: ID-card reader ${this.name} is closed` };
    const bus = await this.openBus();
    if (!bus) return { ok: false, code: 'CLOSED', message: this.healthState.get().detail ?? `the port of ID-card reader ${this.name} is not open` };
    const outcome: BusOutcome<SamReply> = await bus.exclusive(() => bus.transact(exchange, this.timeoutMs));
    if (!outcome.ok) {
      this.healthState.failed(outcome.code, outcome.message);
      return { ok: false, code: outcome.code, message: outcome.message };
    }
    const { sw1, sw2 } = outcome.value;
    if (sw1 !== 0 || sw2 !== 0) {
      const message = `${exchange.what}: SW1 SW2 ${sw1.toString(16).padStart(2, '0')} ${sw2.toString(16).padStart(2, '0')}, expected 00 00`;
      this.healthState.failed('BAD_REPLY', message);
      return { ok: false, code: 'BAD_REPLY', message };
    }
    // A well-formed reply: the line and the module answer (what the SAM says is judged by the caller).
    if (this.samReady) this.healthState.good();
    return { ok: true, value: outcome.value };
  }

  /** The bus over the serial part, opened on first use; undefined (health says why) while the port cannot be opened. */
  private openBus(): Promise<LockBus | undefined> {
    if (this.bus) return Promise.resolve(this.bus);
    this.opening ??= (async () => {
      try {
        const link = await this.options.openLink();
        if (this.closed) {
          await link.close();
          return undefined;
        }
        this.bus = new LockBus({ link, reopen: () => this.options.openLink(), clock: this.options.clock, timers: this.timers });
        return this.bus;
      } catch (err) {
        this.healthState.failed('CLOSED', `the port of ID-card reader ${this.name} cannot be opened: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }
}
