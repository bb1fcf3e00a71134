// What a protocol family gives the generic driver: the request bytes for each call and a
// decoder that finds the reply in whatever the bus has received since the request left.
// Decoders are pure functions of the bytes, so the byte fixtures are tested without a bus.
import type { LockState } from '../hal/lock-board.js';

/**
 * When the bus asks: on every chunk ('data'), after the line has been quiet for the inter-byte
 * gap ('quiet'), and at the reply deadline ('deadline').
 */
export type DecodePhase = 'data' | 'quiet' | 'deadline';

export type Decoded<T> =
  | { kind: 'incomplete' } // keep listening
  | { kind: 'frame'; value: T }
  | { kind: 'invalid'; code: 'CHECKSUM' | 'BAD_REPLY'; detail: string };

export type ReplyDecoder<T> = (received: Buffer, phase: DecodePhase) => Decoded<T>;

export interface Exchange<T> {
  request: Buffer;
  /** For messages: "unlock lock 3", "status of all locks". */
  what: string;
  decode: ReplyDecoder<T>;
}

export interface LockBoardCodec {
  unlock(lock: number): Exchange<void>;
  status(lock: number): Exchange<LockState>;
  statusAll(): Exchange<LockState[]>;
}

/** How a set bit of a lock sensor reads: sources disagree per board vendor and wiring. */
export type StatusPolarity = 'set-is-open' | 'set-is-closed';

export function bitMeansOpen(bitSet: boolean, polarity: StatusPolarity): boolean {
  return polarity === 'set-is-open' ? bitSet : !bitSet;
}

export const INCOMPLETE: Decoded<never> = { kind: 'incomplete' };

/** A reply of fixed length that starts with one header byte (both families' replies but 8a80's query-all). */
export interface FixedReply {
  head: number;
  length: number;
  /** Whether the bytes from a header on (maybe fewer than `length`) can still be this reply: its board, lock or command. */
  matches(candidate: Buffer): boolean;
  /** A whole candidate's framing besides the checksum (Kerong's ETX); a candidate that fails it is not a reply. */
  framed?(frame: Buffer): boolean;
  checksumOk(frame: Buffer): boolean;
  /** The checksum's name in messages: BCC, SUM. */
  checksum: string;
}

/**
 * Finds a FixedReply in whatever the bus received, after any garbage and however it was split,
 * and parses it. A reply with a bad checksum is CHECKSUM only once nothing better can come:
 * not while bytes are still arriving ('data'), nor at a quiet gap while a matching reply is
 * still incomplete.
 */
export function fixedReplyDecoder<T>(reply: FixedReply, parse: (frame: Buffer) => Decoded<T>): ReplyDecoder<T> {
  return (rx, phase) => {
    let pending = false;
    let badSum = false;
    for (let i = rx.indexOf(reply.head); i >= 0; i = rx.indexOf(reply.head, i + 1)) {
      const candidate = rx.subarray(i, i + reply.length);
      if (!reply.matches(candidate)) continue;
      if (candidate.length < reply.length) {
        pending = true;
        continue;
      }
      if (reply.framed && !reply.framed(candidate)) continue;
      if (!reply.checksumOk(candidate)) {
        badSum = true;
        continue;
      }
      return parse(candidate);
    }
    if (phase === 'data' || (phase === 'quiet' && pending) || !badSum) return INCOMPLETE;
    return { kind: 'invalid', code: 'CHECKSUM', detail: `reply ${reply.checksum} does not match (received ${rx.length} bytes)` };
  };
}

/** Hex for messages and tests: "8a 01 01 11 9b". */
export function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}
