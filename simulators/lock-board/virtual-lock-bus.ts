// An RS485 line with simulated lock boards on it, as a byte-level serial device: plug it into
// simulators/serial's VirtualSerialBus (unit tests, on serialport's MockBinding-shaped binding)
// or onto a pseudo-terminal with pty-lock-bus.ts (end-to-end tests: the driver opens a real
// device path). The host's bytes are read as a stream (split writes and junk are tolerated);
// each request goes to the board with its address, which answers with the family's reply,
// subject to the board's injected faults. Replies go out one after another, never interleaved.
import { RequestAnsweringDevice } from '../serial/request-device.js';
import type { SimProtocol, SimRequest } from './sim-protocol.js';
import { VirtualLockBoard, type VirtualLockBoardOptions } from './virtual-lock-board.js';

export interface HeardRequest extends SimRequest {
  /** false when no board has the address, or the board was silent or ignored it. */
  answered: boolean;
}

export class VirtualLockBus extends RequestAnsweringDevice<SimRequest> {
  /** Every well-formed request seen on the line, in order. */
  readonly heard: HeardRequest[] = [];
  /**
   * The line's traffic as the boards see it: each request when heard, each reply as it starts
   * going out. On a serialised bus a request never follows another request
   * that is still waiting for its reply.
   */
  readonly wire: Array<{ from: 'host' | 'board'; address: number; bytes: Buffer }> = [];
  private readonly boards = new Map<number, VirtualLockBoard>();

  constructor(readonly protocol: SimProtocol) {
    super();
  }

  addBoard(options: VirtualLockBoardOptions): VirtualLockBoard {
    if (this.boards.has(options.address)) throw new Error(`a board with address ${options.address} is already on this bus`);
    const board = new VirtualLockBoard(options);
    this.boards.set(options.address, board);
    return board;
  }

  board(address: number): VirtualLockBoard {
    const board = this.boards.get(address);
    if (!board) throw new Error(`no board with address ${address} on this bus`);
    return board;
  }

  /** Unlock requests heard for one board and lock (or all of them). */
  unlocksHeard(address?: number, lock?: number): HeardRequest[] {
    return this.heard.filter((r) => r.kind === 'unlock' && (address === undefined || r.address === address) && (lock === undefined || r.lock === lock));
  }

  protected takeRequests(buffer: Buffer): { requests: SimRequest[]; rest: Buffer } {
    return this.protocol.take(buffer);
  }

  protected handle(request: SimRequest): void {
    this.wire.push({ from: 'host', address: request.address, bytes: request.bytes });
    const board = this.boards.get(request.address);
    const faults = board?.faults;
    if (!board || !faults || faults.silent) {
      this.heard.push({ ...request, answered: false });
      return;
    }
    if (faults.ignoreRequests > 0) {
      faults.ignoreRequests -= 1;
      this.heard.push({ ...request, answered: false });
      return;
    }
    let reply = this.protocol.reply(board, request);
    if (reply && faults.dropReplies > 0) {
      faults.dropReplies -= 1;
      reply = undefined;
    } else if (reply && request.kind === 'unlock' && faults.dropUnlockReplies > 0) {
      faults.dropUnlockReplies -= 1;
      reply = undefined;
    }
    this.heard.push({ ...request, answered: reply !== undefined });
    if (!reply) return;
    if (faults.corruptReplies > 0) {
      faults.corruptReplies -= 1;
      reply = this.protocol.corrupt(reply);
    }
    const bytes = Buffer.concat([faults.garbagePrefix, reply]);
    const split = faults.split;
    const line = this.line;
    this.sending = this.sending.then(async () => {
      if (!line?.isOpen()) return;
      this.wire.push({ from: 'board', address: board.address, bytes });
      await line.send(bytes, split ?? {});
    });
  }
}
