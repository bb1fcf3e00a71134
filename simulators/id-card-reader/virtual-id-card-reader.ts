// A byte-level simulated ID-card reader (a GA 467 SAM module) as a serial device: plug it into
// simulators/serial's VirtualSerialBus (unit tests and the sim board, on serialport's
// MockBinding-shaped binding) or onto a pseudo-terminal (simulators/lock-board/pty-lock-bus.ts
// takes any serial device), and the real driver talks to it. The host's bytes are read as a
// stream (split writes and junk tolerated); each command is answered as the captured replies
// in docs/hardware.md show, from the card lying on it and the faults a test injects:
// a card placed and removed, a SAM that failed its self-test, garbled (bad checksum), lost and
// cut-up replies, a card that cannot be selected or read.
import type { SendOptions } from '../serial/virtual-device.js';
import { RequestAnsweringDevice } from '../serial/request-device.js';
import { samReplyFrame, takeHostRequests, type HostRequest } from './sam-replies.js';
import { simCard, type SimCard, type SimCardFields } from './sim-card.js';

export type SimSamCommand = 'reset' | 'status' | 'find' | 'select' | 'read-basic' | 'unknown';

const COMMANDS: Readonly<Record<string, SimSamCommand>> = { '10ff': 'reset', '11ff': 'status', '2001': 'find', '2002': 'select', '3001': 'read-basic' };

const OK = 0x90;
const CARD_FOUND = 0x9f;
const NO_CARD = 0x80;
const SELECT_FAILED = 0x81;
const READ_FAILED = 0x41;
const CHECKSUM_ERROR = 0x10;
const LENGTH_ERROR = 0x11;
const COMMAND_ERROR = 0x21;

export interface HeardCommand {
  command: SimSamCommand;
  bytes: Buffer;
  /** The SW3 answered; undefined when the reply was dropped or the module was silent. */
  sw3?: number;
}

export interface VirtualIdCardReaderFaults {
  /** The SAM failed its self-test (or is not authorised): every command is answered with this SW3 (0x60, 0x66). */
  samFault?: number;
  /** A reset (10 FF) clears samFault, as a power cycle would. */
  resetClearsSamFault: boolean;
  /** No answer at all: the module is dead or unplugged from its USB-serial bridge. */
  silent: boolean;
  /** The next n replies get a wrong checksum (only replies to corruptCommand, when set). */
  corruptReplies: number;
  corruptCommand?: SimSamCommand;
  /** The next n replies are not sent (the command was executed). */
  dropReplies: number;
  /** The next n selects fail (0x81), as when the card is pulled away half-way. */
  selectFails: number;
  /** The next n reads fail (0x41). */
  readFails: number;
  /** Bytes sent before each reply (line noise). */
  garbagePrefix: Buffer;
  /** How each reply is cut up on its way to the host. */
  split?: SendOptions;
}

export interface VirtualIdCardReaderOptions {
  /**
   * What a find answers for a card already read and still lying there: 'found' (0x9F, the
   * modules hev-idcard-reader polls) or 'not-found' (0x80 until the card is lifted and placed
   * again). The driver must read the card once either way.
   */
  findAfterRead?: 'found' | 'not-found';
}

export class VirtualIdCardReader extends RequestAnsweringDevice<HostRequest> {
  readonly faults: VirtualIdCardReaderFaults = { resetClearsSamFault: true, silent: false, corruptReplies: 0, dropReplies: 0, selectFails: 0, readFails: 0, garbagePrefix: Buffer.alloc(0) };
  /** Every frame heard, in order, with what was answered. */
  readonly heard: HeardCommand[] = [];
  /** Cards placed so far (placeCard calls). */
  placements = 0;
  private card: SimCard | undefined;
  private selected = false;
  /** The card was read and the module answers no-card until it is lifted ('not-found' modules). */
  private halted = false;
  /** VirtualIdCardReaderOptions.findAfterRead; a test may switch it. */
  findAfterRead: 'found' | 'not-found';

  constructor(options: VirtualIdCardReaderOptions = {}) {
    super();
    this.findAfterRead = options.findAfterRead ?? 'found';
  }

  /** Lays a card on the reader (replacing any other). */
  placeCard(card: SimCard | Partial<SimCardFields> = {}): SimCard {
    this.card = 'text' in card ? card : simCard(card as Partial<SimCardFields>);
    this.selected = false;
    this.halted = false;
    this.placements += 1;
    return this.card;
  }

  removeCard(): void {
    this.card = undefined;
    this.selected = false;
    this.halted = false;
  }

  hasCard(): boolean {
    return this.card !== undefined;
  }

  /** How many times a command was heard. */
  count(command: SimSamCommand): number {
    return this.heard.filter((h) => h.command === command).length;
  }

  protected takeRequests(buffer: Buffer): { requests: HostRequest[]; rest: Buffer } {
    return takeHostRequests(buffer);
  }

  protected handle(request: HostRequest): void {
    const key = `${request.command.toString(16).padStart(2, '0')}${request.param.toString(16).padStart(2, '0')}`;
    const command = COMMANDS[key] ?? 'unknown';
    const heard: HeardCommand = { command, bytes: request.bytes };
    this.heard.push(heard);
    if (this.faults.silent) return;
    const { sw3, data } = this.answer(command, request);
    if (this.faults.dropReplies > 0) {
      this.faults.dropReplies -= 1;
      return;
    }
    heard.sw3 = sw3;
    let reply = samReplyFrame(sw3, data);
    if (this.faults.corruptReplies > 0 && (this.faults.corruptCommand === undefined || this.faults.corruptCommand === command)) {
      this.faults.corruptReplies -= 1;
      reply = Buffer.from(reply);
      reply[reply.length - 1] = (reply[reply.length - 1] ?? 0) ^ 0x5a;
    }
    const bytes = Buffer.concat([this.faults.garbagePrefix, reply]);
    const split = this.faults.split ?? {};
    const line = this.line;
    this.sending = this.sending.then(async () => {
      if (line?.isOpen()) await line.send(bytes, split);
    });
  }

  /** The module's answer: what the captured replies in docs/hardware.md show for each command. */
  private answer(command: SimSamCommand, request: HostRequest): { sw3: number; data?: Buffer } {
    if (request.fault === 'checksum') return { sw3: CHECKSUM_ERROR };
    if (request.fault === 'length') return { sw3: LENGTH_ERROR };
    if (command === 'reset' && this.faults.resetClearsSamFault) delete this.faults.samFault;
    if (this.faults.samFault !== undefined) return { sw3: this.faults.samFault };
    switch (command) {
      case 'reset':
      case 'status':
        return { sw3: OK };
      case 'find':
        if (!this.card || this.halted) return { sw3: NO_CARD };
        return { sw3: CARD_FOUND, data: Buffer.alloc(4) };
      case 'select':
        if (!this.card || this.halted || this.faults.selectFails > 0) {
          if (this.faults.selectFails > 0) this.faults.selectFails -= 1;
          return { sw3: SELECT_FAILED };
        }
        this.selected = true;
        return { sw3: OK, data: Buffer.alloc(8) };
      case 'read-basic':
        if (!this.card || !this.selected || this.faults.readFails > 0) {
          if (this.faults.readFails > 0) this.faults.readFails -= 1;
          return { sw3: READ_FAILED };
        }
        this.selected = false;
        if (this.findAfterRead === 'not-found') this.halted = true;
        return { sw3: OK, data: Buffer.concat([Buffer.from([0x01, 0x00, 0x04, 0x00]), this.card.text, this.card.photo]) };
      case 'unknown':
        return { sw3: COMMAND_ERROR };
    }
  }
}
